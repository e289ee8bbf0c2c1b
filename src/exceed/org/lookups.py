"""Turning the codes of the organisation that a client sends into rows, with an error that names the field.

Unknown codes are a client's mistake (400); a known location outside the token's scope is a
refusal (403), decided by ``require_location``.
"""

from django.utils.translation import gettext as _

from exceed.core.lookups import row_by_key
from exceed.errors import DomainError
from exceed.org.models import Location, Person, Region, Touchpoint
from exceed.org.scopes import Scope


def region_by_code(code: str, *, field: str = "region") -> Region:
    region = row_by_key(Region, "code", code)
    if region is None:
        raise DomainError(_("Unknown region code: %(code)s") % {"code": code}, field=field)
    return region


def location_by_code(code: str, *, field: str = "location") -> Location:
    location = row_by_key(Location, "code", code)
    if location is None:
        raise DomainError(_("Unknown location code: %(code)s") % {"code": code}, field=field)
    return location


def touchpoint_by_code(code: str | None, *, field: str = "touchpoint") -> Touchpoint | None:
    if not code:
        return None
    touchpoint = row_by_key(Touchpoint, "code", code)
    if touchpoint is None:
        raise DomainError(_("Unknown touchpoint code: %(code)s") % {"code": code}, field=field)
    return touchpoint


def locations_by_code(codes: list[str], *, field: str = "locations") -> list[Location]:
    found = {location.code: location for location in Location.objects.filter(code__in=codes)}
    for code in codes:
        if code not in found:
            raise DomainError(_("Unknown location code: %(code)s") % {"code": code}, field=field)
    return [found[code] for code in dict.fromkeys(codes)]


def staff_of_location(ids: list[int], location: Location, *, field: str) -> list[Person]:
    """The people with these ids, each of whom must work at ``location``."""
    wanted = set(ids)
    people = list(Person.objects.filter(pk__in=wanted, locations=location)) if wanted else []
    if len(people) != len(wanted):
        missing = sorted(wanted - {person.pk for person in people})
        raise DomainError(
            _("Person %(id)s does not work at %(location)s.") % {"id": missing[0], "location": location.code},
            field=field,
        )
    return people


def require_location(scope: Scope, location: Location, *, field: str = "location") -> None:
    """Writes that attach to a location need a manager's scope over it.

    Associates read their own location but may not write for it: feedback about themselves
    entered by themselves would not be feedback.
    """
    if not scope.may_write_at(location.pk):
        raise DomainError(
            _("This token may not act for the location %(code)s.") % {"code": location.code}, field=field, status=403
        )
