"""A failure always gets its case (issue 7, item 5; issue 11, item 3).

A response is stored with its PendingEvaluation row in one transaction; the worker opens the case
and deletes the row in another. Whatever dies in between, the row is still there for the sweep.
A normal (non-transactional) test never runs on-commit callbacks unless it asks to, which is
exactly what a process killed right after its commit looks like; the subprocess test below kills
a real one.
"""

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from exceed.api.models import ApiToken
from exceed.feedback.importers import responses_import
from exceed.feedback.models import PendingEvaluation, Response
from exceed.recovery import evaluation, receivers
from exceed.recovery.evaluation import pending_evaluations_process
from exceed.recovery.models import CustomerContact, RecoveryCase
from exceed.recovery.tasks import pending_evaluations_run, recovery_tick_run
from tests.recovery.factories import evaluate_pending, low_response

CHILD = Path(__file__).with_name("crash_child.py")


def tasks_named(name: str) -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path__endswith=f".{name}"))


def test_a_low_answer_is_stored_with_its_pending_evaluation_and_its_case_opens_when_the_worker_runs(
    cast, django_capture_on_commit_callbacks
):
    response = low_response(cast, evaluated=False)
    row = PendingEvaluation.objects.get(response=response)
    assert abs((timezone.now() - row.created_at).total_seconds()) < 60 and row.attempts == 0
    assert not RecoveryCase.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):  # the case's alert is queued on its commit
        assert evaluate_pending() == 1
    case = RecoveryCase.objects.get()
    assert case.response == response and case.steps.count() == 5
    assert CustomerContact.objects.filter(response=response).exists()
    assert not PendingEvaluation.objects.exists()
    assert len(tasks_named("case_alert")) == 1
    assert evaluate_pending() == 0 and RecoveryCase.objects.count() == 1


