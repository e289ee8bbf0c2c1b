import re
from datetime import timedelta

from django.utils import timezone

from exceed.api.models import ApiToken
from exceed.feedback.models import Invitation, InvitationStatus
from exceed.recovery.followup import followups_send_due
from exceed.recovery.models import CaseStatus, RecoveryCase, StepKind
from exceed.recovery.services import case_close, settings_update, step_record
from exceed.recovery.tasks import recovery_tick_run
from tests.recovery.factories import low_response, staff_case


def _recovered_case(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        low_response(cast, email="kunde@example.com")
    case = RecoveryCase.objects.get()
    for kind in StepKind.values:
        step_record(case=case, kind=kind, gesture_given="Chocolate cake" if kind == StepKind.GESTURE else "")
    case_close(case=case, by=cast.manager)
    return case


def _answer(client, smtp_inbox, answers, django_capture_on_commit_callbacks):
    message = smtp_inbox.messages[-1]
    path = "/i/" + re.search(r"/i/([\w-]+)/", smtp_inbox.text_of(message)).group(1) + "/"
    assert client.get(path).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(path, answers).status_code == 200


def test_the_follow_up_survey_reaches_the_customer_and_the_answer_becomes_the_outcome(
    cast, smtp_inbox, immediate_tasks, client, django_capture_on_commit_callbacks
):
    settings_update(followup_delay_hours=24, loyalty_window_days=90)
    case = _recovered_case(cast, django_capture_on_commit_callbacks)
    smtp_inbox.messages.clear()  # the manager's alert
    assert recovery_tick_run(now=timezone.now())["followups"] == 0  # not due yet
    with django_capture_on_commit_callbacks(execute=True):
        assert recovery_tick_run(now=timezone.now() + timedelta(hours=25))["followups"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert followups_send_due(now=timezone.now() + timedelta(hours=26)) == 0  # one per case

    assert len(smtp_inbox.messages) == 1
    invitation = smtp_inbox.messages[0]
    assert invitation["To"] == "kunde@example.com"
    assert "Copenhagen" in invitation["Subject"]
    # It reads as a follow-up to the problem, in Danish, not as a new visit survey.
    assert "Hvordan fik vi det rettet op?" in invitation["Subject"]
    assert "gik noget galt" in smtp_inbox.text_of(invitation)
    assert "besøg i Copenhagen" not in invitation["Subject"] and "Tak for dit besøg" not in smtp_inbox.text_of(
        invitation
    )
    page = client.get("/i/" + re.search(r"/i/([\w-]+)/", smtp_inbox.text_of(invitation)).group(1) + "/")
    assert "Hvordan håndterede vi det?" in page.content.decode()  # the customer's language, Danish

    _answer(
        client,
        smtp_inbox,
        {
            "q_handled": "5",
            "q_distributive": "4",
            "q_procedural": "5",
            "q_interactional": "5",
            "q_return": "9",
            "q_impressed": "yes",
            "q_impressed_how": "The manager came back to check on me.",
        },
        django_capture_on_commit_callbacks,
    )
    case.refresh_from_db()
    assert (case.outcome_rating, case.outcome_distributive, case.outcome_procedural, case.outcome_interactional) == (
        5,
        4,
        5,
        5,
    )
    assert (case.outcome_return_likelihood, case.impressed) == (9, True)
    assert case.impressed_text == "The manager came back to check on me."
    assert case.status == CaseStatus.CLOSED and not case.double_deviation
    assert RecoveryCase.objects.count() == 1  # the follow-up answer opened no case of its own
    assert Invitation.objects.get(pk=case.followup_invitation_id).status == InvitationStatus.ANSWERED

    # The case API shows the outcome too (issue 7, item 10: the justice scores were missing).
    key = ApiToken.issue(user=cast.manager)[1]
    outcome = client.get(f"/api/v1/cases/{case.pk}", headers={"Authorization": f"Bearer {key}"}).json()["outcome"]
    assert (outcome["rating"], outcome["distributive"], outcome["procedural"], outcome["interactional"]) == (5, 4, 5, 5)
    assert (outcome["impressed"], outcome["impressed_text"]) == (True, "The manager came back to check on me.")


def test_a_recovery_rated_one_or_two_is_a_double_deviation_and_reopens_the_case(
    cast, smtp_inbox, immediate_tasks, client, django_capture_on_commit_callbacks
):
    settings_update(followup_delay_hours=0, loyalty_window_days=90)
    case = _recovered_case(cast, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        recovery_tick_run(now=timezone.now() + timedelta(minutes=1))
    sent_before = len(smtp_inbox.messages)
    _answer(
        client, smtp_inbox, {"q_handled": "2", "q_return": "2", "q_impressed": "no"}, django_capture_on_commit_callbacks
    )
    case.refresh_from_db()
    assert case.double_deviation and case.status == CaseStatus.REOPENED
    assert case.impressed is False
    assert case.status_changes.last().note == "double deviation"
    # The store's and the region's managers hear of it at once, in the store's language.
    alerts = smtp_inbox.messages[sent_before:]
    assert len(alerts) == 1
    assert sorted(alerts[0]["To"].split(", ")) == ["mette@example.com", "rasmus@example.com"]
    assert f"#{case.pk}" in alerts[0]["Subject"] or f"{case.pk}" in alerts[0]["Subject"]
    # A second recovery to record: a fresh follow-up of round 2, due from the reopening.
    second = case.steps.get(round=2)
    assert (second.kind, second.done_at) == (StepKind.FOLLOW_UP, None)
    assert second.due_at > timezone.now() + timedelta(hours=47)
    manager = client
    manager.force_login(cast.manager)
    page = manager.get(f"/recovery/{case.pk}/").content.decode()
    assert 'id="step-follow_up-2"' in page and f"/recovery/{case.pk}/steps/follow_up/" in page


def test_no_follow_up_goes_to_a_customer_without_consent(cast, smtp_inbox, immediate_tasks):
    case = staff_case(cast)
    case_close(case=case, reason="Customer declined contact")
    assert case.followup_due_at is None
    assert recovery_tick_run(now=timezone.now() + timedelta(days=30))["followups"] == 0
    assert smtp_inbox.messages == []
