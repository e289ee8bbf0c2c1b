"""Logins and API tokens: every write to who may sign in, with which role and scope, goes here.

Whether the acting login may hand out a role over a scope is decided by ``Scope.may_grant`` and
``Scope.may_manage_login`` (org/scopes.py); these functions ask and refuse with a DomainError.
A new login gets no password: the invitation email carries a link to choose one, so no
password is ever typed by someone else, shown on a page or given on a command line.
"""

from collections.abc import Sequence

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from exceed.api.models import ApiToken
from exceed.errors import DomainError
from exceed.org.models import LANGUAGE_CODES, Location, Membership, Person, Region, Role
from exceed.org.scopes import Scope


def _check_grant(
    *, by: Scope, role: str, regions: Sequence[Region], locations: Sequence[Location], person: Person | None
) -> None:
    """The role's scope is complete and the acting login may hand it out."""
    if role not in Role.values:
        raise DomainError(_("Unknown role: %(role)s") % {"role": role}, field="role")
    if role == Role.REGIONAL_MANAGER and not regions:
        raise DomainError(_("A regional manager needs at least one region."), field="regions")
    if role == Role.LOCATION_MANAGER and not locations:
        raise DomainError(_("A location manager needs at least one location."), field="locations")
    if role == Role.ASSOCIATE and person is None:
        raise DomainError(
            _("An associate sees the feedback that names them, so choose the person they are."), field="person"
        )
    if regions and role != Role.REGIONAL_MANAGER:
        raise DomainError(_("Only a regional manager covers regions."), field="regions")
    if locations and role != Role.LOCATION_MANAGER:
        raise DomainError(_("Only a location manager covers chosen locations."), field="locations")
    if role == Role.ASSOCIATE:
        location_ids = frozenset(person.locations.values_list("pk", flat=True))
    else:
        location_ids = frozenset(location.pk for location in locations)
    if not by.may_grant(role=role, region_ids=frozenset(region.pk for region in regions), location_ids=location_ids):
        raise DomainError(_("You may not give this role over these regions or locations."), field="role", status=403)


def _check_person(*, person: Person | None, user: User | None) -> None:
    if person is not None and person.user_id is not None and person.user_id != getattr(user, "pk", None):
        raise DomainError(_("%(person)s has a login already.") % {"person": person.name}, field="person")


def _check_email(email: str) -> str:
    email = email.strip()
    try:
        validate_email(email)
    except ValidationError:
        raise DomainError(_("Enter a valid email address."), field="email") from None
    return email


def _check_language(language: str | None) -> None:
    if language and language not in LANGUAGE_CODES:
        raise DomainError(_("Unknown language: %(language)s") % {"language": language}, field="language")


def _set_membership(
    *,
    user: User,
    role: str,
    regions: Sequence[Region],
    locations: Sequence[Location],
    person: Person | None,
    language: str | None = None,
) -> None:
    defaults = {"role": role} if language is None else {"role": role, "language": language}
    membership, _created = Membership.objects.update_or_create(user=user, defaults=defaults)
    membership.regions.set(regions)
    membership.locations.set(locations)
    # Only owners reach the Django admin; a demoted owner loses it with the role.
    if user.is_staff != (role == Role.OWNER) and not user.is_superuser:
        user.is_staff = role == Role.OWNER
        user.save(update_fields=["is_staff"])
    Person.objects.filter(user=user).exclude(pk=getattr(person, "pk", None)).update(user=None)
    if person is not None and person.user_id != user.pk:
        person.user = user
        person.save(update_fields=["user"])


@transaction.atomic
def login_invite(
    *,
    by: Scope,
    username: str,
    email: str,
    role: str,
    regions: Sequence[Region] = (),
    locations: Sequence[Location] = (),
    person: Person | None = None,
    language: str = "",
) -> User:
    """A new login with a role and scope, and no password until the invited person chooses one.

    ``language``: the one its emails are written in; empty, the store's each email is about."""
    username = username.strip()
    if not username:
        raise DomainError(_("A username is required."), field="username")
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(_("The username %(username)s is taken.") % {"username": username}, field="username")
    email = _check_email(email)
    _check_grant(by=by, role=role, regions=regions, locations=locations, person=person)
    _check_person(person=person, user=None)
    _check_language(language)
    user = User(username=username, email=email, is_staff=role == Role.OWNER)
    user.set_unusable_password()
    user.save()
    _set_membership(user=user, role=role, regions=regions, locations=locations, person=person, language=language)
    return user


