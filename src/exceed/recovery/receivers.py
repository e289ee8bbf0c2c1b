"""Reactions to stored feedback: start evaluating responses as soon as they commit.

The work itself (a case, a remembered contact, a follow-up's outcome) is done by the worker from
feedback's PendingEvaluation rows (exceed.recovery.evaluation), not here in the respondent's
request. This receiver only queues a task so that a case opens within a second or two rather than
at the next periodic sweep. A failure here is logged, never raised: the answer is stored, its row
is stored with it, and the sweep will find it.
"""

import logging
import time
from datetime import timedelta

from django.dispatch import receiver
from django.utils import timezone

from exceed.feedback.services import evaluations_pending

logger = logging.getLogger(__name__)

# One task per process per half second, not one per answer: a task evaluates every pending row,
# and queueing, claiming and finishing a task are three writes of their own. A task queued to run
# at the window's end sees every answer this process committed before then, so an answer arriving
# inside the window needs no task of its own (nor the rule look-up that decides whether it does).
WINDOW_SECONDS = 0.5
# Until when (time.time()) this process has a task queued; tests reset it.
queued_until = [0.0]


@receiver(evaluations_pending, dispatch_uid="recovery.on_evaluations_pending")
def on_evaluations_pending(sender, response=None, count=0, **kwargs):
    from exceed.recovery.evaluation import is_urgent
    from exceed.recovery.tasks import pending_evaluations_run

    try:
        if response is None:
            pending_evaluations_run.enqueue()  # an import's batch: the sweep takes them in order
            return
        now = time.time()
        if now < queued_until[0]:
            return
        # A good answer (or a contact to remember) can wait for the minute's sweep.
        if not is_urgent(response):
            return
        if not pending_evaluations_run.get_backend().supports_defer:
            pending_evaluations_run.enqueue()  # e.g. the immediate backend: at once, no window
            return
        queued_until[0] = now + WINDOW_SECONDS
        pending_evaluations_run.using(run_after=timezone.now() + timedelta(seconds=WINDOW_SECONDS)).enqueue()
    except Exception:
        logger.exception(
            "recovery could not queue the evaluation of %s", response.pk if response else f"{count} responses"
        )


def _returns_recount(sender, instance, **kwargs):
    # A deleted answer or visit may have been someone's first return: their stored figures are
    # computed again from what remains (exceed.recovery.returns).
    from exceed.recovery.returns import identity_returns_refresh

    identity_returns_refresh(identity=getattr(instance, "contact_hash", None) or getattr(instance, "customer_hash", ""))


def _connect_returns():
    from django.db.models.signals import post_delete

    from exceed.recovery.models import CustomerContact, TillVisit

    post_delete.connect(_returns_recount, sender=CustomerContact, dispatch_uid="recovery.contact_deleted")
    post_delete.connect(_returns_recount, sender=TillVisit, dispatch_uid="recovery.visit_deleted")


_connect_returns()
