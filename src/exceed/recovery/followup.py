"""The outcome of a recovery: the follow-up survey sent after closing, and what its answer says
(issue 3, item 6; the justice dimensions after Tax, Brown & Chandrashekaran 1998)."""

import json
from datetime import datetime
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from exceed.feedback.models import Response, Survey
from exceed.feedback.services import invitation_create, survey_import
from exceed.recovery.defaults import FOLLOWUP_SURVEY_SLUG
from exceed.recovery.models import CaseStatus, RecoveryCase

# A recovery rated this low failed twice: the customer was let down, then let down again.
DOUBLE_DEVIATION_AT_MOST = 2


def is_followup_survey(survey: Survey) -> bool:
    return survey.slug == FOLLOWUP_SURVEY_SLUG


def followup_survey_install() -> Survey:
    """The follow-up survey, created on first use from the translated definition beside this module."""
    existing = Survey.objects.filter(slug=FOLLOWUP_SURVEY_SLUG).first()
    if existing is not None:
        return existing
    definition = json.loads((Path(__file__).parent / "followup_survey.json").read_text(encoding="utf-8"))
    return survey_import(definition=definition)


def followups_send_due(*, now: datetime | None = None) -> int:
    """Invite each consenting customer whose case closed long enough ago; returns how many.

    The invitation is linked to the case by a conditional update: a concurrent run that loses the
    claim rolls its invitation back, so a customer gets one follow-up per case.
    """
    from exceed.feedback.tasks import invitation_send

    now = now or timezone.now()
    due = RecoveryCase.objects.filter(
        status=CaseStatus.CLOSED,
        followup_due_at__lte=now,
        followup_invitation__isnull=True,
        contact_consent=True,
    ).exclude(contact_email="")
    due_ids = list(due.values_list("pk", flat=True)[:500])
    if not due_ids:
        return 0
    survey = followup_survey_install()
    sent = 0
    for case in RecoveryCase.objects.filter(pk__in=due_ids).select_related("location", "touchpoint"):
        with transaction.atomic():
            invitation = invitation_create(
                survey=survey,
                location=case.location,
                email=case.contact_email,
                touchpoint=case.touchpoint,
                language=case.language,
                transaction_ref=f"case-{case.pk}",
            )
            won = RecoveryCase.objects.filter(pk=case.pk, followup_invitation__isnull=True).update(
                followup_invitation=invitation
            )
            if not won:
                transaction.set_rollback(True)
                continue
            transaction.on_commit(lambda pk=invitation.pk: invitation_send.enqueue(pk))
            sent += 1
    return sent


def _number(answers: dict, code: str) -> int | None:
    answer = answers.get(code)
    return answer.number if answer is not None else None


@transaction.atomic
def followup_record_outcome(*, response: Response) -> RecoveryCase | None:
    """Make a follow-up answer the case's outcome; a rating of 1–2 reopens the case."""
    if response.invitation_id is None:
        return None
    case = RecoveryCase.objects.select_for_update().filter(followup_invitation_id=response.invitation_id).first()
    if case is None or case.outcome_response_id is not None:
        return case
    answers = {answer.question.code: answer for answer in response.answers.select_related("question")}
    impressed_choice = answers.get("impressed")
    impressed_how = answers.get("impressed_how")
    case.outcome_response = response
    case.outcome_at = response.submitted_at
    case.outcome_rating = _number(answers, "handled")
    case.outcome_distributive = _number(answers, "distributive")
    case.outcome_procedural = _number(answers, "procedural")
    case.outcome_interactional = _number(answers, "interactional")
    case.outcome_return_likelihood = response.return_likelihood
    case.impressed = ("yes" in impressed_choice.choices) if impressed_choice is not None else None
    case.impressed_text = impressed_how.text if impressed_how is not None else ""
    case.double_deviation = case.outcome_rating is not None and case.outcome_rating <= DOUBLE_DEVIATION_AT_MOST
    case.save(
        update_fields=[
            "outcome_response",
            "outcome_at",
            "outcome_rating",
            "outcome_distributive",
            "outcome_procedural",
            "outcome_interactional",
            "outcome_return_likelihood",
            "impressed",
            "impressed_text",
            "double_deviation",
        ]
    )
    if case.double_deviation and case.status == CaseStatus.CLOSED:
        from exceed.recovery.services import case_reopen  # services → tasks → followup at module level
        from exceed.recovery.tasks import case_double_deviation_alert

        case_reopen(case=case, note="double deviation")
        # Reached once per case: the outcome is recorded only for the first follow-up answer.
        transaction.on_commit(lambda: case_double_deviation_alert.enqueue(case.pk))
    return case
