"""Every write to the organisation goes through these functions."""

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils.translation import gettext as _

from exceed.core.texts import translations_clean
from exceed.errors import DomainError
from exceed.org.models import LANGUAGE_CODES, Location, Membership, Person, Region, Role, Touchpoint, validate_timezone

# Sent with ``location=`` inside the transaction that creates a store, so that the apps above
# (feedback: its survey link and poster) add what a new store needs, all or nothing with it.
# org imports no app above it; they connect here.
location_created = Signal()

LOCATION_FIELDS = ("name", "region", "timezone", "default_language", "address", "active", "latitude", "longitude")
PERSON_FIELDS = ("name", "email", "job_role", "external_ref", "active", "shown_to_customers")


def _check_location_values(values: dict) -> None:
    if "timezone" in values:
        try:
            validate_timezone(values["timezone"])
        except ValidationError:
            raise DomainError(
                _("%(value)s is not a known time zone.") % {"value": values["timezone"]}, field="timezone"
            ) from None
    if "default_language" in values and values["default_language"] not in LANGUAGE_CODES:
        raise DomainError(
            _("Unknown language: %(language)s") % {"language": values["default_language"]}, field="default_language"
        )
    if "name" in values and not str(values["name"]).strip():
        raise DomainError(_("A name is required."), field="name")
    if "latitude" in values and values["latitude"] is not None and not -90 <= values["latitude"] <= 90:
        raise DomainError(_("The latitude is a number from -90 to 90."), field="latitude")
    if "longitude" in values and values["longitude"] is not None and not -180 <= values["longitude"] <= 180:
        raise DomainError(_("The longitude is a number from -180 to 180."), field="longitude")


def region_get_or_create(*, code: str, name: str | None = None) -> Region:
    region, _created = Region.objects.get_or_create(code=code, defaults={"name": name or code})
    return region


def region_create(*, code: str, name: str) -> Region:
    if not code or Region.objects.filter(code=code).exists():
        raise DomainError(_("A region with the code %(code)s exists already.") % {"code": code}, field="code")
    if not name.strip():
        raise DomainError(_("A name is required."), field="name")
    return Region.objects.create(code=code, name=name.strip())


def region_update(*, region: Region, name: str) -> Region:
    if not name.strip():
        raise DomainError(_("A name is required."), field="name")
    region.name = name.strip()
    region.save(update_fields=["name"])
    return region


@transaction.atomic
def location_create(
    *,
    code: str,
    name: str,
    region: Region,
    timezone: str = "UTC",
    default_language: str = "en",
    address: str = "",
    latitude: float | None = None,
    longitude: float | None = None,
) -> Location:
    """A store; its coordinates are optional (for the mystery shoppers' "shops near me")."""
    values = {
        "name": name,
        "timezone": timezone,
        "default_language": default_language,
        "latitude": latitude,
        "longitude": longitude,
    }
    _check_location_values(values)
    if not code or Location.objects.filter(code=code).exists():
        raise DomainError(_("A location with the code %(code)s exists already.") % {"code": code}, field="code")
    location = Location.objects.create(code=code, region=region, address=address, **values)
    location_created.send(sender=Location, location=location)
    return location


def location_update(*, location: Location, **values) -> Location:
    unknown = set(values) - set(LOCATION_FIELDS)
    if unknown:
        raise DomainError(_("Unknown field: %(field)s") % {"field": sorted(unknown)[0]}, field=sorted(unknown)[0])
    _check_location_values(values)
    for name, value in values.items():
        setattr(location, name, value)
    location.save()
    return location


def _check_touchpoint_values(*, name: str, position: int) -> None:
    if not name.strip():
        raise DomainError(_("A name is required."), field="name")
    if not 0 <= position <= 32767:
        raise DomainError(_("The position is a number from 0 to 32767."), field="position")


def touchpoint_create(*, code: str, name: str, names: dict | None = None, position: int = 0) -> Touchpoint:
    """A touchpoint; ``names`` are the owner's translations (core.texts), ``name`` the fallback."""
    _check_touchpoint_values(name=name, position=position)
    if not code or Touchpoint.objects.filter(code=code).exists():
        raise DomainError(_("A touchpoint with the code %(code)s exists already.") % {"code": code}, field="code")
    return Touchpoint.objects.create(
        code=code, name=name.strip(), names=translations_clean(names or {}), position=position
    )


def touchpoint_update(*, touchpoint: Touchpoint, name: str, names: dict, position: int) -> Touchpoint:
    _check_touchpoint_values(name=name, position=position)
    touchpoint.name, touchpoint.names, touchpoint.position = name.strip(), translations_clean(names), position
    touchpoint.save(update_fields=["name", "names", "position"])
    return touchpoint


@transaction.atomic
def person_create(
    *,
    name: str,
    locations: list[Location],
    email: str = "",
    job_role: str = "",
    external_ref: str | None = None,
    user: User | None = None,
    shown_to_customers: bool = False,
) -> Person:
    if not name.strip():
        raise DomainError(_("A name is required."), field="name")
    if external_ref and Person.objects.filter(external_ref=external_ref).exists():
        raise DomainError(
            _("A person with the employee number %(ref)s exists already.") % {"ref": external_ref}, field="external_ref"
        )
    person = Person.objects.create(
        name=name.strip(),
        email=email,
        job_role=job_role,
        external_ref=external_ref or None,
        user=user,
        shown_to_customers=shown_to_customers,
    )
    person.locations.set(locations)
    return person


@transaction.atomic
def person_update(*, person: Person, locations: list[Location] | None = None, **values) -> Person:
    unknown = set(values) - set(PERSON_FIELDS)
    if unknown:
        raise DomainError(_("Unknown field: %(field)s") % {"field": sorted(unknown)[0]}, field=sorted(unknown)[0])
    ref = values.get("external_ref")
    if ref and Person.objects.filter(external_ref=ref).exclude(pk=person.pk).exists():
        raise DomainError(
            _("A person with the employee number %(ref)s exists already.") % {"ref": ref}, field="external_ref"
        )
    for name, value in values.items():
        setattr(person, name, value)
    person.save()
    if locations is not None:
        person.locations.set(locations)
    return person


@transaction.atomic
def user_create(
    *, username: str, email: str, password: str, role: str, regions=(), locations=(), person: Person | None = None
) -> User:
    """A login with its role and scope; an associate is tied to their Person record."""
    if role not in Role.values:
        raise DomainError(_("Unknown role: %(role)s") % {"role": role}, field="role")
    if User.objects.filter(username=username).exists():
        raise DomainError(_("The username %(username)s is taken.") % {"username": username}, field="username")
    user = User.objects.create_user(username=username, email=email, password=password, is_staff=role == Role.OWNER)
    membership = Membership.objects.create(user=user, role=role)
    membership.regions.set(regions)
    membership.locations.set(locations)
    if person is not None:
        person.user = user
        person.save(update_fields=["user"])
    return user


def admin_create(*, username: str, email: str, password: str) -> User:
    """An owner with access to the Django admin (the back office)."""
    if User.objects.filter(username=username).exists():
        raise DomainError(_("The username %(username)s is taken.") % {"username": username}, field="username")
    with transaction.atomic():
        user = User.objects.create_superuser(username=username, email=email, password=password)
        Membership.objects.create(user=user, role=Role.OWNER)
    return user
