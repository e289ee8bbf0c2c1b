"""The links to the standards: staff named only after acknowledging the mystery-shopping notice
where the store allows it, items linked to the charter and the playbook, and the corrective case
carrying the playbook entry a failed item checks."""

from datetime import timedelta

import pytest

from exceed.errors import DomainError
from exceed.mystery.models import CorrectiveCase, Item, ReportPerson
from exceed.mystery.services.assignments import assignment_claim
from exceed.mystery.services.programmes import location_policy_set
from exceed.mystery.services.reports import report_save
from exceed.mystery.services.review import report_approve
from exceed.mystery.services.scorecards import scorecard_current, scorecard_from_definition
from exceed.mystery.template import TEMPLATE
from exceed.standards import services as standards
from tests.mystery.factories import GOOD, NOW, AnswerInput, december, programme, shopper, submitted


def _publish(entry):
    standards.entry_submit(entry=entry)
    return standards.entry_publish(entry=entry)


@pytest.fixture
def notice(cast):
    situation = standards.situation_create(
        code="mystery-shopping-notice", name={"en": "We are shopped"}, category="notice"
    )
    return _publish(standards.entry_create(situation=situation, touchpoint=None, steps={"en": "Serve as always"}))


def _claimed(cast):
    who = shopper()
    assignment = december(programme(cast), cast.cph)
    assignment_claim(assignment=assignment, shopper=who, now=NOW)
    return assignment, who


def test_a_person_is_named_only_where_allowed_and_after_acknowledging_the_notice(cast, notice):
    assignment, who = _claimed(cast)
    named = [{"person_id": cast.anders.pk, "description": ""}]
    # The store does not allow names: the report must describe the person instead.
    with pytest.raises(DomainError, match="describe the person"):
        report_save(assignment=assignment, shopper=who, answers={}, people=named)
    location_policy_set(location=cast.cph, staff_may_be_named=True)
    # Allowed, but Anders has not acknowledged the notice yet: the description is kept, not the name.
    report_save(
        assignment=assignment,
        shopper=who,
        answers={},
        people=[{"person_id": cast.anders.pk, "description": "Tall, green apron"}],
    )
    assert [(p.person_id, p.description) for p in ReportPerson.objects.all()] == [(None, "Tall, green apron")]
    standards.acknowledgement_create(user=cast.associate, version=notice)
    report_save(assignment=assignment, shopper=who, answers={}, people=named)
    assert [p.person_id for p in ReportPerson.objects.all()] == [cast.anders.pk]


def test_someone_from_another_store_cannot_be_named(cast, notice):
    assignment, who = _claimed(cast)
    location_policy_set(location=cast.cph, staff_may_be_named=True)
    with pytest.raises(DomainError, match="works at this store"):
        report_save(assignment=assignment, shopper=who, answers={}, people=[{"person_id": cast.claire.pk}])


def test_the_template_links_its_items_to_the_charter_and_the_playbook_where_the_chain_has_them(cast):
    unlinked = scorecard_from_definition(definition=TEMPLATE, strict_links=False)
    assert not Item.objects.filter(
        section__version=scorecard_current(unlinked), charter_attribute__isnull=False
    ).exists()
    welcome = standards.charter_attribute_save(code="welcome", name={"en": "Welcome"})
    greeting = standards.situation_create(code="greeting", name={"en": "Greeting"}, category="routine")
    entry = standards.entry_create(situation=greeting, touchpoint=cast.in_store, steps={"en": "Look up and say hello"})
    linked = scorecard_from_definition(definition=TEMPLATE, strict_links=False)
    greeted = Item.objects.get(section__version=scorecard_current(linked), code="greeted")
    assert (greeted.charter_attribute, greeted.playbook_entry) == (welcome, entry)
    with pytest.raises(DomainError) as error:
        scorecard_from_definition(definition=TEMPLATE)  # strict: the chain lacks "knows"
    assert error.value.field == "charter_attribute"


def test_a_failed_critical_item_opens_a_case_with_its_playbook_entry(cast):
    greeting = standards.situation_create(code="greeting", name={"en": "Greeting"}, category="routine")
    entry = standards.entry_create(situation=greeting, touchpoint=cast.in_store, steps={"en": "Look up and say hello"})
    _publish(entry)
    prog = programme(cast)
    Item.objects.filter(code="greeted").update(playbook_entry=entry)
    failed = submitted(prog, cast.cph, shopper(), answers={**GOOD, "greeted": AnswerInput(0)})
    report_approve(assignment=failed, by=cast.owner, now=failed.window_start + timedelta(days=2))
    case = CorrectiveCase.objects.get().case
    assert "Greeting" in case.description and "Look up and say hello" in case.description


def test_the_report_shows_what_each_item_checks_and_the_shopper_gets_no_playbook_link(cast, client):
    welcome = standards.charter_attribute_save(code="welcome", name={"en": "Warm welcome"})
    greeting = standards.situation_create(code="greeting", name={"en": "Greeting"}, category="routine")
    entry = standards.entry_create(situation=greeting, touchpoint=cast.in_store, steps={"en": "Look up"})
    prog = programme(cast)
    Item.objects.filter(code="greeted").update(charter_attribute=welcome, playbook_entry=entry)
    who = shopper()
    done = submitted(prog, cast.cph, who)
    report_approve(assignment=done, by=cast.owner, now=done.window_start + timedelta(days=2))
    client.force_login(cast.manager)
    page = client.get(f"/mystery/reports/{done.pk}/").content.decode()
    assert "Warm welcome" in page and f"/standards/entries/{entry.pk}/" in page
    client.force_login(who.user)
    assert f"/standards/entries/{entry.pk}/" not in client.get(f"/mystery/reports/{done.pk}/").content.decode()
