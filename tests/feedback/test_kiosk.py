"""Store tablets (issue 7, item 8): only a manager unlocks one, the tablet keeps a kiosk-only
credential and no staff session, nobody rates themselves on it, and each tablet is throttled."""

import pytest
from django.contrib.auth import SESSION_KEY

from exceed.feedback.models import Response
from exceed.feedback.services import channel_create

ANSWER = {"q_return": "10", "q_expectation": "exceeded"}


def _kiosk(cast):
    return f"/k/{cast.cph_kiosk.slug}/"


def test_an_associates_own_sign_in_does_not_open_a_kiosk_at_their_store(cast, client):
    """Reproducer: an associate signed in on a Copenhagen tablet, opened /k/<slug>/ (200: their
    login covered the store) and answered 25 times about themselves; all 25 were stored."""
    client.force_login(cast.associate)
    assert client.get(_kiosk(cast)).status_code == 403
    assert client.post(_kiosk(cast), {**ANSWER, "q_served_by": [str(cast.anders.pk)]}).status_code == 403
    assert Response.objects.count() == 0


def test_a_managers_sign_in_alone_does_not_open_a_kiosk_either(cast, client):
    """Before, a signed-in manager's session was the kiosk's credential; now only the kiosk's own is."""
    client.force_login(cast.manager)
    assert client.get(_kiosk(cast)).status_code == 403


def test_unlocking_with_the_key_signs_the_manager_out_of_the_tablet(cast, client):
    """Reproducer: a manager signed in on the tablet, opened the kiosk link from the back office,
    and the customer's tablet then opened /dashboard/ with the manager's session."""
    client.force_login(cast.manager)
    unlocked = client.get(_kiosk(cast) + f"?key={cast.cph_kiosk.kiosk_key}")
    assert unlocked.status_code == 302 and unlocked["Location"] == _kiosk(cast)
    assert SESSION_KEY not in client.session
    assert client.get("/dashboard/").status_code in (302, 403)
    assert client.get(_kiosk(cast)).status_code == 200


def test_the_tablet_cookie_holds_neither_the_key_nor_a_session(cast, client):
    unlocked = client.get(_kiosk(cast) + f"?key={cast.cph_kiosk.kiosk_key}")
    cookie = unlocked.cookies[f"exceed_kiosk_{cast.cph_kiosk.slug}"]
    assert cast.cph_kiosk.kiosk_key not in cookie.value
    assert cookie["httponly"] and cookie["path"] == _kiosk(cast)


def test_a_forged_or_other_kiosks_cookie_does_not_open_the_kiosk(cast, client):
    other = channel_create(survey=cast.survey, location=cast.cph, kind="kiosk")
    unlocked = client.get(f"/k/{other.slug}/?key={other.kiosk_key}")
    client.cookies[f"exceed_kiosk_{cast.cph_kiosk.slug}"] = unlocked.cookies[f"exceed_kiosk_{other.slug}"].value
    assert client.get(_kiosk(cast)).status_code == 403
    client.cookies[f"exceed_kiosk_{cast.cph_kiosk.slug}"] = "forged"
    assert client.get(_kiosk(cast)).status_code == 403


def test_a_manager_of_the_store_unlocks_the_tablet_with_a_password_and_stays_signed_out(cast, client):
    unlocked = client.post(_kiosk(cast) + "unlock/", {"username": "mette", "password": "pw-mette"})
    assert unlocked.status_code == 302 and unlocked["Location"] == _kiosk(cast)
    assert SESSION_KEY not in client.session
    assert client.get(_kiosk(cast)).status_code == 200
    assert client.post(_kiosk(cast), ANSWER).status_code == 200
    assert Response.objects.filter(channel_kind="kiosk").count() == 1


@pytest.mark.parametrize("username", ["anders", "sofie", "oscar"])
def test_an_associate_or_anyone_without_a_managers_scope_cannot_unlock(cast, client, username):
    """Reproducer: the associate anders unlocked his store's kiosk with his own password."""
    refused = client.post(_kiosk(cast) + "unlock/", {"username": username, "password": f"pw-{username}"})
    assert refused.status_code == 403
    assert "Only a manager of this store can unlock its kiosk." in refused.content.decode()
    assert client.get(_kiosk(cast)).status_code == 403


def test_a_manager_of_another_store_cannot_unlock_this_one(cast, client):
    par_kiosk = channel_create(survey=cast.survey, location=cast.par, kind="kiosk")
    assert client.post(f"/k/{par_kiosk.slug}/unlock/", {"username": "mette", "password": "pw-mette"}).status_code == 403
    assert client.get(f"/k/{par_kiosk.slug}/").status_code == 403


def test_a_wrong_password_on_the_unlock_form_is_a_form_error_in_the_tablets_language(cast, client):
    page = client.post(_kiosk(cast) + "unlock/", {"username": "mette", "password": "nope"}, HTTP_ACCEPT_LANGUAGE="da")
    assert page.status_code == 400
    assert client.get(_kiosk(cast)).status_code == 403


def test_the_locked_kiosk_offers_the_unlock_form_in_danish(cast, client):
    page = client.get(_kiosk(cast), HTTP_ACCEPT_LANGUAGE="da")
    assert page.status_code == 403
    assert "Lås denne kiosk op" in page.content.decode()


def test_a_staff_member_signed_in_on_an_unlocked_tablet_cannot_rate_themselves(cast, client):
    """Reproducer: with the kiosk unlocked, an associate signed in on the same tablet and named
    themselves in "served by"; the API refuses this ("feedback about themselves entered by
    themselves"), the kiosk stored it."""
    client.get(_kiosk(cast) + f"?key={cast.cph_kiosk.kiosk_key}")
    client.force_login(cast.associate)
    refused = client.post(_kiosk(cast), {**ANSWER, "q_served_by": [str(cast.anders.pk)], "lang": "da"})
    assert refused.status_code == 400
    assert "Feedback om dig selv, som du selv indtaster, er ikke feedback." in refused.content.decode()
    assert Response.objects.count() == 0


def test_each_tablet_is_throttled_on_its_own(cast, client, settings):
    """Reproducer: a kiosk was never throttled: 25 of 25 answers in a minute were stored."""
    from django.test import Client

    settings.EXCEED_KIOSK_RATE_LIMIT = 3
    client.get(_kiosk(cast) + f"?key={cast.cph_kiosk.kiosk_key}")
    statuses = [client.post(_kiosk(cast), ANSWER).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    second_tablet = Client()
    second_tablet.get(_kiosk(cast) + f"?key={cast.cph_kiosk.kiosk_key}")
    assert second_tablet.post(_kiosk(cast), ANSWER).status_code == 200
    assert Response.objects.filter(channel_kind="kiosk").count() == 4
