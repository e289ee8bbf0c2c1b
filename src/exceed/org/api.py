"""Locations, people and touchpoints over the API: thin handlers over org services and selectors.

Owners create and change locations; managers read theirs. Managers (owner, regional, location)
create and change the people of the locations they cover; an associate reads only themselves.
"""

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Status

from exceed.api.schemas import ErrorOut
from exceed.api.types import Code
from exceed.errors import DomainError
from exceed.org import services
from exceed.org.lookups import locations_by_code, region_by_code
from exceed.org.models import Location, Person, Region, Touchpoint
from exceed.org.schemas import LocationIn, LocationOut, LocationPatch, PersonIn, PersonOut, PersonPatch, TouchpointOut
from exceed.org.scopes import Scope
from exceed.org.selectors import locations_visible, people_visible

router = Router()
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def _location_out(location: Location) -> dict:
    return {
        "code": location.code,
        "name": location.name,
        "region": location.region.code,
        "region_name": location.region.name,
        "timezone": location.timezone,
        "default_language": location.default_language,
        "address": location.address,
        "active": location.active,
    }


def _person_out(person: Person) -> dict:
    return {
        "id": person.pk,
        "name": person.name,
        "email": person.email,
        "job_role": person.job_role,
        "external_ref": person.external_ref,
        "active": person.active,
        "shown_to_customers": person.shown_to_customers,
        "locations": sorted(location.code for location in person.locations.all()),
    }


def _changes(payload) -> dict:
    """The fields a PATCH sets; an explicit null is refused rather than silently ignored."""
    values = payload.dict(exclude_unset=True)
    for name, value in values.items():
        if value is None:
            raise DomainError(_("%(field)s may not be null.") % {"field": name}, field=name)
    return values


def _require_owner(scope: Scope) -> None:
    if not scope.is_owner:
        raise DomainError(_("Only owners may change locations."), status=403)


def _require_manager(scope: Scope) -> None:
    if not scope.manages_locations:
        raise DomainError(_("Only managers may change people."), status=403)


def _require_covered(scope: Scope, locations: list[Location]) -> None:
    for location in locations:
        if not scope.covers_location(location.pk):
            raise DomainError(
                _("This token may not act for the location %(code)s.") % {"code": location.code},
                field="locations",
                status=403,
            )


# --- Locations -----------------------------------------------------------------------------------


@router.get("/locations", response=list[LocationOut], tags=["organisation"])
def location_list(request):
    return [_location_out(location) for location in locations_visible(request.scope).order_by("code")]


@router.post("/locations", response={201: LocationOut, **ERRORS}, tags=["organisation"])
def location_create(request, payload: LocationIn):
    _require_owner(request.scope)
    if payload.region_name and not Region.objects.filter(code=payload.region).exists():
        region = services.region_get_or_create(code=payload.region, name=payload.region_name)
    else:
        region = region_by_code(payload.region)
    location = services.location_create(
        code=payload.code,
        name=payload.name,
        region=region,
        timezone=payload.timezone,
        default_language=payload.default_language,
        address=payload.address,
    )
    return Status(201, _location_out(location))


def _visible_location(request, code: str) -> Location:
    location = locations_visible(request.scope).filter(code=code).first()
    if location is None:
        raise Http404(code)
    return location


@router.get("/locations/{code}", response={200: LocationOut, 404: ErrorOut}, tags=["organisation"])
def location_detail(request, code: Code):
    return _location_out(_visible_location(request, code))


@router.patch("/locations/{code}", response={200: LocationOut, **ERRORS}, tags=["organisation"])
def location_update(request, code: Code, payload: LocationPatch):
    location = _visible_location(request, code)
    _require_owner(request.scope)
    values = _changes(payload)
    if "region" in values:
        values["region"] = region_by_code(values["region"])
    return _location_out(services.location_update(location=location, **values))


# --- People --------------------------------------------------------------------------------------


@router.get("/people", response={200: list[PersonOut], **ERRORS}, tags=["organisation"])
def person_list(request, location: str | None = None, active: bool | None = None):
    people = people_visible(request.scope).prefetch_related("locations").order_by("name", "pk")
    if location:
        people = people.filter(locations__code=location)
    if active is not None:
        people = people.filter(active=active)
    return [_person_out(person) for person in people]


@router.post("/people", response={201: PersonOut, **ERRORS}, tags=["organisation"])
def person_create(request, payload: PersonIn):
    scope = request.scope
    _require_manager(scope)
    locations = locations_by_code(payload.locations)
    _require_covered(scope, locations)
    if not locations and not scope.is_owner:
        # A person with no location would vanish from the scope of the manager who created them.
        raise DomainError(_("Give at least one location."), field="locations")
    person = services.person_create(
        name=payload.name,
        locations=locations,
        email=payload.email,
        job_role=payload.job_role,
        external_ref=payload.external_ref,
        shown_to_customers=payload.shown_to_customers,
    )
    return Status(201, _person_out(person))


def _visible_person(request, person_id: int) -> Person:
    person = people_visible(request.scope).filter(pk=person_id).prefetch_related("locations").first()
    if person is None:
        raise Http404(person_id)
    return person


@router.get("/people/{int:person_id}", response={200: PersonOut, 404: ErrorOut}, tags=["organisation"])
def person_detail(request, person_id: int):
    return _person_out(_visible_person(request, person_id))


@router.patch("/people/{int:person_id}", response={200: PersonOut, **ERRORS}, tags=["organisation"])
def person_update(request, person_id: int, payload: PersonPatch):
    scope = request.scope
    person = _visible_person(request, person_id)
    _require_manager(scope)
    values = _changes(payload)
    locations = None
    if "locations" in values:
        locations = locations_by_code(values.pop("locations"))
        # A manager may move someone in and out of their own stores, never out of someone else's.
        before = set(person.locations.all())
        _require_covered(scope, sorted(before ^ set(locations), key=lambda location: location.code))
        if not locations and not scope.is_owner:
            raise DomainError(_("Give at least one location."), field="locations")
    person = services.person_update(person=person, locations=locations, **values)
    return _person_out(Person.objects.prefetch_related("locations").get(pk=person.pk))


# --- Touchpoints ---------------------------------------------------------------------------------


@router.get("/touchpoints", response=list[TouchpointOut], tags=["organisation"])
def touchpoint_list(request):
    # Touchpoints are configuration, not staff data, but a login without a role sees nothing.
    if not request.scope.sees_staff_data:
        return []
    return list(Touchpoint.objects.values("code", "name", "names", "position"))
