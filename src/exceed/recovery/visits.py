"""Recorded visits (from the till) and hashed contacts of respondents: the facts behind observed return."""

from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from exceed.bounds import code_problem, past_moment_problem
from exceed.errors import DomainError
from exceed.feedback.models import Response
from exceed.org.models import Location, Person
from exceed.recovery.defaults import FOLLOWUP_SURVEY_SLUG
from exceed.recovery.identity import customer_hash
from exceed.recovery.models import CustomerContact, TillVisit
from exceed.recovery.returns import contact_return_refresh, return_event_record


def visit_record(
    *,
    external_id: str,
    location: Location,
    visited_at: datetime,
    customer_ref: str,
    amount=None,
    served_by: Person | None = None,
) -> tuple[TillVisit, bool]:
    """Store one visit; the same external id again returns the stored visit (idempotent)."""
    external_id = (external_id or "").strip()
    if not external_id or len(external_id) > 120:
        raise DomainError(_("Each visit needs an external id of up to 120 characters."), field="external_id")
    for field, value in (("external_id", external_id), ("customer_ref", customer_ref or "")):
        if problem := code_problem(value):
            raise DomainError(problem, field=field)
    existing = TillVisit.objects.filter(external_id=external_id).first()
    if existing is not None:
        return existing, False
    if not (customer_ref or "").strip():
        raise DomainError(_("Each visit needs a customer reference."), field="customer_ref")
    if visited_at.tzinfo is None:
        raise DomainError(_("The visit time needs a time zone, e.g. 2025-03-01T12:00:00+01:00."), field="visited_at")
    if problem := past_moment_problem(visited_at):
        # A visit dated 2031 (or year 1) is a till's clock or a typing error, not a visit.
        raise DomainError(problem, field="visited_at")
    if amount not in (None, ""):
        try:
            amount = Decimal(str(amount)).quantize(Decimal("0.01"))
        except (InvalidOperation, ValueError):
            raise DomainError(_("The amount must be a number."), field="amount") from None
        # TillVisit.amount holds 12 digits, 10 before the point; a larger one would be the database's
        # error (a 500 on PostgreSQL), not the client's.
        if not amount.is_finite() or abs(amount) >= Decimal("10000000000"):
            raise DomainError(_("The amount must be below 10,000,000,000."), field="amount")
    else:
        amount = None
    if served_by is not None and not served_by.locations.filter(pk=location.pk).exists():
        raise DomainError(_("This person does not work at this location."), field="served_by")
    try:
        with transaction.atomic():
            visit = TillVisit.objects.create(
                external_id=external_id,
                location=location,
                visited_at=visited_at,
                amount=amount,
                served_by=served_by,
                customer_hash=customer_hash(customer_ref),
            )
            return_event_record(identity=visit.customer_hash, at=visit.visited_at)
    except IntegrityError:
        # Two tills sent the same visit at once: the first one stored wins, the second gets it back.
        return TillVisit.objects.get(external_id=external_id), False
    return visit, True


def customer_contact_record(*, response: Response, fresh: bool = False) -> CustomerContact | None:
    """Remember a consenting respondent's hashed contact, so a later answer can count as a return.

    ``fresh``: the response was stored a moment ago, so its contact is inserted without looking
    for one first; the unique response refuses a second row if the signal comes twice.
    """
    contact = response.contact_email or response.contact_phone
    if not response.contact_consent or not contact:
        return None
    values = {
        "location_id": response.location_id,
        "contact_hash": customer_hash(contact),
        "submitted_at": response.submitted_at,
    }
    try:
        with transaction.atomic():
            if not fresh:
                found = CustomerContact.objects.filter(response=response).first()
                if found is not None:
                    return found
            contact = CustomerContact.objects.create(response=response, **values)
            # Whether this respondent comes back, and whether this answer is an earlier customer's
            # return (a follow-up's answer is ours, not a return), both kept on the rows.
            contact_return_refresh(contact=contact)
            if response.survey.slug != FOLLOWUP_SURVEY_SLUG:
                return_event_record(identity=contact.contact_hash, at=contact.submitted_at)
            return contact
    except IntegrityError:
        return CustomerContact.objects.get(response=response)
