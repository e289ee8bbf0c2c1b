"""When recovery steps fall due, the second round a reopened case gets, and escalation of overdue steps."""

import logging
from datetime import datetime, timedelta

from django.db import connection
from django.db.models import Max, Q
from django.utils import timezone

from exceed.recovery import defaults
from exceed.recovery.models import CaseCategory, DeadlinePolicy, RecoveryCase, RecoverySettings, RecoveryStep, StepKind
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
    return RecoveryStep.objects.create(
        case=case, kind=StepKind.FOLLOW_UP, round=latest + 1, due_at=at + timedelta(hours=hours)
    )


def steps_overdue(now: datetime):
    return RecoveryStep.objects.filter(done_at__isnull=True, due_at__lt=now, case__status__in=ACTIVE_STATUSES)


def steps_mark_overdue(*, now: datetime | None = None) -> int:
    """Escalate newly overdue steps to the regional managers (the owners where a region has none)
    as one digest per person per period (``RecoverySettings.digest_minutes``). Returns how many
    steps escalated.

    The first run that finds overdue steps once the period has passed claims the period with a
    conditional update, so several workers never send two digests in it; the steps that fall due
    meanwhile wait for the next period's digest. A step whose digest failed is offered again next
    period; when every send failed, the period is released so the next run retries at once.
    """
    from exceed.recovery.mail import overdue_digests_send
    from exceed.recovery.services import settings_get

    now = now or timezone.now()
    row = settings_get()
    steps = list(
        steps_overdue(now).filter(escalated_at__isnull=True).select_related("case__location__region", "case__category")
    )
    if not steps:
        return 0
    period_open = Q(digest_sent_at__isnull=True) | Q(digest_sent_at__lte=now - timedelta(minutes=row.digest_minutes))
    if not RecoverySettings.objects.filter(period_open, pk=row.pk).update(digest_sent_at=now):
        return 0
    RecoveryStep.objects.filter(pk__in=[step.pk for step in steps], escalated_at__isnull=True).update(escalated_at=now)
    try:
        failed = overdue_digests_send(steps=steps, now=now)
    except Exception:
        logger.exception("overdue digests failed")
        failed = {step.pk for step in steps}
    if failed:
        logger.warning("overdue digest of %s steps failed; offered again", len(failed))
        RecoveryStep.objects.filter(pk__in=failed, escalated_at=now).update(escalated_at=None)
        if len(failed) == len(steps):
            RecoverySettings.objects.filter(pk=row.pk, digest_sent_at=now).update(digest_sent_at=row.digest_sent_at)
    for step in steps:
        if step.pk not in failed:
            step_overdue.send(sender=RecoveryStep, step=step)  # webhooks, and whoever else listens
    return len(steps) - len(failed)