@transaction.atomic
def login_update(
    *,
    by: Scope,
    user: User,
    email: str,
    role: str,
    regions: Sequence[Region] = (),
    locations: Sequence[Location] = (),
    person: Person | None = None,
    language: str | None = None,
) -> User:
    """Change a login's email, role, scope and (unless None) language. Both the old and the new
    must be the actor's to give."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not by.may_manage_login(user):
        raise DomainError(_("You may not change this login."), status=403)
    email = _check_email(email)
    _check_grant(by=by, role=role, regions=regions, locations=locations, person=person)
    _check_person(person=person, user=user)
    _check_language(language)
    if user.email != email:
        user.email = email
        user.save(update_fields=["email"])
    _set_membership(user=user, role=role, regions=regions, locations=locations, person=person, language=language)
    return user


@transaction.atomic
def login_set_active(*, by: Scope, user: User, active: bool) -> User:
    """Deactivate (or reactivate) a login. A deactivated login cannot sign in and its API tokens
    stop at once (the token check reads ``is_active`` on every call); nothing of its history goes."""
    if user.pk == by.user_id:
        raise DomainError(_("You cannot deactivate your own login."), status=403)
    user = User.objects.select_for_update().get(pk=user.pk)
    if not by.may_manage_login(user):
        raise DomainError(_("You may not change this login."), status=403)
    if user.is_active != active:
        user.is_active = active
        user.save(update_fields=["is_active"])
    return user


def login_set_password_url(*, user: User) -> str:
    """The address where ``user`` chooses a password; it works once and for PASSWORD_RESET_TIMEOUT."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.BASE_URL + reverse("org:welcome", args=[uid, token])


def login_invitation_send(*, user: User, language: str, invited_by: User | None = None) -> None:
    """Email ``user`` a link to choose a password, in ``language``. Raises on an SMTP failure, so
    the caller can say so; nothing is written, and sending again issues a fresh link."""
    if not user.is_active:
        raise DomainError(_("This login is deactivated; activate it before inviting again."))
    if not user.email:
        raise DomainError(_("This login has no email address."), field="email")
    if language not in LANGUAGE_CODES:
        raise DomainError(_("Unknown language: %(language)s") % {"language": language}, field="language")
    with translation.override(language):
        context = {
            "user": user,
            "link": login_set_password_url(user=user),
            "invited_by": invited_by.get_full_name() or invited_by.username if invited_by else "",
            "role": user.membership.get_role_display() if hasattr(user, "membership") else "",
        }
        subject = render_to_string("org/email/login_invitation_subject.txt", context).strip()
        text = render_to_string("org/email/login_invitation.txt", context)
    EmailMultiAlternatives(subject=subject, body=text, to=[user.email]).send()


def login_language(*, user: User, fallback: str) -> str:
    """The language an invitation is written in: the login's own choice, the invited person's home
    location's, else ``fallback``."""
    membership = getattr(user, "membership", None)
    if membership is not None and membership.language:
        return membership.language
    person = getattr(user, "person", None)
    location = person.locations.order_by("pk").first() if person else None
    if location is None and hasattr(user, "membership"):
        location = user.membership.locations.order_by("pk").first()
    return location.default_language if location else fallback


# --- API tokens ----------------------------------------------------------------------------------


def _token_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise DomainError(_("Give the token a name, so you know later where it is used."), field="name")
    if len(name) > ApiToken._meta.get_field("name").max_length:
        raise DomainError(_("The name is too long."), field="name")
    return name


def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token and its key; the key is shown once and only its hash is kept."""
    if not user.is_active:
        raise DomainError(_("This login is deactivated."), field="username")
    with transaction.atomic():
        return ApiToken.issue(user=user, name=_token_name(name))


def api_token_rename(*, token: ApiToken, name: str) -> ApiToken:
    token.name = _token_name(name)
    token.save(update_fields=["name"])
    return token


def api_token_revoke(*, token: ApiToken) -> ApiToken:
    """Revoke at once: the API checks ``revoked`` on every call, nothing caches it."""
    ApiToken.objects.filter(pk=token.pk).update(revoked=True)
    token.revoked = True
    return token
