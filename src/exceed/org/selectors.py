"""Reads of the organisation. Every list shown to someone is filtered by the caller's scope here and
nowhere else; ``staff_ids`` is a rule's check, not a listing."""

from django.contrib.auth.models import User
from django.db import connection
from django.db.models import Q, QuerySet

from exceed.api.models import ApiToken
from exceed.org.models import Location, Person, Role
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


def logins_manageable(scope: Scope) -> list[User]:
    """The logins ``scope`` may manage, with their membership and person, by username.

    The rule is ``Scope.may_manage_login`` itself, applied to a prefetched list, so the page
    and the services cannot disagree; a chain has hundreds of logins, not millions.
    """
    if not scope.manages_logins:
        return []
    candidates = (
        User.objects.select_related("membership", "person")
        .prefetch_related("membership__regions", "membership__locations", "person__locations")
        .order_by("username")
    )
    if not scope.is_owner:
        # Only logins touching this scope's locations or regions can pass; the rule decides.
        candidates = candidates.filter(
            Q(membership__regions__in=scope.region_ids or ())
            | Q(membership__locations__in=scope.location_ids or ())
            | Q(person__locations__in=scope.location_ids or ())
        ).distinct()
    return [user for user in candidates if user.pk == scope.user_id or scope.may_manage_login(user)]


def api_tokens_of(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("revoked", "-created_at")


def managers_of_location(location: Location, *, level: str) -> QuerySet[User]:
    """The active logins answerable for ``location`` at one level of the chain.

    ``"location"``: its location managers; ``"region"``: its region's managers; ``"chain"``: the
    owners, superusers included (they are owners to ``scope_for``). Alerts go up these levels
    until someone is there; the role rules live here, beside the scope that grants them.
    """
    active = User.objects.filter(is_active=True)
    if level == "location":
        return active.filter(membership__role=Role.LOCATION_MANAGER, membership__locations=location.pk).distinct()
    if level == "region":
        return active.filter(membership__role=Role.REGIONAL_MANAGER, membership__regions=location.region_id).distinct()
    if level == "chain":
        return active.filter(Q(membership__role=Role.OWNER) | Q(is_superuser=True)).distinct()
    raise ValueError(f"unknown level: {level}")


def staff_ids(location_id: int) -> set[int]:
    """The ids of the location's active people: who an answer may name there.

    Read with one plain query: compiled by the ORM it was a fifteenth of a posted response's CPU,
    and two answers in three name someone (issue 11, BENCHMARKS.md).
    """
    through = Person.locations.through._meta
    person = Person._meta
    person_column, location_column = through.get_field("person").column, through.get_field("location").column
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT p.{person.pk.column} FROM {person.db_table} p "
            f"JOIN {through.db_table} pl ON pl.{person_column} = p.{person.pk.column} "
            f"WHERE pl.{location_column} = %s AND p.{person.get_field('active').column}",
            [location_id],
        )
        return {row[0] for row in cursor.fetchall()}
