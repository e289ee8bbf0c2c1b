"""The owner builds and edits scorecards on pages (issue 10 §2): every item kind, reordering,
versions once reports use one, a phone preview that stores nothing, form errors in the reader's
language, and no one but the owner reaches any of it."""

import re

import pytest

from exceed.mystery.models import Assignment, Item, Programme, Report, Scorecard, ScorecardVersion
from exceed.mystery.services.reports import AnswerInput
from exceed.mystery.services.scorecards import scorecard_current
from tests.mystery.factories import programme, shopper, submitted


def _new_scorecard(client, **extra) -> Scorecard:
    answer = client.post("/mystery/scorecards/new/", {"start": "blank", "name_en": "Phone check", **extra})
    assert answer.status_code == 302, answer.content.decode()[:2000]
    return Scorecard.objects.get(pk=int(re.search(r"/scorecards/(\d+)/", answer["Location"]).group(1)))


def _item(client, card, section, **fields):
    data = {"kind": "yes_no", "weight": "1", **fields}
    return client.post(f"/mystery/scorecards/{card.pk}/sections/{section}/items/new/", data)


def _items(card) -> list[str]:
    items = Item.objects.filter(section__version=scorecard_current(card))
    return [item.code for item in items.order_by("section__position", "position", "pk")]


@pytest.fixture
def owner(cast, client):
    client.force_login(cast.owner)
    return client


def test_the_owner_builds_every_item_kind_on_the_pages_and_a_report_scores_as_computed_by_hand(cast, owner):
    card = _new_scorecard(owner)
    answer = owner.post(f"/mystery/scorecards/{card.pk}/sections/new/", {"title_en": "Welcome", "title_da": "Velkomst"})
    assert answer.status_code == 302
    assert _item(owner, card, "welcome", text_en="Greeted", weight="2", critical="on").status_code == 302
    assert _item(owner, card, "welcome", kind="scale", text_en="Friendly").status_code == 302
    choice = {
        "kind": "choice",
        "text_en": "Offer",
        "option0_label_en": "Nothing",
        "option0_points": "0",
        "option1_label_en": "Helped",
        "option1_points": "1",
        "option2_label_en": "Went beyond",
        "option2_label_fr": "Au-delà",
        "option2_points": "2",
    }
    assert _item(owner, card, "welcome", **choice).status_code == 302
    numeric = {"kind": "numeric", "text_en": "Seconds waited", "threshold0_bound": "30", "threshold0_points": "2"}
    numeric.update(threshold1_bound="60", threshold1_points="1", help_en="From the door to a hello")
    assert _item(owner, card, "welcome", **numeric).status_code == 302
    assert _item(owner, card, "welcome", kind="text", text_en="Notes").status_code == 302
    assert _item(owner, card, "welcome", text_en="Thanked by name", bonus="on").status_code == 302

    assert _items(card) == ["greeted", "friendly", "offer", "seconds-waited", "notes", "thanked-by-name"]
    offer = Item.objects.get(section__version=scorecard_current(card), code="offer")
    assert offer.options[2] == {"label": {"en": "Went beyond", "fr": "Au-delà"}, "points": 2.0}
    wait = Item.objects.get(section__version=scorecard_current(card), code="seconds-waited")
    assert wait.thresholds == [[30.0, 2.0], [60.0, 1.0]] and wait.help == {"en": "From the door to a hello"}
    page = owner.get(f"/mystery/scorecards/{card.pk}/").content.decode()
    assert "Seconds waited" in page and "version 1, since" in page

    prog = programme(cast, scorecard=card)
    answers = {
        "greeted": AnswerInput(1),  # 1 of 1, weight 2
        "friendly": AnswerInput(4),  # 3 of 4
        "offer": AnswerInput(1),  # 1 of 2
        "seconds-waited": AnswerInput(45),  # 1 of 2
        "notes": AnswerInput(text="Fine"),
        "thanked-by-name": AnswerInput(1),  # bonus: +1 weighted point
    }
    report = submitted(prog, cast.cph, shopper(), answers=answers).report
    # Regular: (2·1 + 3 + 1 + 1) / (2·1 + 4 + 2 + 2) = 7/10 = 70; the bonus lifts it by 1/10 = 10.
    assert report.score == pytest.approx(80.0)


