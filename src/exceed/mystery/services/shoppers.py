"""Shoppers: invited by email, signed in by a signed link that expires and works once, the terms
accepted with their exact wording, the locations where they are known, active or paused."""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from exceed.core.texts import LANGUAGE_CODES
from exceed.errors import DomainError
from exceed.mystery.models import Shopper
from exceed.org.models import Location, Membership, Role

SIGNIN_SALT = "exceed.mystery.signin"
SIGNIN_MAX_AGE = timedelta(days=7)


def terms_text() -> str:
    """The terms a shopper accepts, in the active language; stored word for word on acceptance."""
    return _(
        "I visit as an ordinary customer and report what I observe, honestly and only about the "
        "experience. I do not shop where staff know me, and I tell no one which stores I shop. "
        "My name is never shown to the staff of the stores I visit. My reports, photos and receipts "
        "are kept for the programme's evidence period and then deleted. I am paid the reward and my "
        "purchases up to the limit once a report is approved."
    )


def _signin_state(user: User) -> str:
    # The link works once: signing in changes last_login, so the state signed into the link no longer matches.
    return user.last_login.isoformat() if user.last_login else "never"


def signin_token(*, user: User) -> str:
    return signing.dumps({"u": user.pk, "s": _signin_state(user)}, salt=SIGNIN_SALT)


def signin_user(*, token: str) -> User:
    """The shopper a sign-in link is for; a DomainError when it is forged, used or expired."""
    try:
        payload = signing.loads(token, salt=SIGNIN_SALT, max_age=SIGNIN_MAX_AGE)
    except signing.SignatureExpired:
        raise DomainError(_("This sign-in link has expired; ask for a new one."), field="token", status=400) from None
    except signing.BadSignature:
        raise DomainError(_("This sign-in link is not valid."), field="token", status=400) from None
    user = User.objects.filter(pk=payload.get("u"), is_active=True).select_related("shopper").first()
    if user is None or not hasattr(user, "shopper") or payload.get("s") != _signin_state(user):
        raise DomainError(_("This sign-in link has been used already; ask for a new one."), field="token")
    if not user.shopper.active:
        raise DomainError(_("Your shopper account is paused."), field="token", status=403)
    return user


def signin_email_send(*, shopper: Shopper) -> None:
    link = settings.BASE_URL + reverse("mystery:signin", args=[signin_token(user=shopper.user)])
    with translation.override(shopper.language):
        subject = _("Your sign-in link for mystery shopping")
        body = _(
            "Hello %(name)s,\n\nYou are invited to shop our stores as a mystery shopper. Sign in with this "
            "link (it works once, for 7 days; no password needed):\n\n%(link)s\n"
        ) % {"name": shopper.display_name, "link": link}
    EmailMessage(subject=subject, body=body, to=[shopper.user.email]).send()


@transaction.atomic
def shopper_invite(
    *, email: str, name: str, by: User | None, language: str = "en", known_at: list[Location] | tuple = ()
) -> Shopper:
    """Create the shopper's login (no password) and send the sign-in link after commit."""
    email = (email or "").strip().lower()
    name = " ".join((name or "").split())
    if "@" not in email or len(email) > 254:
        raise DomainError(_("Please give a valid email address."), field="email")
    if not name:
        raise DomainError(_("Please give the shopper's name."), field="name")
    if language not in LANGUAGE_CODES:
        raise DomainError(_("Unknown language: %(language)s") % {"language": language}, field="language")
    if User.objects.filter(username=email).exists() or User.objects.filter(email__iexact=email).exists():
        raise DomainError(_("Someone with this email address has a login already."), field="email")
    user = User.objects.create_user(username=email, email=email)  # unusable password: the link signs in
    Membership.objects.create(user=user, role=Role.MYSTERY_SHOPPER, language=language)
    shopper = Shopper.objects.create(
        user=user, display_name=name, language=language, invited_at=timezone.now(), invited_by=by
    )
    shopper.excluded_locations.set(known_at)
    transaction.on_commit(lambda: signin_email_send(shopper=shopper))
    return shopper


@transaction.atomic
def shopper_accept_terms(*, shopper: Shopper, wording: str, language: str, at: datetime | None = None) -> Shopper:
    if not wording.strip():
        raise DomainError(_("The terms could not be shown; please reload."), field="terms")
    shopper.terms_accepted_at, shopper.terms_text, shopper.terms_language = at or timezone.now(), wording, language
    shopper.save(update_fields=["terms_accepted_at", "terms_text", "terms_language"])
    return shopper


@transaction.atomic
def shopper_set_active(*, shopper: Shopper, active: bool) -> Shopper:
    shopper.active = active
    shopper.save(update_fields=["active"])
    return shopper


@transaction.atomic
def shopper_set_known_at(*, shopper: Shopper, locations: list[Location]) -> Shopper:
    shopper.excluded_locations.set(locations)
    return shopper


@transaction.atomic
def shopper_password_set(*, shopper: Shopper, password: str) -> Shopper:
    """A password besides the link, checked by the same validators as every Exceed password
    (AUTH_PASSWORD_VALIDATORS); the messages come in the active language."""
    user = shopper.user
    try:
        validate_password(password, user=user)
    except ValidationError as error:
        raise DomainError(" ".join(error.messages), field="password") from None
    user.set_password(password)
    user.save(update_fields=["password"])
    return shopper


def signin_link_request(*, email: str) -> None:
    """Email a new sign-in link to an active shopper with this address; nothing for anyone else.

    The caller answers the same either way, so the form tells no one which addresses are shoppers."""
    email = (email or "").strip()
    if not email:
        return
    shopper = (
        Shopper.objects.select_related("user")
        .filter(user__email__iexact=email, user__is_active=True, active=True)
        .first()
    )
    if shopper is not None:
        transaction.on_commit(lambda: signin_email_send(shopper=shopper))


@transaction.atomic
def shopper_home_set(
    *, shopper: Shopper, latitude: float | None, longitude: float | None, travel_km: int | None
) -> Shopper:
    """The shopper's home point (both or neither) and how far they will travel, for "shops near me"."""
    if (latitude is None) != (longitude is None):
        raise DomainError(_("Give both latitude and longitude, or neither."), field="home_latitude")
    if latitude is not None and not -90 <= latitude <= 90:
        raise DomainError(_("The latitude is a number from -90 to 90."), field="home_latitude")
    if longitude is not None and not -180 <= longitude <= 180:
        raise DomainError(_("The longitude is a number from -180 to 180."), field="home_longitude")
    if travel_km is not None and not 0 < travel_km <= 20000:
        raise DomainError(_("The distance is a whole number of kilometres from 1 to 20000."), field="travel_km")
    shopper.home_latitude, shopper.home_longitude, shopper.travel_km = latitude, longitude, travel_km
    shopper.save(update_fields=["home_latitude", "home_longitude", "travel_km"])
    return shopper
