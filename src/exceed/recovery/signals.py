"""What recovery tells the apps above it (webhooks), without importing them.

Each is sent inside the transaction that made the change, so a receiver's own writes (a webhook's
queued message) commit or roll back with it. A receiver must therefore never raise and must keep
its writes in a savepoint: a case is not to fail to open because a listener failed.
"""

from django.dispatch import Signal

# ``case``: the RecoveryCase just opened.
case_opened = Signal()
# ``case``: the RecoveryCase just closed.
case_closed = Signal()
# ``step``: the RecoveryStep just escalated as overdue (once per step and round).
step_overdue = Signal()
