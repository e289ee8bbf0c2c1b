"""The owner creates a programme from the template on a page; a bad window is a form error."""

from exceed.mystery.models import Item, Programme
from exceed.mystery.services.scorecards import scorecard_current

FORM = {
    "name": "Monthly store visit",
    "touchpoint": "",
    "scorecard": "template",
    "rhythm": "monthly",
    "lockout_days": "60",
    "claims_per_period": "2",
    "reward_amount": "20",
    "reward_currency": "EUR",
    "expense_cap": "15",
    "min_shops_ranked": "3",
    "evidence_days": "60",
    "start_0": "14",
    "end_0": "17",
    "start_5": "9",
    "end_5": "12",
}


def test_the_owner_creates_a_programme_from_the_template_with_weekday_windows(cast, client):
    client.force_login(cast.owner)
    answer = client.post(
        "/mystery/programmes/new/", {**FORM, "touchpoint": cast.in_store.pk, "locations": [cast.cph.pk, cast.par.pk]}
    )
    assert answer.status_code == 302
    programme = Programme.objects.get()
    assert programme.windows == [{"weekday": 0, "start": 14, "end": 17}, {"weekday": 5, "start": 9, "end": 12}]
    assert set(programme.locations.values_list("code", flat=True)) == {"cph", "par"}
    greeted = Item.objects.get(section__version=scorecard_current(programme.scorecard), code="greeted")
    assert greeted.critical and set(greeted.text) == {"en", "da", "fr", "et", "fi"}


def test_a_window_ending_before_it_starts_is_a_form_error_in_the_users_language(cast, client):
    client.force_login(cast.owner)
    client.post("/i18n/setlang/", {"language": "fr"})
    answer = client.post(
        "/mystery/programmes/new/",
        {**FORM, "touchpoint": cast.in_store.pk, "locations": [cast.cph.pk], "start_0": "17", "end_0": "14"},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert answer.status_code == 200
    assert "Un créneau de visite" in answer.content.decode()
    assert not Programme.objects.exists()


def test_only_the_owner_opens_the_programme_page(cast, client):
    client.force_login(cast.manager)
    assert client.get("/mystery/programmes/new/").status_code == 403