def test_editing_a_scorecard_in_use_on_the_page_makes_version_2_and_the_report_keeps_version_1(cast, owner):
    prog = programme(cast)
    report = submitted(prog, cast.cph, shopper()).report
    card = prog.scorecard
    assert "version 1, since" in owner.get("/mystery/scorecards/").content.decode()

    answer = owner.post(
        f"/mystery/scorecards/{card.pk}/sections/help/items/asked/",
        {"kind": "scale", "text_en": "Asked what I expected", "weight": "5"},
    )
    assert answer.status_code == 302
    assert scorecard_current(card).number == 2
    report.refresh_from_db()
    assert report.version.number == 1
    assert Item.objects.get(section__version=report.version, code="asked").weight == 3
    assert Item.objects.get(section__version=scorecard_current(card), code="asked").weight == 5
    assert "version 2, since" in owner.get(f"/mystery/scorecards/{card.pk}/").content.decode()

    # Version 2 has no reports yet: moving and removing change it, not a third version.
    moved = owner.post(f"/mystery/scorecards/{card.pk}/sections/help/items/returns/do/up/", HTTP_HX_REQUEST="true")
    assert moved.status_code == 200 and 'id="builder"' in moved.content.decode()
    assert _items(card)[:4] == ["greeted", "wait", "returns", "asked"]
    assert owner.post(f"/mystery/scorecards/{card.pk}/sections/welcome/do/down/").status_code == 302
    assert list(scorecard_current(card).sections.order_by("position").values_list("code", flat=True)) == [
        "help",
        "welcome",
    ]
    assert owner.post(f"/mystery/scorecards/{card.pk}/sections/help/items/notes/do/delete/").status_code == 302
    assert "notes" not in _items(card)
    assert ScorecardVersion.objects.filter(scorecard=card).count() == 2
    assert Item.objects.filter(section__version=report.version, code="notes").exists()


def test_a_new_scorecard_can_start_from_the_template_or_a_copy(cast, owner):
    prog = programme(cast)
    assert "A blank scorecard" in owner.get("/mystery/scorecards/new/").content.decode()
    assert "Scorecards" in owner.get("/mystery/").content.decode()
    section = owner.get(f"/mystery/scorecards/{prog.scorecard.pk}/sections/welcome/")
    assert section.status_code == 200 and 'value="Welcome"' in section.content.decode()
    copy = _new_scorecard(owner, start=str(prog.scorecard.pk), name_en="Copy")
    assert _items(copy) == _items(prog.scorecard)
    template = _new_scorecard(owner, start="template", name_en="")
    assert set(template.name) == {"en", "da", "fr", "et", "fi"} and len(_items(template)) > 4


def test_bad_input_is_a_form_error_in_the_readers_language(cast, owner):
    owner.post("/i18n/setlang/", {"language": "fr"})
    card = _new_scorecard(owner)
    owner.post(f"/mystery/scorecards/{card.pk}/sections/new/", {"title_en": "Welcome"})

    no_options = _item(owner, card, "welcome", kind="choice", text_en="Offer")
    assert no_options.status_code == 400
    assert "Un critère à choix" in no_options.content.decode()
    not_a_number = _item(
        owner, card, "welcome", kind="numeric", text_en="Wait", threshold0_bound="trente", threshold0_points="1"
    )
    assert not_a_number.status_code == 400 and "Saisissez un nombre" in not_a_number.content.decode()
    zero = _item(owner, card, "welcome", text_en="Greeted", weight="0")
    assert zero.status_code == 400 and "La pondération doit être supérieure à 0." in zero.content.decode()
    no_text = _item(owner, card, "welcome")
    assert no_text.status_code == 400 and "Veuillez" in no_text.content.decode()
    assert not Item.objects.filter(section__version__scorecard=card).exists()

    # Used by a programme at Danish stores, the scorecard must have its Danish texts.
    _item(owner, card, "welcome", text_en="Greeted")
    form = {
        "name": "Visit",
        "touchpoint": cast.in_store.pk,
        "scorecard": card.pk,
        "rhythm": "monthly",
        "lockout_days": "60",
        "claims_per_period": "2",
        "reward_amount": "20",
        "reward_currency": "EUR",
        "expense_cap": "15",
        "min_shops_ranked": "3",
        "evidence_days": "60",
        "locations": [cast.cph.pk],
    }
    refused = owner.post("/mystery/programmes/new/", form)
    assert refused.status_code == 200 and "Dansk" in refused.content.decode()
    assert not Programme.objects.exists()


