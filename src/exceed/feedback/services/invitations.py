"""Email invitations: created (one by one or as a batch), issued a single-use token, sent, opened, reminded."""

import hashlib
import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from exceed.errors import DomainError
from exceed.feedback.models import (
    Invitation,
    InvitationBatch,
    InvitationStatus,
    Survey,
)
from exceed.org.models import LANGUAGE_CODES, Location, Person, Touchpoint


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_create(
    *,
    survey: Survey,
    location: Location,
    email: str,
    touchpoint: Touchpoint | None = None,
    person: Person | None = None,
    language: str = "",
    transaction_ref: str = "",
) -> Invitation:
    return Invitation.objects.create(
        **_invitation_fields(
            survey=survey,
            location=location,
            email=email,
            touchpoint=touchpoint,
            person=person,
            language=language,
            transaction_ref=transaction_ref,
        )
    )


def _invitation_fields(*, email: str, language: str, **fields) -> dict:
    """An invitation's fields once its language and address are checked."""
    if language and language not in LANGUAGE_CODES:
        raise DomainError(_("Unknown language: %(language)s") % {"language": language}, field="language")
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    try:
        if len(email) > 254:
            raise ValidationError("too long")
        validate_email(email)
    except ValidationError:
        raise DomainError(_("Please enter a valid email address."), field="email") from None
    return {**fields, "email": email, "language": language}


def invitation_issue_token(*, invitation: Invitation, reminder: bool = False) -> str:
    """A fresh single-use token; only its hash is kept, so a database leak opens no surveys.

    A reminder gets a token of its own: the first email's link must keep working.
    """
    token = secrets.token_urlsafe(24)
    field = "reminder_token_hash" if reminder else "token_hash"
    Invitation.objects.filter(pk=invitation.pk).update(**{field: hash_token(token)})
    setattr(invitation, field, hash_token(token))
    return token


def invitation_mark_sent(*, invitation: Invitation, error: str = "") -> None:
    if error:
        Invitation.objects.filter(pk=invitation.pk).update(status=InvitationStatus.FAILED, error=error[:2000])
    else:
        Invitation.objects.filter(
            pk=invitation.pk, status__in=[InvitationStatus.PENDING, InvitationStatus.FAILED]
        ).update(status=InvitationStatus.SENT, sent_at=timezone.now(), error="")


def invitation_mark_opened(*, invitation: Invitation) -> None:
    Invitation.objects.filter(pk=invitation.pk, opened_at__isnull=True).update(opened_at=timezone.now())
    Invitation.objects.filter(pk=invitation.pk, status=InvitationStatus.SENT).update(status=InvitationStatus.OPENED)


# The longest wait a batch may set before its one reminder.
REMINDER_DAYS_MAX = 60
# Claimed per run of the worker's periodic job; the rest wait for the next minute.
CLAIM_LIMIT = 2000


@transaction.atomic
def invitation_batch_create(
    *,
    survey: Survey,
    location: Location,
    rows: list[dict],
    touchpoint: Touchpoint | None = None,
    person: Person | None = None,
    created_by=None,
    send_after: datetime | None = None,
    reminder_days: int | None = None,
) -> InvitationBatch:
    """One invitation per row (checked already: email, language, transaction_ref and optional overrides
    of location, touchpoint, person and survey), all sent by the worker at ``send_after`` (now if None).
    """
    if not rows:
        raise DomainError(_("Give at least one email address."), field="addresses")
    if reminder_days is not None and not 1 <= reminder_days <= REMINDER_DAYS_MAX:
        raise DomainError(
            _("The reminder must come between 1 and %(max)s days after the invitation.") % {"max": REMINDER_DAYS_MAX},
            field="reminder_days",
        )
    batch = InvitationBatch.objects.create(
        survey=survey,
        location=location,
        touchpoint=touchpoint,
        person=person,
        created_by=created_by,
        send_after=send_after or timezone.now(),
        reminder_days=reminder_days,
    )
    # One INSERT per thousand rows: a file of 10,000 customers is stored within one request.
    Invitation.objects.bulk_create(
        (
            Invitation(
                **_invitation_fields(
                    survey=row.get("survey") or survey,
                    location=row.get("location") or location,
                    touchpoint=row.get("touchpoint") or touchpoint,
                    person=row.get("person") or person,
                    email=row["email"],
                    language=row.get("language") or "",
                    transaction_ref=row.get("transaction_ref") or "",
                    batch=batch,
                    send_after=batch.send_after,
                )
            )
            for row in rows
        ),
        batch_size=1000,
    )
    return batch


def invitations_claim_due(*, now: datetime, batch: InvitationBatch | None = None) -> list[int]:
    """Invitations whose send time has come, each claimed by a conditional update so that two
    workers (or the page and the worker) never queue the same one twice."""
    # An invitation without an address was erased at the customer's request (exceed.privacy).
    due = Invitation.objects.filter(
        status=InvitationStatus.PENDING, queued_at__isnull=True, send_after__lte=now
    ).exclude(email="")
    if batch is not None:
        due = due.filter(batch=batch)
    claimed = []
    for pk in due.order_by("send_after", "pk").values_list("pk", flat=True)[:CLAIM_LIMIT]:
        if Invitation.objects.filter(pk=pk, queued_at__isnull=True).update(queued_at=now):
            claimed.append(pk)
    return claimed


def invitations_claim_reminders(*, now: datetime) -> list[int]:
    """Sent or opened, unanswered invitations whose batch's reminder is due, each claimed once:
    ``reminded_at`` is set before the mail leaves, so a retried run never reminds anyone twice."""
    claimed: list[int] = []
    waits = (
        InvitationBatch.objects.filter(reminder_days__isnull=False).values_list("reminder_days", flat=True).distinct()
    )
    for days in sorted({days for days in waits if days}):
        due = Invitation.objects.filter(
            batch__reminder_days=days,
            status__in=[InvitationStatus.SENT, InvitationStatus.OPENED],
            answered_at__isnull=True,
            reminded_at__isnull=True,
            sent_at__lte=now - timedelta(days=days),
        ).exclude(email="")
        for pk in due.order_by("sent_at", "pk").values_list("pk", flat=True)[: CLAIM_LIMIT - len(claimed)]:
            if Invitation.objects.filter(pk=pk, reminded_at__isnull=True, answered_at__isnull=True).update(
                reminded_at=now
            ):
                claimed.append(pk)
    return claimed
