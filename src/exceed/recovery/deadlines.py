"""When recovery steps fall due, the second round a reopened case gets, and escalation of overdue steps."""

import logging
from datetime import datetime, timedelta

from django.db import connection
from django.db.models import Max
from django.utils import timezone

from exceed.recovery import defaults
from exceed.recovery.models import CaseCategory, DeadlinePolicy, RecoveryCase, RecoveryStep, StepKind
from exceed.recovery.signals import step_overdue
from exceed.recovery.workflow import ACTIVE_STATUSES

logger = logging.getLogger(__name__)


def deadline_hours(*, category: CaseCategory, severity: str) -> dict[str, int]:
    """Hours for every step of a case, from one query.

    Asking per step cost two queries a step, ten per case: 12 % of a worker's time under
    benchmarks/ingest.py. The policies that can apply are few, so the most specific one per step
    is picked here in Python, by the same order as before.
    """
    # A plain cursor: the ORM took ten times as long to build this query as SQLite to run it.
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT step, category_id, severity, id, hours FROM {DeadlinePolicy._meta.db_table} "
            "WHERE (category_id = %s OR category_id IS NULL) AND severity IN (%s, %s)",
            [category.pk, severity, ""],
        )
        policies = cursor.fetchall()
    best: dict[str, tuple] = {}
    for step, category_id, policy_severity, pk, hours in policies:
        rank = (category_id is not None, policy_severity != "", pk)
        if step not in best or rank > best[step][0]:
            best[step] = (rank, hours)
    return {step: best[step][1] if step in best else defaults.DEADLINE_HOURS[step] for step in StepKind.values}


def step_add_round(*, case: RecoveryCase, at: datetime) -> RecoveryStep:
    """A fresh follow-up step for a reopened case, due as a first follow-up would be from ``at``.

    A reopened case had every step of its first round behind it; without a new step the manager
    would have nothing to record for the second recovery and could close it again at once.
    """
    latest = RecoveryStep.objects.filter(case=case).aggregate(latest=Max("round"))["latest"] or 1
    hours = deadline_hours(category=case.category, severity=case.severity)[StepKind.FOLLOW_UP]
    return RecoveryStep.objects.create(case=case, kind=StepKind.FOLLOW_UP, round=latest + 1, due_at=at + timedelta(hours=hours))


def steps_overdue(now: datetime):
    return RecoveryStep.objects.filter(done_at__isnull=True, due_at__lt=now, case__status__in=ACTIVE_STATUSES)


def steps_mark_overdue(*, now: datetime | None = None) -> int:
    """Escalate each newly overdue step to the regional manager, once. Returns how many escalated.

    Several workers may run this at once: each claims a step with a conditional update, and only
    the one whose update changed a row sends the email. A failed send releases the claim so the
    next run tries again.
    """
    from exceed.recovery.mail import escalation_send

    now = now or timezone.now()
    escalated = 0
    candidates = steps_overdue(now).filter(escalated_at__isnull=True).select_related("case__location__region")
    for step in candidates:
        won = RecoveryStep.objects.filter(pk=step.pk, escalated_at__isnull=True).update(escalated_at=now)
        if not won:
            continue
        try:
            escalation_send(step=step)
        except Exception:
            logger.exception("escalation of step %s failed", step.pk)
            RecoveryStep.objects.filter(pk=step.pk, escalated_at=now).update(escalated_at=None)
            continue
        step_overdue.send(sender=RecoveryStep, step=step)
        escalated += 1
    return escalated
