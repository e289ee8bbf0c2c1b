import pytest
from django.contrib.auth.models import User

from exceed.errors import DomainError
from exceed.org.models import Person
from exceed.org.scopes import scope_for
from exceed.standards import services
from exceed.standards.selectors import (
    coverage_by_entry,
    coverage_by_location,
    has_acknowledged,
    pending_for_person,
    situation_acknowledged,
)
from tests.standards.conftest import publish


@pytest.fixture
def birgitte_login(cast):
    user = User.objects.create_user("birgitte", email="birgitte@example.com", password="pw")
    cast.birgitte.user = user
    cast.birgitte.save()
    return user


def test_an_associate_acknowledges_what_applies_to_them_with_time_and_version(cast, playbook):
    assert {v.pk for v in pending_for_person(cast.anders)} == {playbook.late_v1.pk, playbook.stock_v1.pk}
    ack = services.acknowledgement_create(user=cast.associate, version=playbook.late_v1)
    assert ack.person == cast.anders and ack.by == cast.associate and ack.at is not None
    assert has_acknowledged(person=cast.anders, entry=playbook.late_phone)
    assert not has_acknowledged(person=cast.anders, entry=playbook.stock_all)
    assert services.acknowledgement_create(user=cast.associate, version=playbook.late_v1) == ack


def test_a_new_version_asks_again_for_that_entry_only(cast, playbook):
    services.acknowledgement_create(user=cast.associate, version=playbook.late_v1)
    services.acknowledgement_create(user=cast.associate, version=playbook.stock_v1)
    entry = playbook.stock_all
    services.entry_update(entry=entry, steps={"en": "Offer to order it, delivered free"})
    v2 = publish(entry, note="Free delivery")
    assert not has_acknowledged(person=cast.anders, entry=entry)
    assert has_acknowledged(person=cast.anders, entry=playbook.late_phone)
    assert [v.pk for v in pending_for_person(cast.anders)] == [v2.pk]


def test_acknowledging_a_superseded_version_is_refused(cast, playbook):
    services.entry_update(entry=playbook.stock_all, steps={"en": "Order it"})
    publish(playbook.stock_all, note="Shorter")
    with pytest.raises(DomainError) as error:
        services.acknowledgement_create(user=cast.associate, version=playbook.stock_v1)
    assert error.value.status == 409 and error.value.field == "version"
    assert not cast.anders.acknowledgements.exists()


def test_acknowledging_a_retired_entry_is_refused(cast, playbook):
    services.entry_retire(entry=playbook.late_phone)
    with pytest.raises(DomainError) as error:
        services.acknowledgement_create(user=cast.associate, version=playbook.late_v1)
    assert error.value.status == 409
    assert not has_acknowledged(person=cast.anders, entry=playbook.late_phone)


def test_an_entry_for_another_store_cannot_be_acknowledged(cast, playbook):
    with pytest.raises(DomainError) as error:
        services.acknowledgement_create(user=cast.associate, version=playbook.stock_store_v1)
    assert error.value.status == 403


def test_a_login_without_a_person_cannot_acknowledge(cast, playbook):
    with pytest.raises(DomainError) as error:
        services.acknowledgement_create(user=cast.manager, version=playbook.late_v1)
    assert error.value.status == 403


def test_coverage_per_location_counts_people_times_the_entries_that_apply_to_them(cast, playbook, birgitte_login):
    services.acknowledgement_create(user=cast.associate, version=playbook.late_v1)
    services.acknowledgement_create(user=cast.associate, version=playbook.stock_v1)
    services.acknowledgement_create(user=birgitte_login, version=playbook.late_v1)
    rows = {row.location.code: row for row in coverage_by_location(scope=scope_for(cast.owner))}
    # Copenhagen: Anders and Birgitte × the two entries that apply there.
    assert (rows["cph"].acknowledged, rows["cph"].required, rows["cph"].percent) == (3, 4, 75)
    assert rows["cph"].pending_people == [cast.birgitte]
    # Claire in Paris has no login: she is asked all the same (three entries apply in Paris) and shows as not yet.
    assert (rows["par"].acknowledged, rows["par"].required, rows["par"].percent) == (0, 3, 0)
    assert rows["par"].pending_people == [cast.claire]
    # Aarhus has nobody.
    assert rows["aar"].required == 0 and rows["aar"].percent is None


def test_coverage_per_entry_and_a_new_version_drops_only_its_own(cast, playbook, birgitte_login):
    for user in (cast.associate, birgitte_login):
        services.acknowledgement_create(user=user, version=playbook.late_v1)
        services.acknowledgement_create(user=user, version=playbook.stock_v1)
    scope = scope_for(cast.manager)
    assert [row.percent for row in coverage_by_entry(scope=scope) if row.required] == [100, 100]
    services.entry_update(entry=playbook.late_phone, steps={"en": "Say sorry, then call back"})
    publish(playbook.late_phone, note="Call back")
    by_code = {row.version.entry.situation.code: row for row in coverage_by_entry(scope=scope) if row.required}
    assert by_code["late-delivery"].percent == 0
    assert by_code["out-of-stock"].percent == 100
    assert [row.percent for row in coverage_by_location(scope=scope)] == [50]


def test_managers_see_coverage_only_in_their_scope_and_others_none(cast, playbook):
    assert [row.location.code for row in coverage_by_location(scope=scope_for(cast.manager))] == ["cph"]
    assert {row.location.code for row in coverage_by_location(scope=scope_for(cast.regional))} == {"aar", "cph"}
    for role in ("associate", "shopper", "outsider"):
        assert coverage_by_location(scope=scope_for(cast.roles[role])) == []
        assert coverage_by_entry(scope=scope_for(cast.roles[role])) == []


def test_an_entry_for_a_job_role_asks_only_people_in_that_role(cast, playbook, birgitte_login):
    Person.objects.filter(pk=cast.birgitte.pk).update(job_role="Driver")
    entry = services.entry_create(
        situation=playbook.late, touchpoint=cast.in_store, steps={"en": "Phone the customer"}, job_roles=["Driver"]
    )
    version = publish(entry)
    assert version.pk not in {v.pk for v in pending_for_person(cast.anders)}
    assert version.pk in {v.pk for v in pending_for_person(Person.objects.get(pk=cast.birgitte.pk))}


def test_the_mystery_shopping_notice_counts_only_when_acknowledged(cast, db):
    situation = services.situation_create(
        code="mystery-shopping-notice", name={"en": "We are mystery shopped"}, category="notice"
    )
    assert not situation_acknowledged(person=cast.anders)
    entry = services.entry_create(situation=situation, touchpoint=None, steps={"en": "Serve as always"})
    version = publish(entry)
    assert not situation_acknowledged(person=cast.anders)
    services.acknowledgement_create(user=cast.associate, version=version)
    assert situation_acknowledged(person=cast.anders)
