"""Email invitations: created, issued a single-use token, sent, opened."""

import hashlib
import secrets

from django.utils import timezone
from django.utils.translation import gettext as _

from exceed.errors import DomainError
from exceed.feedback.models import (
    Invitation,
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
    return Invitation.objects.create(
        survey=survey,
        location=location,
        touchpoint=touchpoint,
        person=person,
        email=email,
        language=language,
        transaction_ref=transaction_ref,
    )


def invitation_issue_token(*, invitation: Invitation) -> str:
    """A fresh single-use token; only its hash is kept, so a database leak opens no surveys."""
    token = secrets.token_urlsafe(24)
    Invitation.objects.filter(pk=invitation.pk).update(token_hash=hash_token(token))
    invitation.token_hash = hash_token(token)
    return token


def invitation_mark_sent(*, invitation: Invitation, error: str = "") -> None:
    if error:
        Invitation.objects.filter(pk=invitation.pk).update(status=InvitationStatus.FAILED, error=error[:2000])
    else:
        Invitation.objects.filter(pk=invitation.pk, status__in=[InvitationStatus.PENDING, InvitationStatus.FAILED]).update(
            status=InvitationStatus.SENT, sent_at=timezone.now(), error=""
        )


def invitation_mark_opened(*, invitation: Invitation) -> None:
    Invitation.objects.filter(pk=invitation.pk, opened_at__isnull=True).update(opened_at=timezone.now())
    Invitation.objects.filter(pk=invitation.pk, status=InvitationStatus.SENT).update(status=InvitationStatus.OPENED)
