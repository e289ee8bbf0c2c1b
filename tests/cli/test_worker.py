from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from exceed.core.periodic import periodic_tick, periodic_tick_schedule
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
    assert len(to_regional_manager) == 1  # one digest of both steps, not one per step or per run


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_clock_is_one_waiting_task_however_often_workers_start(cast, exceed):
    assert periodic_tick_schedule() is True
    assert periodic_tick_schedule() is False  # a second worker starting finds it queued
    waiting = DBTaskResult.objects.filter(task_path=periodic_tick.module_path, status=TaskResultStatus.READY)
    assert waiting.count() == 1
    # A worker runs the tick; the tick queues the next one a minute later.
    status, _out, err = exceed("worker", "--batch", "--interval", "0")
    assert status == 0, err
    assert waiting.count() == 1
    assert waiting.get().run_after > timezone.now() + timedelta(seconds=30)
