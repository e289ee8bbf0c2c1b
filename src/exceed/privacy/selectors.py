"""Reads for privacy requests: what is held about one customer, across every app, and its export.

A customer is found (``identifiers``) by the contact fields of responses and recovery cases, by
invitation addresses, and, through recovery's keyed hashes of their email or phone, by their cases'
and till visits' customer references. Responses answered through a found invitation, and the cases
opened from found responses, are theirs too even where they left no contact.
"""

from dataclasses import dataclass

from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Replace

from exceed.feedback.models import Answer, Invitation, Response
from exceed.org.scopes import Scope
from exceed.privacy.identifiers import CustomerIdentifier
from exceed.privacy.models import PrivacyAudit, RetentionPeriod
from exceed.recovery.identity import customer_hash
from exceed.recovery.models import CustomerContact, RecoveryCase, TillVisit

# What separates a phone number's digits as people type them.
_PHONE_SEPARATORS = " -().+/"


def _digits_of(field: str):
    """The column with separators removed, in SQL (REPLACE runs on SQLite and PostgreSQL alike)."""
    expression: F | Replace = F(field)
    for character in _PHONE_SEPARATORS:
        expression = Replace(expression, Value(character), Value(""))
    return expression


def _contact_match(identifier: CustomerIdentifier, *, email_field: str, phone_field: str, queryset: QuerySet):
    condition = Q(pk__in=[])
    if identifier.email:
        condition |= Q(**{f"{email_field}__iexact": identifier.email})
    if identifier.phone:
        queryset = queryset.alias(_phone_digits=_digits_of(phone_field))
        condition |= Q(_phone_digits__in=identifier.phone_forms()) & ~Q(**{phone_field: ""})
    return queryset.filter(condition)


@dataclass
class Holdings:
    """The primary keys of everything held about one customer, by source."""

    responses: list[int]
    invitations: list[int]
    cases: list[int]
    visits: list[int]
    # Recovery's hashed contacts of their responses (counted with the responses, not shown).
    contacts: list[int]
    # Recovery's keyed hashes of the customer's email and phone, as stored.
    hashes: list[str]

    def counts(self) -> dict[str, int]:
        return {
            "responses": len(self.responses),
            "invitations": len(self.invitations),
            "cases": len(self.cases),
            "visits": len(self.visits),
        }

    def __bool__(self) -> bool:
        return any(self.counts().values())


def customer_holdings(scope: Scope, identifier: CustomerIdentifier) -> Holdings:
    """Everything held about the customer; nothing for a scope that may not handle privacy requests."""
    if not scope.may_handle_privacy_requests or not identifier:
        return Holdings([], [], [], [], [], [])
    hashes = sorted({customer_hash(reference) for reference in identifier.references()} - {""})
    # Invitations hold an address only.
    invitations = (
        set(Invitation.objects.filter(email__iexact=identifier.email).values_list("pk", flat=True))
        if identifier.email
        else set()
    )
    responses = set(
        _contact_match(
            identifier, email_field="contact_email", phone_field="contact_phone", queryset=Response.objects.all()
        ).values_list("pk", flat=True)
    )
    responses |= set(Response.objects.filter(invitation_id__in=invitations).values_list("pk", flat=True))
    responses |= set(CustomerContact.objects.filter(contact_hash__in=hashes).values_list("response_id", flat=True))
    cases = set(
        _contact_match(
            identifier, email_field="contact_email", phone_field="contact_phone", queryset=RecoveryCase.objects.all()
        ).values_list("pk", flat=True)
    )
    cases |= set(
        RecoveryCase.objects.filter(
            Q(contact_hash__in=hashes)
            | Q(customer_ref_hash__in=hashes)
            | Q(response_id__in=responses)
            | Q(followup_invitation_id__in=invitations)
        ).values_list("pk", flat=True)
    )
    # The follow-up answer of a found case is the same customer's.
    responses |= {
        pk
        for pk in RecoveryCase.objects.filter(pk__in=cases).values_list("outcome_response_id", flat=True)
        if pk is not None
    }
    contacts = CustomerContact.objects.filter(Q(response_id__in=responses) | Q(contact_hash__in=hashes))
    visits = TillVisit.objects.filter(customer_hash__in=hashes) if hashes else TillVisit.objects.none()
    return Holdings(
        responses=sorted(responses),
        invitations=sorted(invitations),
        cases=sorted(cases),
        visits=sorted(visits.values_list("pk", flat=True)),
        contacts=sorted(contacts.values_list("pk", flat=True)),
        hashes=hashes,
    )


def _moment(value) -> str | None:
    return value.isoformat() if value is not None else None


