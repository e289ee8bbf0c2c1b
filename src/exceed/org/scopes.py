"""Who sees what, decided in one place (docs/DESIGN.md, "Who sees what").

Every view, export and API route asks ``scope_for(user)`` and hands the result to a selector; no
code filters by role on its own. An unknown or role-less login gets the empty scope, so a new
kind of user sees nothing until someone decides otherwise.
"""

from dataclasses import dataclass

from exceed.org.models import Location, Role


@dataclass(frozen=True)
class Scope:
    role: str | None
    # None means every location; an empty set means none.
    location_ids: frozenset[int] | None
    # Set for associates: they see only feedback that names them.
    person_id: int | None = None
    user_id: int | None = None

    @property
    def is_owner(self) -> bool:
        return self.role == Role.OWNER

    @property
    def sees_staff_data(self) -> bool:
        """Mystery shoppers and outsiders never see feedback, people or cases."""
        return self.role in {Role.OWNER, Role.REGIONAL_MANAGER, Role.LOCATION_MANAGER, Role.ASSOCIATE}

    @property
    def manages_locations(self) -> bool:
        return self.role in {Role.OWNER, Role.REGIONAL_MANAGER, Role.LOCATION_MANAGER}

    @property
    def sees_customer_contact(self) -> bool:
        """Customers' email and phone (given with consent) are for those who follow up: managers."""
        return self.manages_locations

    @property
    def sees_colleagues(self) -> bool:
        """Figures per person are for those who manage people, never for a colleague."""
        return self.manages_locations

    def covers_location(self, location_id: int) -> bool:
        if not self.sees_staff_data:
            return False
        return self.location_ids is None or location_id in self.location_ids

    def may_write_at(self, location_id: int) -> bool:
        """Entering feedback, cases or visits for a location takes a manager's scope over it.

        Associates read their own location but may not write for it: feedback about themselves
        entered by themselves would not be feedback.
        """
        return self.manages_locations and self.covers_location(location_id)


NOBODY = Scope(role=None, location_ids=frozenset())


def scope_for(user) -> Scope:
    if user is None or not user.is_authenticated or not user.is_active:
        return NOBODY
    if user.is_superuser:
        return Scope(role=Role.OWNER, location_ids=None, user_id=user.pk)
    membership = getattr(user, "membership", None)
    if membership is None:
        return NOBODY
    if membership.role == Role.OWNER:
        return Scope(role=Role.OWNER, location_ids=None, user_id=user.pk)
    if membership.role == Role.REGIONAL_MANAGER:
        ids = Location.objects.filter(region__in=membership.regions.all()).values_list("pk", flat=True)
        return Scope(role=membership.role, location_ids=frozenset(ids), user_id=user.pk)
    if membership.role == Role.LOCATION_MANAGER:
        ids = membership.locations.values_list("pk", flat=True)
        return Scope(role=membership.role, location_ids=frozenset(ids), user_id=user.pk)
    if membership.role == Role.ASSOCIATE:
        person = getattr(user, "person", None)
        if person is None:
            return NOBODY
        ids = person.locations.values_list("pk", flat=True)
        return Scope(role=membership.role, location_ids=frozenset(ids), person_id=person.pk, user_id=user.pk)
    if membership.role == Role.MYSTERY_SHOPPER:
        return Scope(role=membership.role, location_ids=frozenset(), user_id=user.pk)
    return NOBODY


def locations_in_scope(scope: Scope):
    if not scope.sees_staff_data:
        return Location.objects.none()
    if scope.location_ids is None:
        return Location.objects.all()
    return Location.objects.filter(pk__in=scope.location_ids)
