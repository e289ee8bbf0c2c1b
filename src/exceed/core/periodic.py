"""Periodic work, registered in one place and run by `exceed worker` (issue 6, item 8).

An app registers its jobs in ``AppConfig.ready`` (recovery: the evaluation sweep, overdue steps,
follow-ups; later assignment generation, reminders, ranking snapshots). Nothing runs in a thread
of the CLI: the clock is itself a task. ``periodic_tick`` runs the jobs that are due and queues
its next run a minute later, so any worker process, on any machine, may take the next tick; each
job is claimed by a conditional update on its ``PeriodicSchedule`` row, so a period's work runs
once however many workers tick.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import TaskResultStatus, task

from exceed.core.models import PeriodicSchedule

logger = logging.getLogger(__name__)

# How often the clock ticks; a job's own period is at least this long in practice.
TICK = timedelta(seconds=60)


@dataclass(frozen=True)
class PeriodicJob:
    """``run`` is a dotted path to a callable taking ``now=`` and returning a short summary."""

    name: str
    run: str
    every: timedelta

    def function(self) -> Callable[..., object]:
        return import_string(self.run)


_JOBS: dict[str, PeriodicJob] = {}


def register_periodic(job: PeriodicJob) -> None:
    _JOBS[job.name] = job


def periodic_jobs() -> list[PeriodicJob]:
    return list(_JOBS.values())


def _claim(job: PeriodicJob, now: datetime) -> bool:
    """This process runs ``job`` now if its row says it is due and no other process moved it first."""
    try:
        with transaction.atomic():
            PeriodicSchedule.objects.get_or_create(name=job.name, defaults={"next_run_at": now})
    except IntegrityError:
        pass  # another worker created the row meanwhile; the update below decides
    claimed = PeriodicSchedule.objects.filter(name=job.name, next_run_at__lte=now).update(
        next_run_at=now + job.every, last_run_at=now
    )
    return claimed == 1


def periodic_run_due(*, now: datetime | None = None) -> dict[str, object]:
    """Run each registered job that is due, once; returns their summaries by name.

    A job that fails is logged and left for its next period; the others still run.
    """
    now = now or timezone.now()
    results: dict[str, object] = {}
    for job in periodic_jobs():
        if not _claim(job, now):
            continue
        try:
            results[job.name] = job.function()(now=now)
        except Exception:
            logger.exception("periodic job %s failed", job.name)
            results[job.name] = "failed"
        PeriodicSchedule.objects.filter(name=job.name).update(last_result=str(results[job.name])[:2000])
    return results


@task()
def periodic_tick() -> dict:
    """The clock: run what is due, then queue the next tick (unless another is queued already)."""
    try:
        return {name: str(result) for name, result in periodic_run_due().items()}
    finally:
        periodic_tick_schedule(after=TICK)


def periodic_tick_schedule(*, after: timedelta = timedelta(0)) -> bool:
    """Queue a tick ``after`` from now unless one is waiting already; True if this queued one.

    Every worker calls this when it starts, so the clock survives any one of them; the check keeps
    the number of waiting ticks at about one however often workers restart.
    """
    if not periodic_tick.get_backend().supports_defer:
        return False  # an immediate backend (tests, demos without a worker) would tick forever
    from django_tasks_db.models import DBTaskResult

    if DBTaskResult.objects.filter(task_path=periodic_tick.module_path, status=TaskResultStatus.READY).exists():
        return False
    periodic_tick.using(run_after=timezone.now() + after).enqueue()
    return True
