"""Background work for recovery: evaluating stored responses (opening their cases), the case
alert, and the periodic tick (the evaluation sweep, deadlines, follow-ups).

A task fetches its rows and calls a service; `exceed worker` (django-tasks' db_worker) runs them,
and `manage.py recovery_tick` runs the periodic part once from cron or a timer.
"""

import logging
from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from exceed.recovery.models import RecoveryCase

logger = logging.getLogger(__name__)


@task()
def case_alert(case_id: int) -> str:
    """Alert the managers of a new case, once: the alerted_at claim decides which run sends."""
    from exceed.recovery.mail import alert_send

    now = timezone.now()
    if not RecoveryCase.objects.filter(pk=case_id, alerted_at__isnull=True).update(alerted_at=now):
        return "already alerted"
    case = RecoveryCase.objects.select_related("location__region", "category", "touchpoint").get(pk=case_id)
    try:
        sent = alert_send(case=case)
    except Exception as exc:
        # Release the claim so a retry may send it; the error is the task's result.
        RecoveryCase.objects.filter(pk=case_id, alerted_at=now).update(alerted_at=None)
        raise exc
    return f"sent to {sent}"


@task()
def case_double_deviation_alert(case_id: int) -> str:
    from exceed.recovery.mail import double_deviation_send

    case = RecoveryCase.objects.select_related("location__region", "category").get(pk=case_id)
    return f"sent to {double_deviation_send(case=case)}"


@task()
def pending_evaluations_run() -> int:
    """Evaluate what is pending (queued after answers and imports commit), and queue itself again
    while rows remain."""
    from exceed.recovery.evaluation import pending_evaluations_sweep

    done, left = pending_evaluations_sweep(retry_failed=False)
    if left:
        pending_evaluations_run.enqueue()
    return done


# A new case's alert is queued after its commit; one still unsent after this long lost its task
# (the process died in between). Older than a day, an alert is no longer news.
ALERT_LOST_AFTER = timedelta(minutes=2)
ALERT_NO_LONGER_NEWS = timedelta(days=1)


def alerts_unsent_send(*, now=None) -> int:
    """Send the alerts of recent cases whose queued alert never ran; returns how many cases."""
    now = now or timezone.now()
    unsent = RecoveryCase.objects.filter(
        alerted_at__isnull=True,
        opened_at__lte=now - ALERT_LOST_AFTER,
        opened_at__gte=now - ALERT_NO_LONGER_NEWS,
    ).values_list("pk", flat=True)
    done = 0
    for case_id in list(unsent[:100]):
        try:
            if case_alert.call(case_id) != "already alerted":
                done += 1
        except Exception:
            logger.exception("the alert of case %s failed; the next tick tries again", case_id)
    return done


def recovery_tick_run(*, now=None) -> dict:
    """The periodic work, once: evaluate responses no task took (the process that stored them died
    before queueing one, or they were good answers that could wait), send alerts whose task was
    lost, escalate overdue steps and send due follow-up surveys."""
    from exceed.recovery.deadlines import steps_mark_overdue
    from exceed.recovery.evaluation import pending_evaluations_sweep
    from exceed.recovery.followup import followups_send_due

    evaluated, _left = pending_evaluations_sweep()
    now = now or timezone.now()
    return {
        "evaluated": evaluated,
        "alerted": alerts_unsent_send(now=now),
        "escalated": steps_mark_overdue(now=now),
        "followups": followups_send_due(now=now),
    }


@task()
def recovery_tick() -> dict:
    return recovery_tick_run()
