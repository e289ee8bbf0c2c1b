"""Periodic work registered in one place, claimed once per period, its clock a task (issue 6, item 8)."""

from datetime import timedelta

from django.utils import timezone

from exceed.core import periodic
from exceed.core.models import PeriodicSchedule
from exceed.core.periodic import PeriodicJob, periodic_run_due


def failing_job(*, now):
    raise RuntimeError("broken on purpose")


def test_recovery_registers_its_minute_job(db):
    assert "recovery.tick" in {job.name for job in periodic.periodic_jobs()}


def test_a_due_job_runs_once_per_period_however_many_workers_tick(db):
    now = timezone.now()
    first = periodic_run_due(now=now)
    assert "recovery.tick" in first
    assert "recovery.tick" not in periodic_run_due(now=now)  # a second worker at the same minute
    assert "recovery.tick" not in periodic_run_due(now=now + timedelta(seconds=30))
    assert "recovery.tick" in periodic_run_due(now=now + timedelta(seconds=61))
    schedule = PeriodicSchedule.objects.get(name="recovery.tick")
    assert schedule.next_run_at == now + timedelta(seconds=121)


def test_a_failing_job_is_logged_and_the_others_still_run(db, monkeypatch, caplog):
    monkeypatch.setitem(
        periodic._JOBS, "broken", PeriodicJob("broken", "tests.core.test_periodic.failing_job", timedelta(minutes=1))
    )
    results = periodic_run_due()
    assert results["broken"] == "failed"
    assert "recovery.tick" in results
    assert "periodic job broken failed" in caplog.text