def test_low_answers_queue_one_evaluation_task_per_half_second_and_it_opens_their_cases(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = low_response(cast, evaluated=False)
    with django_capture_on_commit_callbacks(execute=True):
        second = low_response(cast, evaluated=False)  # within the window: the queued task takes it too
    [queued] = tasks_named("pending_evaluations_run")
    assert 0 < (queued.run_after - queued.enqueued_at).total_seconds() <= receivers.WINDOW_SECONDS + 0.1
    assert not RecoveryCase.objects.exists()  # nothing of it in the respondent's request
    with django_capture_on_commit_callbacks(execute=True):
        queued.task.call()
    assert sorted(RecoveryCase.objects.values_list("response", flat=True)) == [first.pk, second.pk]
    assert not PendingEvaluation.objects.exists()
    assert len(tasks_named("case_alert")) == 2


def test_a_good_answer_queues_no_task_and_the_sweep_clears_it_without_a_case(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        low_response(cast, evaluated=False, consent=False, **{"return": "10", "expectation": "exceeded"})
    assert tasks_named("pending_evaluations_run") == []
    assert PendingEvaluation.objects.count() == 1
    assert recovery_tick_run()["evaluated"] == 1
    assert not PendingEvaluation.objects.exists() and not RecoveryCase.objects.exists()


def test_a_consenting_good_answer_has_its_contact_remembered_by_the_sweep(cast):
    response = low_response(cast, evaluated=False, **{"return": "10", "expectation": "exceeded"})
    recovery_tick_run()
    assert CustomerContact.objects.filter(response=response).exists()
    assert not RecoveryCase.objects.exists()


def test_a_response_that_fails_to_evaluate_keeps_its_row_and_does_not_hold_up_the_others(cast, monkeypatch):
    broken = low_response(cast, evaluated=False)
    fine = low_response(cast, evaluated=False)
    real = evaluation.case_open_from_response

    def fail_for_broken(*, response, fresh):
        if response.pk == broken.pk:
            raise RuntimeError("the database said no")
        return real(response=response, fresh=fresh)

    monkeypatch.setattr(evaluation, "case_open_from_response", fail_for_broken)
    assert recovery_tick_run()["evaluated"] == 1
    assert list(RecoveryCase.objects.values_list("response", flat=True)) == [fine.pk]
    row = PendingEvaluation.objects.get()
    assert (row.response_id, row.attempts, row.last_error) == (broken.pk, 1, "RuntimeError: the database said no")
    # Its contact was rolled back with its case: the evaluation is all or nothing.
    assert not CustomerContact.objects.filter(response=broken).exists()
    pending_evaluations_run.call()  # the tasks queued after answers leave it to the minute's sweep
    assert PendingEvaluation.objects.get().attempts == 1

    monkeypatch.setattr(evaluation, "case_open_from_response", real)
    assert recovery_tick_run()["evaluated"] == 1  # the next minute's sweep tries again
    assert RecoveryCase.objects.filter(response=broken).exists() and not PendingEvaluation.objects.exists()


def test_a_response_failing_every_time_is_left_aside_after_five_attempts(cast, monkeypatch):
    low_response(cast, evaluated=False)

    def fail(**kwargs):
        raise RuntimeError("still broken")

    monkeypatch.setattr(evaluation, "case_open_from_response", fail)
    for _ in range(7):
        recovery_tick_run()
    assert PendingEvaluation.objects.get().attempts == evaluation.MAX_ATTEMPTS


def test_a_till_retrying_after_a_crash_gets_409_and_the_response_still_gets_its_one_case(cast, client):
    """Reproducer (issue 7, item 5): kill -9 a worker after it stored a low answer, before the case
    opened; the till retries with the same external id and gets 409; no case ever opened."""
    _token, key = ApiToken.issue(user=cast.owner)
    payload = {
        "survey": "visit",
        "location": "cph",
        "external_id": "till-3-0042",
        "answers": {"return": 2, "expectation": "below", "difference": "Cold food"},
    }

    def post():
        return client.post(
            "/api/v1/responses",
            json.dumps(payload),
            content_type="application/json",
            headers={"Authorization": f"Bearer {key}"},
        )

    # No on-commit callback runs here: as if the process died right after the commit.
    assert post().status_code == 201
    again = post()
    assert again.status_code == 409 and again.json()["field"] == "external_id"
    assert not RecoveryCase.objects.exists()
    recovery_tick_run()
    case = RecoveryCase.objects.get()
    assert case.response == Response.objects.get(external_id="till-3-0042") and case.summary == "Cold food"


def test_imported_low_answers_open_their_cases_when_the_worker_runs(cast, tmp_path, django_capture_on_commit_callbacks):
    path = tmp_path / "responses.csv"
    path.write_text(
        "external_id,survey,location,touchpoint,submitted_at,language,return,expectation,difference\n"
        "imp-1,visit,cph,in-store,2026-03-01T10:00:00+01:00,da,2,below,Lang ventetid\n"
        "imp-2,visit,cph,in-store,2026-03-01T11:00:00+01:00,da,10,exceeded,Perfekt\n",
        encoding="utf-8",
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert responses_import(path=path).created == 2
    assert PendingEvaluation.objects.count() == 2
    [queued] = tasks_named("pending_evaluations_run")  # one batch, one sweep task
    queued.task.call()
    assert list(RecoveryCase.objects.values_list("response__external_id", flat=True)) == ["imp-1"]
    assert not PendingEvaluation.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_process_killed_right_after_the_commit_still_gets_exactly_one_case_from_the_sweep(tmp_path):
    """Reproducer (issue 7, item 5): a subprocess stores a low answer through response_submit and
    SIGKILLs itself in the first on-commit callback, before any recovery work; a second process
    retries the same external id (409); a third runs the worker's periodic sweep, twice."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("EXCEED_DATABASE")}
    if connection.vendor == "postgresql":
        settings = connection.settings_dict
        env["EXCEED_DATABASE_URL"] = (
            f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"
        )
    else:
        # The test database is in memory, out of a subprocess' reach: the children share a file.
        env["EXCEED_DATA_DIR"] = str(tmp_path / "data")

    def child(step: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, str(CHILD), step], env=env, capture_output=True, text=True, timeout=300)

    stored = child("store")
    assert stored.returncode == -9, stored.stderr  # killed by its own SIGKILL, after the commit
    retried = child("retry")
    assert retried.returncode == 0, retried.stderr
    before = json.loads(retried.stdout)
    assert before == {"status": 409, "responses": 1, "cases": 0, "pending": 1, "alerts": 0}
    swept = child("sweep")
    assert swept.returncode == 0, swept.stderr
    assert json.loads(swept.stdout) == {"responses": 1, "cases": 1, "pending": 0, "alerts": 1, "steps": 5}
    again = child("sweep")
    assert json.loads(again.stdout) == {"responses": 1, "cases": 1, "pending": 0, "alerts": 1, "steps": 5}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_several_workers_sweeping_at_once_open_each_case_once(cast):
    if connection.vendor != "postgresql":
        pytest.skip("row locks between connections: PostgreSQL (SQLite's IMMEDIATE transactions run one at a time)")
    responses = [low_response(cast, evaluated=False, email=f"kunde{n}@example.com") for n in range(30)]
    barrier = threading.Barrier(4)
    errors = []

    def worker():
        from django.db import connection as own

        try:
            barrier.wait()
            while pending_evaluations_process(limit=5)[1] is not None:
                pass
        except Exception as error:
            errors.append(error)
        finally:
            own.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert sorted(RecoveryCase.objects.values_list("response", flat=True)) == sorted(r.pk for r in responses)
    assert len(tasks_named("case_alert")) == 30
    assert not PendingEvaluation.objects.exists()
