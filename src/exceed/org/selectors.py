"""Reads of the organisation, every one filtered by the caller's scope here and nowhere else."""

from django.db.models import QuerySet

from exceed.org.models import Location, Person
from exceed.org.scopes import Scope, locations_in_scope


def locations_visible(scope: Scope) -> QuerySet[Location]:
    return locations_in_scope(scope).select_related("region")


def people_visible(scope: Scope) -> QuerySet[Person]:
    """Managers see the people of their locations; an associate sees only themselves."""
    if not scope.sees_staff_data:
        return Person.objects.none()
    if scope.person_id is not None:
        return Person.objects.filter(pk=scope.person_id)
    if scope.location_ids is None:
        return Person.objects.all()
    # A subquery rather than a join, so someone working at two visible stores is listed once.
    at_locations = Person.locations.through.objects.filter(location_id__in=scope.location_ids)
    return Person.objects.filter(pk__in=at_locations.values("person_id"))
