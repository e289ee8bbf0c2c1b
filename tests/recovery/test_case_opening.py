import pytest

from exceed.errors import DomainError
from exceed.recovery.models import CaseCategory, CaseSource, CaseStatus, RecoveryCase, StepKind
from exceed.recovery.services import case_open
from exceed.recovery.tasks import pending_evaluations_run
from tests.recovery.factories import evaluate_pending, low_response


def test_a_low_response_opens_exactly_one_case_and_sends_one_alert(
    cast, smtp_inbox, immediate_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        # Not evaluated by the factory: the task queued after the commit does it.
        response = low_response(cast, evaluated=False)
    assert RecoveryCase.objects.filter(response=response).exists()
    # Evaluated again (the periodic sweep, the task run twice, a second worker) must not open a
    # second case or alert twice.
    with django_capture_on_commit_callbacks(execute=True):
        assert evaluate_pending() == 0
        pending_evaluations_run.enqueue()

    case = RecoveryCase.objects.get()
    assert (case.response, case.source, case.location, case.status) == (
        response,
        CaseSource.SURVEY,
        cast.cph,
        CaseStatus.OPEN,
    )
    assert case.summary == "Wrong sandwich, and nobody said sorry."
    assert case.contact_email == "kunde@example.com" and case.contact_consent
    assert sorted(case.steps.values_list("kind", flat=True)) == sorted(StepKind.values)
    acknowledge = case.steps.get(kind=StepKind.ACKNOWLEDGE)
    assert (acknowledge.due_at - case.opened_at).total_seconds() == 3600
    assert (case.steps.get(kind=StepKind.FOLLOW_UP).due_at - case.opened_at).total_seconds() == 48 * 3600

    assert len(smtp_inbox.messages) == 1
    alert = smtp_inbox.messages[0]
    assert alert["To"] == "mette@example.com"  # the Copenhagen manager, not the regional or the owner
    assert "Copenhagen" in alert["Subject"]
    assert "Wrong sandwich" in smtp_inbox.text_of(alert)
    assert f"/recovery/{case.pk}/" in smtp_inbox.text_of(alert)


def test_a_good_response_opens_no_case(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        low_response(cast, **{"return": "9", "expectation": "exceeded"})
    assert not RecoveryCase.objects.exists()


def test_a_response_without_consent_opens_a_case_without_contact_data(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        low_response(cast, consent=False)
    case = RecoveryCase.objects.get()
    assert (case.contact_consent, case.contact_email, case.contact_hash) == (False, "", "")


def test_contact_data_without_consent_is_refused_and_nothing_is_stored(cast):
    with pytest.raises(DomainError) as error:
        case_open(
            location=cast.cph,
            category=CaseCategory.objects.get(code="wait"),
            summary="Waited 20 minutes",
            contact_email="kunde@example.com",
            consent=False,
        )
    assert error.value.field == "contact_consent"
    assert not RecoveryCase.objects.exists()


def test_a_case_cannot_be_opened_without_saying_what_happened(cast):
    with pytest.raises(DomainError) as error:
        case_open(location=cast.cph, category=CaseCategory.objects.get(code="wait"), summary="   ")
    assert error.value.field == "summary"


def test_staff_cannot_log_a_case_under_a_retired_category(cast):
    retired = CaseCategory.objects.get(code="wait")
    CaseCategory.objects.filter(pk=retired.pk).update(active=False)
    retired.refresh_from_db()
    with pytest.raises(DomainError) as error:
        case_open(location=cast.cph, category=retired, summary="Waited 20 minutes")
    assert error.value.field == "category"
    assert not RecoveryCase.objects.exists()


def test_a_superuser_without_a_membership_is_alerted_where_a_store_has_no_manager(cast):
    """Issue 6, item 3: the managers of a location are decided in one place, superusers included."""
    from django.contrib.auth.models import User

    from exceed.org.selectors import managers_of_location

    root = User.objects.create_superuser("root", "root@example.com", "a-long-passphrase-42")
    chain = set(managers_of_location(cast.par, level="chain").values_list("username", flat=True))
    assert {"root", "olivia"} <= chain
    assert list(managers_of_location(cast.cph, level="location").values_list("username", flat=True)) == ["mette"]
    assert list(managers_of_location(cast.par, level="region")) == []
    root.is_active = False
    root.save()
    assert "root" not in set(managers_of_location(cast.par, level="chain").values_list("username", flat=True))


def test_an_alert_whose_task_was_lost_is_sent_by_the_next_tick_once(cast, smtp_inbox):
    """The process that opened the case died before queueing its alert (here: the commit callback
    never runs): the periodic tick finds the unsent alert and sends it, once."""
    from datetime import timedelta

    from django.utils import timezone

    from exceed.recovery.tasks import recovery_tick_run
    from tests.recovery.factories import staff_case

    case = staff_case(cast, alerted=False)
    assert RecoveryCase.objects.get(pk=case.pk).alerted_at is None
    assert recovery_tick_run(now=timezone.now())["alerted"] == 0  # just opened: its own task may still come
    later = timezone.now() + timedelta(minutes=5)
    assert recovery_tick_run(now=later)["alerted"] == 1
    assert recovery_tick_run(now=later)["alerted"] == 0
    assert [message["To"] for message in smtp_inbox.messages] == ["mette@example.com"]
    assert RecoveryCase.objects.get(pk=case.pk).alerted_at is not None
