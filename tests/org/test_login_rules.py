"""Who may hand out which role over which part of the chain (Scope.may_grant, org/logins.py)."""

import pytest
from django.contrib.auth.models import User

from exceed.errors import DomainError
from exceed.org.logins import login_invite, login_set_active, login_update
from exceed.org.models import Person, Role
from exceed.org.scopes import scope_for


def _invite(by, **kwargs):
    kwargs.setdefault("email", f"{kwargs['username']}@example.com")
    return login_invite(by=scope_for(by), **kwargs)


def test_an_owner_invites_a_location_manager_without_a_usable_password(cast):
    user = _invite(cast.owner, username="lene", role=Role.LOCATION_MANAGER, locations=[cast.par])
    assert not user.has_usable_password()
    assert scope_for(user).location_ids == {cast.par.pk}


def test_a_regional_manager_invites_a_location_manager_in_their_region(cast):
    user = _invite(cast.regional, username="lene", role=Role.LOCATION_MANAGER, locations=[cast.aar])
    assert user.membership.role == Role.LOCATION_MANAGER


def test_a_regional_manager_cannot_give_a_location_outside_their_region(cast):
    with pytest.raises(DomainError) as refused:
        _invite(cast.regional, username="lene", role=Role.LOCATION_MANAGER, locations=[cast.cph, cast.par])
    assert refused.value.status == 403
    assert not User.objects.filter(username="lene").exists()


@pytest.mark.parametrize("role", [Role.OWNER, Role.MYSTERY_SHOPPER])
def test_a_regional_manager_cannot_grant_owner_or_a_chain_wide_role(cast, role):
    with pytest.raises(DomainError):
        _invite(cast.regional, username="lene", role=role)
    assert not User.objects.filter(username="lene").exists()


def test_a_regional_manager_grants_their_own_level_only_within_their_regions(cast):
    _invite(cast.regional, username="north2", role=Role.REGIONAL_MANAGER, regions=[cast.north])
    with pytest.raises(DomainError):
        _invite(cast.regional, username="south2", role=Role.REGIONAL_MANAGER, regions=[cast.south])


def test_only_an_owner_grants_owner(cast):
    assert _invite(cast.owner, username="co-owner", role=Role.OWNER).is_staff


@pytest.mark.parametrize("role", ["manager", "associate", "shopper", "outsider"])
def test_logins_below_regional_manager_invite_nobody(cast, role):
    with pytest.raises(DomainError):
        _invite(cast.roles[role], username="lene", role=Role.ASSOCIATE, person=cast.birgitte)


def test_an_associate_needs_the_person_they_are_and_takes_that_persons_stores(cast):
    with pytest.raises(DomainError) as refused:
        _invite(cast.owner, username="birgitte", role=Role.ASSOCIATE)
    assert refused.value.field == "person"
    user = _invite(cast.regional, username="birgitte", role=Role.ASSOCIATE, person=cast.birgitte)
    assert scope_for(user).person_id == cast.birgitte.pk


def test_a_regional_manager_cannot_make_a_paris_employee_an_associate(cast):
    with pytest.raises(DomainError):
        _invite(cast.regional, username="claire", role=Role.ASSOCIATE, person=cast.claire)


def test_a_person_with_a_login_cannot_get_a_second_one(cast):
    with pytest.raises(DomainError) as refused:
        _invite(cast.owner, username="anders2", role=Role.ASSOCIATE, person=cast.anders)
    assert refused.value.field == "person" and "Anders Holm" in refused.value.message


def test_a_taken_username_or_a_bad_email_is_named(cast):
    with pytest.raises(DomainError) as taken:
        _invite(cast.owner, username="Mette", role=Role.OWNER)
    assert taken.value.field == "username"
    with pytest.raises(DomainError) as bad:
        _invite(cast.owner, username="new", email="not-an-address", role=Role.OWNER)
    assert bad.value.field == "email"


def test_a_scope_the_role_does_not_use_is_refused_rather_than_silently_dropped(cast):
    with pytest.raises(DomainError) as refused:
        _invite(cast.owner, username="new", role=Role.LOCATION_MANAGER, locations=[cast.cph], regions=[cast.north])
    assert refused.value.field == "regions"


def test_a_regional_manager_cannot_take_over_a_paris_login_by_editing_it_into_their_region(cast):
    paris_manager = _invite(cast.owner, username="pierre", role=Role.LOCATION_MANAGER, locations=[cast.par])
    with pytest.raises(DomainError):
        login_update(
            by=scope_for(cast.regional),
            user=paris_manager,
            email="p@example.fr",
            role=Role.LOCATION_MANAGER,
            locations=[cast.cph],
        )
    paris_manager.membership.refresh_from_db()
    assert list(paris_manager.membership.locations.all()) == [cast.par]


def test_a_regional_manager_cannot_widen_a_login_beyond_their_region(cast):
    with pytest.raises(DomainError):
        login_update(
            by=scope_for(cast.regional),
            user=cast.manager,
            email="mette@example.com",
            role=Role.LOCATION_MANAGER,
            locations=[cast.cph, cast.par],
        )
    assert list(cast.manager.membership.locations.all()) == [cast.cph]


def test_an_update_changes_role_scope_and_person_together(cast):
    login_update(
        by=scope_for(cast.regional),
        user=cast.manager,
        email="mette@new.example",
        role=Role.LOCATION_MANAGER,
        locations=[cast.aar],
        person=cast.birgitte,
    )
    cast.manager.refresh_from_db()
    assert cast.manager.email == "mette@new.example"
    assert scope_for(cast.manager).location_ids == {cast.aar.pk}
    assert Person.objects.get(user=cast.manager) == cast.birgitte


def test_demoting_an_owner_takes_away_the_back_office(cast):
    co_owner = _invite(cast.owner, username="co-owner", role=Role.OWNER)
    login_update(
        by=scope_for(cast.owner), user=co_owner, email=co_owner.email, role=Role.LOCATION_MANAGER, locations=[cast.cph]
    )
    co_owner.refresh_from_db()
    assert not co_owner.is_staff


def test_nobody_deactivates_themselves(cast):
    for role in ("owner", "regional"):
        with pytest.raises(DomainError):
            login_set_active(by=scope_for(cast.roles[role]), user=cast.roles[role], active=False)
        cast.roles[role].refresh_from_db()
        assert cast.roles[role].is_active


def test_a_regional_manager_deactivates_a_manager_in_their_region_but_not_the_owner(cast):
    login_set_active(by=scope_for(cast.regional), user=cast.manager, active=False)
    cast.manager.refresh_from_db()
    assert not cast.manager.is_active
    with pytest.raises(DomainError):
        login_set_active(by=scope_for(cast.regional), user=cast.owner, active=False)
    cast.owner.refresh_from_db()
    assert cast.owner.is_active


def test_a_superuser_is_managed_by_owners_only(cast):
    root = User.objects.create_superuser(username="root", email="root@example.com", password="x")
    assert not scope_for(cast.regional).may_manage_login(root)
    assert scope_for(cast.owner).may_manage_login(root)
