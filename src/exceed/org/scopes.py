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
    # The regions a regional manager covers (None: every region), for handing out logins.
    region_ids: frozenset[int] | None = frozenset()

    @property
    def is_owner(self) -> bool:
        return self.role == Role.OWNER

    @property
    def may_handle_privacy_requests(self) -> bool:
        """Finding, exporting and erasing one customer across every store, and setting how long
        customers' data is kept: the chain's owner answers for it (the data controller)."""
        return self.is_owner

    @property
    def manages_logins(self) -> bool:
        return self.role in {Role.OWNER, Role.REGIONAL_MANAGER}

    def may_grant(self, *, role: str, region_ids: frozenset[int], location_ids: frozenset[int]) -> bool:
        """Whether this login may hand out ``role`` over these regions and locations.

        An owner grants anything. A regional manager grants roles at or below their own, only
        inside their regions, and never an empty scope (a login covering nothing could later be
        widened by someone else without them noticing). Mystery shoppers work across the chain,
        so only an owner grants that role. ``location_ids`` for an associate are their person's.
        """
        if self.is_owner:
            return True
        if self.role != Role.REGIONAL_MANAGER or self.region_ids is None or self.location_ids is None:
            return False
        if role == Role.REGIONAL_MANAGER:
            return bool(region_ids) and region_ids <= self.region_ids and not location_ids
        if role in (Role.LOCATION_MANAGER, Role.ASSOCIATE):
            return bool(location_ids) and location_ids <= self.location_ids and not region_ids
        return False

    def may_manage_login(self, user) -> bool:
        """Whether this login may edit, invite again or deactivate ``user``'s login.

        Nobody manages their own login (an owner cannot lock themselves out, a manager cannot
        widen their own scope); only owners manage superusers and logins without a role.
        """
        if user.pk == self.user_id or not self.manages_logins:
            return False
        membership = getattr(user, "membership", None)
        if user.is_superuser or membership is None:
            return self.is_owner
        return self.may_grant(**grant_of(membership))

    @property
    def manages_organisation(self) -> bool:
        """The stores and people pages: owners, and regional managers within their regions."""
        return self.manages_logins

    def may_edit_location(self, location_id: int) -> bool:
        """Editing a store (and its people) is for owners, and regional managers over its region.

        A location manager runs their store but does not rename or move it.
        """
        return self.manages_organisation and self.covers_location(location_id)

    @property
    def may_hold_api_tokens(self) -> bool:
        # A token acts with its login's scope, so a login without a role has no use for one.
        return self.role is not None

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

    @property
    def may_edit_standards(self) -> bool:
        """The charter and the playbook are written by owners (issue 9, item 7)."""
        return self.is_owner

    @property
    def reads_playbook(self) -> bool:
        """Every employee reads the charter and the playbook; a mystery shopper must not learn
        the script they check, and an outsider sees nothing."""
        return self.sees_staff_data

    @property
    def reads_whole_playbook(self) -> bool:
        """Managers read every entry; an associate reads the entries that apply to them."""
        return self.manages_locations

    @property
    def sees_acknowledgement_coverage(self) -> bool:
        """Who has acknowledged what, for the locations in scope: managers and owners."""
        return self.manages_locations

    def may_remind_at(self, location_id: int) -> bool:
        """Reminding a store's people to acknowledge the playbook takes a manager's scope over it."""
        return self.manages_locations and self.covers_location(location_id)

    # --- Mystery shopping (issue 10 §5): the shopper's anonymity and the staff's fairness ---

    @property
    def runs_mystery_shopping(self) -> bool:
        """Programmes, scorecards, shoppers, upcoming and open shops, review and rewards: the owner.

        Upcoming shops and shoppers' identities are never a location's staff's to see, managers
        included (a manager told of next week's shop would brief the team for it).
        """
        return self.is_owner

    @property
    def is_mystery_shopper(self) -> bool:
        return self.role == Role.MYSTERY_SHOPPER

    @property
    def sees_mystery_reports(self) -> bool:
        """Approved reports of the locations covered, without the shopper: managers (and the owner)."""
        return self.manages_locations

    @property
    def sees_reports_naming_them(self) -> bool:
        """An employee may get a copy of an approved report that names them (issue 10 §5)."""
        return self.role == Role.ASSOCIATE and self.person_id is not None

    def may_dispute_at(self, location_id: int) -> bool:
        """A manager over the location disputes its results; the owner decides, so does not dispute."""
        return self.manages_locations and not self.is_owner and self.covers_location(location_id)

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

    @property
    def manages_recovery_settings(self) -> bool:
        """Failure categories and step deadlines hold for every store of the chain: the owner's."""
        return self.is_owner

    def may_manage_channel(self, location_id: int) -> bool:
        """Creating, renaming, revoking and re-issuing a store's links and kiosks: a manager's
        scope over the store, as for writing anything else there."""
        return self.may_write_at(location_id)

    def may_unlock_kiosk(self, location_id: int) -> bool:
        """Unlocking a store's tablet for customers takes a manager's scope over the store.

        An associate who could unlock a kiosk could answer it about themselves (issue 7, item 8):
        the same rule as writing for the location.
        """
        return self.may_write_at(location_id)

    def may_enter_feedback_about(self, location_id: int, *, person_ids, own_person_id: int | None) -> bool:
        """Whether answers typed by this login (a signed-in browser on a kiosk) may be stored.

        Feedback about themselves entered by themselves would not be feedback: it takes a
        manager's scope over the location, and no one may name themselves.
        """
        return self.may_write_at(location_id) and (own_person_id is None or own_person_id not in set(person_ids))


def grant_of(membership) -> dict:
    """The role and scope a membership hands out, in the terms of ``Scope.may_grant``.

    Reads ``.all()`` so that a list prefetched by the caller costs no further query.
    """
    if membership.role == Role.ASSOCIATE:
        person = getattr(membership.user, "person", None)
        location_ids = frozenset(location.pk for location in person.locations.all()) if person else frozenset()
    else:
        location_ids = frozenset(location.pk for location in membership.locations.all())
    return {
        "role": membership.role,
        "region_ids": frozenset(region.pk for region in membership.regions.all()),
        "location_ids": location_ids,
    }


NOBODY = Scope(role=None, location_ids=frozenset())
# Whoever runs `exceed user create` or `exceed token …` holds the database itself.
COMMAND_LINE = Scope(role=Role.OWNER, location_ids=None, region_ids=None)


def scope_for(user) -> Scope:
    if user is None or not user.is_authenticated or not user.is_active:
        return NOBODY
    if user.is_superuser:
        return Scope(role=Role.OWNER, location_ids=None, user_id=user.pk, region_ids=None)
    membership = getattr(user, "membership", None)
    if membership is None:
        return NOBODY
    if membership.role == Role.OWNER:
        return Scope(role=Role.OWNER, location_ids=None, user_id=user.pk, region_ids=None)
    if membership.role == Role.REGIONAL_MANAGER:
        # One query for both: each region with each of its locations (None for an empty region).
        pairs = list(membership.regions.values_list("pk", "locations__pk"))
        region_ids = frozenset(region_id for region_id, _location_id in pairs)
        ids = frozenset(location_id for _region_id, location_id in pairs if location_id is not None)
        return Scope(role=membership.role, location_ids=ids, user_id=user.pk, region_ids=region_ids)
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