def _answers_by_response(response_ids: list[int]) -> dict[int, list[dict]]:
    found: dict[int, list[dict]] = {}
    answers = Answer.objects.filter(response_id__in=response_ids).select_related("question").order_by("pk")
    for answer in answers:
        found.setdefault(answer.response_id, []).append(
            {
                "question": answer.question.code,
                "question_version": answer.question_version,
                "number": answer.number,
                "text": answer.text,
                "choices": answer.choices,
            }
        )
    return found


def _responses_export(pks: list[int]) -> list[dict]:
    answers = _answers_by_response(pks)
    rows = Response.objects.filter(pk__in=pks).select_related("survey", "location", "touchpoint").order_by("pk")
    return [
        {
            "id": response.pk,
            "survey": response.survey.slug,
            "location": response.location.code,
            "touchpoint": response.touchpoint.code if response.touchpoint else None,
            "channel": response.channel_kind,
            "language": response.language,
            "submitted_at": _moment(response.submitted_at),
            "transaction_ref": response.transaction_ref,
            "return_likelihood": response.return_likelihood,
            "expectation": response.expectation,
            "csat": response.csat,
            "comment": response.comment,
            "contact_consent": response.contact_consent,
            "contact_email": response.contact_email,
            "contact_phone": response.contact_phone,
            "consent": {
                "text": response.consent_text,
                "language": response.consent_language,
                "version": response.consent_version,
                "at": _moment(response.consent_at),
            },
            "answers": answers.get(response.pk, []),
        }
        for response in rows
    ]


def _invitations_export(pks: list[int]) -> list[dict]:
    rows = Invitation.objects.filter(pk__in=pks).select_related("survey", "location").order_by("pk")
    return [
        {
            "id": invitation.pk,
            "email": invitation.email,
            "survey": invitation.survey.slug,
            "location": invitation.location.code,
            "language": invitation.language,
            "transaction_ref": invitation.transaction_ref,
            "status": invitation.status,
            "created_at": _moment(invitation.created_at),
            "sent_at": _moment(invitation.sent_at),
            "opened_at": _moment(invitation.opened_at),
            "answered_at": _moment(invitation.answered_at),
        }
        for invitation in rows
    ]


def _cases_export(pks: list[int]) -> list[dict]:
    rows = (
        RecoveryCase.objects.filter(pk__in=pks)
        .select_related("location", "category")
        .prefetch_related("steps", "status_changes")
        .order_by("pk")
    )
    return [
        {
            "id": case.pk,
            "source": case.source,
            "location": case.location.code,
            "category": case.category.code,
            "severity": case.severity,
            "summary": case.summary,
            "description": case.description,
            "status": case.status,
            "opened_at": _moment(case.opened_at),
            "closed_at": _moment(case.closed_at),
            "response": case.response_id,
            "contact_consent": case.contact_consent,
            "contact_name": case.contact_name,
            "contact_email": case.contact_email,
            "contact_phone": case.contact_phone,
            "language": case.language,
            "outcome": {
                "rating": case.outcome_rating,
                "distributive": case.outcome_distributive,
                "procedural": case.outcome_procedural,
                "interactional": case.outcome_interactional,
                "return_likelihood": case.outcome_return_likelihood,
                "impressed": case.impressed,
                "impressed_text": case.impressed_text,
            },
            "steps": [
                {
                    "kind": step.kind,
                    "round": step.round,
                    "due_at": _moment(step.due_at),
                    "done_at": _moment(step.done_at),
                    "note": step.note,
                    "gesture_given": step.gesture_given,
                    "gesture_value": str(step.gesture_value) if step.gesture_value is not None else None,
                }
                for step in case.steps.all()
            ],
            "notes": [
                {"at": _moment(change.at), "status": change.to_status, "note": change.note}
                for change in case.status_changes.all()
                if change.note
            ],
        }
        for case in rows
    ]


def _visits_export(pks: list[int]) -> list[dict]:
    rows = TillVisit.objects.filter(pk__in=pks).select_related("location").order_by("pk")
    return [
        {
            "external_id": visit.external_id,
            "location": visit.location.code,
            "visited_at": _moment(visit.visited_at),
            "amount": str(visit.amount) if visit.amount is not None else None,
        }
        for visit in rows
    ]


def customer_export(holdings: Holdings) -> dict:
    """Everything held about the customer, as plain JSON-ready data (GDPR art. 15 and 20)."""
    return {
        "responses": _responses_export(holdings.responses),
        "invitations": _invitations_export(holdings.invitations),
        "recovery_cases": _cases_export(holdings.cases),
        "visits": _visits_export(holdings.visits),
    }


def audit_latest(scope: Scope, *, limit: int = 20) -> QuerySet[PrivacyAudit]:
    if not scope.may_handle_privacy_requests:
        return PrivacyAudit.objects.none()
    return PrivacyAudit.objects.all()[:limit]


def retention_days(kind: str) -> int | None:
    return RetentionPeriod.objects.filter(kind=kind).values_list("days", flat=True).first()
