"""Opening cases from stored responses: the evaluation's shortcuts must not change what opens a case.

The active rules are kept per process and checked against the database on every response
(exceed.recovery.rules._active_rules); these tests change rules and categories the way the
admin would, behind the services' back, and expect the very next response to follow them.
"""

import time

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from exceed.recovery import receivers
from exceed.recovery.evaluation import response_evaluate
from exceed.recovery.models import CaseCategory, CustomerContact, RecoveryCase, RecoveryRule
from exceed.recovery.services import rule_save
from exceed.recovery.tasks import pending_evaluations_run
from tests.recovery.factories import low_response


def test_a_rule_switched_off_in_the_admin_stops_opening_cases_with_the_next_response(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = low_response(cast)
    assert RecoveryCase.objects.filter(response=first).exists()
    RecoveryRule.objects.update(active=False)
    with django_capture_on_commit_callbacks(execute=True):
        second = low_response(cast)
    assert not RecoveryCase.objects.filter(response=second).exists()


def test_a_new_rule_with_a_category_applies_to_the_next_response(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        low_response(cast)
    RecoveryRule.objects.update(active=False)
    rule = rule_save(return_at_most=9, category=CaseCategory.objects.get(code="wait"), severity="high")
    with django_capture_on_commit_callbacks(execute=True):
        response = low_response(cast, **{"return": "9", "expectation": "met"})
    case = RecoveryCase.objects.get(response=response)
    assert (case.rule, case.category.code, case.severity) == (rule, "wait", "high")


def test_a_category_retired_in_the_admin_sends_its_rules_cases_to_other(cast, django_capture_on_commit_callbacks):
    # The receiver swallows errors, so refusing the retired category used to drop the failure silently.
    RecoveryRule.objects.update(active=False)
    rule_save(expectation_below=True, category=CaseCategory.objects.get(code="wait"))
    with django_capture_on_commit_callbacks(execute=True):
        first = low_response(cast)
    CaseCategory.objects.filter(code="wait").update(active=False)
    with django_capture_on_commit_callbacks(execute=True):
        later = low_response(cast)
    assert RecoveryCase.objects.get(response=first).category.code == "wait"
    assert RecoveryCase.objects.get(response=later).category.code == "other"


def test_a_rule_still_opens_cases_when_other_is_retired_too(cast, django_capture_on_commit_callbacks):
    RecoveryRule.objects.update(active=False)
    rule_save(expectation_below=True, category=CaseCategory.objects.get(code="wait"))
    CaseCategory.objects.filter(code__in=["wait", "other"]).update(active=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = low_response(cast)
    assert RecoveryCase.objects.get(response=response).category.code == "other"
    assert CaseCategory.objects.get(code="other").active


def test_a_top_return_score_with_expectations_let_down_still_opens_a_case(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = low_response(cast, **{"return": "10", "expectation": "below"})
    assert RecoveryCase.objects.get(response=response).category.code == "other"


def test_the_default_rule_opens_no_case_for_top_scores(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        low_response(cast, **{"return": "10", "expectation": "met"})
        low_response(cast, **{"return": "7", "expectation": "exceeded"})
    assert not RecoveryCase.objects.exists()


def test_the_people_a_response_names_are_the_cases_people(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = low_response(cast, served_by=[cast.anders.pk])
    case = RecoveryCase.objects.get(response=response)
    assert list(case.people.all()) == [cast.anders]


def test_a_response_evaluated_twice_keeps_one_case_and_one_remembered_contact(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = low_response(cast, served_by=[cast.anders.pk])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        # The task queued after the commit runs after the sweep has done the work (or twice).
        pending_evaluations_run.call()
        response_evaluate(response=response)
    assert callbacks == []  # the second evaluation queues no second alert
    case = RecoveryCase.objects.get()
    assert list(case.people.all()) == [cast.anders] and case.steps.count() == 5
    assert CustomerContact.objects.filter(response=response).count() == 1
    assert DBTaskResult.objects.filter(task_path__endswith="case_alert").count() == 1


# The evaluation is queued after the response commits, the alert after the case commits; the
# real worker must run both. Transactional, as in tests/feedback/test_invitations.py.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_database_worker_opens_the_case_and_sends_the_alert_queued_for_a_response(cast, smtp_inbox):
    response = low_response(cast, evaluated=False)  # autocommit: the receiver runs after the response commits
    assert not RecoveryCase.objects.filter(response=response).exists()
    time.sleep(receivers.WINDOW_SECONDS)  # the evaluation task is queued to run at the window's end
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    case = RecoveryCase.objects.get(response=response)
    assert [message["To"] for message in smtp_inbox.messages] == ["mette@example.com"]
    assert f"/recovery/{case.pk}/" in smtp_inbox.text_of(smtp_inbox.messages[0])
