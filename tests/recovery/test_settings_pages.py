"""The owner edits failure categories (with their names in five languages) and step deadlines on
pages (issue 8, item 1), not in the Django admin; bad input is a form error in the reader's
language and nothing is stored half-way."""

import pytest

from exceed.recovery.deadlines import deadline_hours
from exceed.recovery.models import CaseCategory, DeadlinePolicy, Severity, StepKind
from tests.recovery.factories import staff_case


@pytest.fixture
def owner(cast, client):
    client.force_login(cast.owner)
    return client


def _category_form(**changes):
    form = {"code": "parking", "name": "Parking", "position": "9", "active": "on", "names_da": "Parkering"}
    form.update(changes)
    return {name: value for name, value in form.items() if value is not None}


def test_the_owner_adds_a_category_with_translated_names_and_staff_can_choose_it(cast, owner):
    answer = owner.post("/recovery/categories/new/", _category_form(names_fr="Stationnement"))

    assert answer.status_code == 302 and answer["Location"] == "/recovery/categories/"
    parking = CaseCategory.objects.get(code="parking")
    assert (parking.name, parking.names, parking.position, parking.active) == (
        "Parking",
        {"da": "Parkering", "fr": "Stationnement"},
        9,
        True,
    )
    assert "Stationnement" in owner.get("/recovery/categories/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Parkering" in owner.get("/recovery/capture/", HTTP_ACCEPT_LANGUAGE="da").content.decode()


def test_a_category_code_that_exists_is_refused_naming_the_field_in_the_readers_language(cast, owner):
    answer = owner.post("/recovery/categories/new/", _category_form(code="wait"), HTTP_ACCEPT_LANGUAGE="fi")

    assert answer.status_code == 400
    body = answer.content.decode()
    assert 'data-field="code"' in body and "field-error" in body
    assert "on jo olemassa" in body  # Finnish: "… already exists"
    assert not CaseCategory.objects.filter(name="Parking").exists()


def test_retiring_a_category_keeps_its_cases_and_takes_it_off_the_capture_form(cast, owner):
    wait = CaseCategory.objects.get(code="wait")
    case = staff_case(cast, category="wait")

    answer = owner.post(f"/recovery/categories/{wait.pk}/", _category_form(code=None, name="Waiting", active=None))

    assert answer.status_code == 302
    wait.refresh_from_db()
    assert (wait.name, wait.active, wait.code) == ("Waiting", False, "wait")
    assert case.category_id == wait.pk and wait.cases.count() == 1
    capture = owner.get("/recovery/capture/").content.decode()
    assert f'name="category" value="{wait.pk}"' not in capture
    assert f'name="category" value="{CaseCategory.objects.get(code="product").pk}"' in capture


def test_the_other_category_cannot_be_retired(cast, owner):
    other = CaseCategory.objects.get(code="other")

    answer = owner.post(
        f"/recovery/categories/{other.pk}/",
        _category_form(code=None, name="Other", active=None),
        HTTP_ACCEPT_LANGUAGE="fr",
    )

    assert answer.status_code == 400 and "reste en service" in answer.content.decode()
    assert CaseCategory.objects.get(pk=other.pk).active


def test_a_step_deadline_set_on_the_page_applies_to_the_next_case_and_a_second_one_replaces_it(cast, owner):
    wait = CaseCategory.objects.get(code="wait")
    form = {"category": wait.pk, "severity": Severity.HIGH, "step": StepKind.ACKNOWLEDGE, "hours": "3"}

    assert owner.post("/recovery/deadlines/", form).status_code == 302
    assert owner.post("/recovery/deadlines/", {**form, "hours": "4"}).status_code == 302

    assert list(DeadlinePolicy.objects.values_list("hours", flat=True)) == [4]
    assert deadline_hours(category=wait, severity=Severity.HIGH)[StepKind.ACKNOWLEDGE] == 4
    assert deadline_hours(category=wait, severity=Severity.LOW)[StepKind.ACKNOWLEDGE] == 1  # the built-in
    case = staff_case(cast, category="wait", severity=Severity.HIGH)
    step = case.steps.get(kind=StepKind.ACKNOWLEDGE)
    assert (step.due_at - case.opened_at).total_seconds() == 4 * 3600


@pytest.mark.parametrize("hours", ["0", "2161", "-1"])
def test_a_deadline_outside_one_hour_to_ninety_days_is_refused_in_danish_and_nothing_is_stored(cast, owner, hours):
    answer = owner.post("/recovery/deadlines/", {"step": StepKind.FIX, "hours": hours}, HTTP_ACCEPT_LANGUAGE="da")

    assert answer.status_code == 400 and "En frist skal ligge mellem 1 og 2160 timer" in answer.content.decode()
    assert not DeadlinePolicy.objects.exists()


def test_removing_a_deadline_falls_back_to_the_general_one(cast, owner):
    general = DeadlinePolicy.objects.create(step=StepKind.FIX, hours=12)
    specific = DeadlinePolicy.objects.create(step=StepKind.FIX, severity=Severity.HIGH, hours=6)
    wait = CaseCategory.objects.get(code="wait")

    assert owner.post(f"/recovery/deadlines/{specific.pk}/delete/").status_code == 302

    assert list(DeadlinePolicy.objects.all()) == [general]
    assert deadline_hours(category=wait, severity=Severity.HIGH)[StepKind.FIX] == 12


@pytest.mark.parametrize("role", ["regional", "manager", "associate"])
def test_only_the_owner_edits_categories_and_deadlines(cast, client, role):
    client.force_login(cast.roles[role])
    policy = DeadlinePolicy.objects.create(step=StepKind.FIX, hours=12)
    wait = CaseCategory.objects.get(code="wait")

    for path in (
        "/recovery/categories/",
        "/recovery/categories/new/",
        f"/recovery/categories/{wait.pk}/",
        "/recovery/deadlines/",
    ):
        assert client.get(path).status_code == 403
    assert client.post(f"/recovery/categories/{wait.pk}/", _category_form(code=None, name="Mine")).status_code == 403
    assert client.post(f"/recovery/deadlines/{policy.pk}/delete/").status_code == 403
    assert DeadlinePolicy.objects.filter(pk=policy.pk).exists()
    assert CaseCategory.objects.get(pk=wait.pk).name == "Wait"


def test_the_owner_reaches_both_pages_from_the_recovery_menu(cast, owner):
    page = owner.get("/recovery/rules/").content.decode()
    assert 'href="/recovery/categories/"' in page and 'href="/recovery/deadlines/"' in page


def test_the_deadlines_page_lists_the_owners_deadlines_and_the_built_in_ones_in_french(cast, owner):
    DeadlinePolicy.objects.create(step=StepKind.FIX, severity=Severity.HIGH, hours=6)

    page = owner.get("/recovery/deadlines/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    assert "Délais des étapes" in page and "Délais intégrés" in page
    assert "Toutes les catégories" in page  # the deadline holds for every category
    assert '<td class="num">6</td>' in page and '<td class="num">48</td>' in page  # follow-up, built in
