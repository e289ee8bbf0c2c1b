import pytest

from exceed.recovery.models import RecoveryStep, StepKind
from tests.recovery.factories import staff_case


# The worker closes its database connection when it is done, as a long-running process should.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_escalates_overdue_recovery_steps_once(cast, exceed, smtp_inbox):
    case = staff_case(cast, hours_ago=3)  # acknowledge (1 h) and apologise (2 h) are overdue

    for _ in range(2):  # as cron would run it every minute
        status, _out, err = exceed("worker", "--batch", "--interval", "0")
        assert status == 0, err

    escalated = RecoveryStep.objects.filter(case=case, escalated_at__isnull=False)
    assert set(escalated.values_list("kind", flat=True)) == {StepKind.ACKNOWLEDGE, StepKind.APOLOGISE}
    to_regional_manager = [message for message in smtp_inbox.messages if message["To"] == "rasmus@example.com"]
    assert len(to_regional_manager) == 2  # one per overdue step, not one per run