def test_the_phone_preview_shows_the_shoppers_form_and_stores_nothing(cast, owner):
    prog = programme(cast)
    card = prog.scorecard
    before = (Assignment.objects.count(), Report.objects.count(), Programme.objects.count())
    frame = owner.get(f"/mystery/scorecards/{card.pk}/phone/?lang=da")
    assert frame.status_code == 200 and f"/mystery/scorecards/{card.pk}/preview/?lang=da" in frame.content.decode()
    preview = owner.get(f"/mystery/scorecards/{card.pk}/preview/?lang=da")
    body = preview.content.decode()
    assert preview.status_code == 200 and "Greeted within 30 s" in body and 'name="v_wait"' in body
    assert (Assignment.objects.count(), Report.objects.count(), Programme.objects.count()) == before


@pytest.mark.parametrize("role", ["associate", "manager", "shopper"])
def test_no_one_but_the_owner_reaches_the_scorecard_builder(role, cast, client):
    card = programme(cast).scorecard
    client.force_login(cast.roles[role])
    for url in (
        "/mystery/scorecards/",
        "/mystery/scorecards/new/",
        f"/mystery/scorecards/{card.pk}/",
        f"/mystery/scorecards/{card.pk}/preview/",
        f"/mystery/scorecards/{card.pk}/sections/welcome/items/greeted/",
    ):
        assert client.get(url).status_code in (403, 404), url
    assert client.post(f"/mystery/scorecards/{card.pk}/sections/welcome/do/delete/").status_code in (403, 404)
    assert scorecard_current(card).sections.filter(code="welcome").exists()


def test_an_item_links_a_charter_attribute_and_a_playbook_entry_chosen_from_the_standards_lists(cast, owner):
    from exceed.standards import services as standards

    attribute = standards.charter_attribute_save(code="warm", name={"en": "Warm welcome"})
    situation = standards.situation_create(code="out-of-stock", name={"en": "Out of stock"}, category="problem")
    entry = standards.entry_create(situation=situation, touchpoint=None, steps={"en": "Offer to order it"})
    card = _new_scorecard(owner)
    owner.post(f"/mystery/scorecards/{card.pk}/sections/new/", {"title_en": "Welcome"})
    form = owner.get(f"/mystery/scorecards/{card.pk}/sections/welcome/items/new/").content.decode()
    assert "Warm welcome" in form and "Out of stock" in form
    saved = _item(
        owner,
        card,
        "welcome",
        text_en="Out of stock handled",
        na_allowed="on",
        charter_attribute=attribute.pk,
        playbook_entry=entry.pk,
    )
    assert saved.status_code == 302
    item = Item.objects.get(section__version=scorecard_current(card))
    assert (item.charter_attribute, item.playbook_entry, item.na_allowed) == (attribute, entry, True)
    page = owner.get(f"/mystery/scorecards/{card.pk}/sections/welcome/items/{item.code}/").content.decode()
    assert f'<option value="{attribute.pk}" selected>' in page


def test_the_critical_rule_is_set_on_the_scorecard_page_and_a_failed_critical_item_then_fails_the_shop(cast, owner):
    prog = programme(cast)
    card = prog.scorecard
    answer = owner.post(
        f"/mystery/scorecards/{card.pk}/", {"name_en": "Store visit", "critical_rule": "fail", "critical_cap": "50"}
    )
    assert answer.status_code == 302
    card.refresh_from_db()
    assert card.critical_rule == "fail"
    failed = {
        "greeted": AnswerInput(0),
        "wait": AnswerInput(20),
        "asked": AnswerInput(5),
        "notes": AnswerInput(text=""),
    }
    failed["returns"] = AnswerInput(not_applicable=True)
    assert submitted(prog, cast.cph, shopper(), answers=failed).report.score == 0
    bad_cap = owner.post(
        f"/mystery/scorecards/{card.pk}/", {"name_en": "Store visit", "critical_rule": "cap", "critical_cap": "150"}
    )
    assert bad_cap.status_code == 400
    card.refresh_from_db()
    assert card.critical_rule == "fail"


def test_codes_that_cannot_name_a_page_are_refused_and_a_section_titled_new_gets_another_code(cast, owner):
    from exceed.errors import DomainError
    from exceed.mystery.services.scorecards import section_save

    card = _new_scorecard(owner)
    for bad in ("q 1", "q1.2", "new"):
        with pytest.raises(DomainError) as refused:
            section_save(scorecard=card, code=bad, title={"en": "Bad"})
        assert refused.value.field == "code", bad
    assert owner.post(f"/mystery/scorecards/{card.pk}/sections/new/", {"title_en": "New"}).status_code == 302
    (code,) = scorecard_current(card).sections.values_list("code", flat=True)
    assert code == "new-2"
    assert owner.get(f"/mystery/scorecards/{card.pk}/sections/{code}/").status_code == 200
    assert owner.get(f"/mystery/scorecards/{card.pk}/").status_code == 200
