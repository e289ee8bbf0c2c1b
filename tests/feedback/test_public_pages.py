import pytest

from exceed.feedback.models import Response


def _path(channel):
    return f"/s/{channel.slug}/"


def test_the_language_follows_the_query_then_the_browser_then_the_location(cast, client):
    assert (
        "quelle est la probabilité que vous reveniez" in client.get(_path(cast.cph_link) + "?lang=fr").content.decode()
    )
    assert (
        "Kuinka todennäköisesti"
        in client.get(_path(cast.cph_link), HTTP_ACCEPT_LANGUAGE="fi-FI,fi;q=0.9").content.decode()
    )
    assert "Hvor sandsynligt" in client.get(_path(cast.cph_link)).content.decode()  # Copenhagen speaks Danish
    assert "quelle est la probabilité que vous reveniez" in client.get(_path(cast.par_link)).content.decode()


def test_a_submission_is_stored_with_the_links_location_and_touchpoint(cast, client):
    page = client.post(_path(cast.cph_link) + "?lang=en", {"q_return": "8", "q_expectation": "met", "lang": "en"})
    assert page.status_code == 302 and page["Location"].startswith(f"/s/{cast.cph_link.slug}/thanks/")
    response = Response.objects.get()
    assert (response.location, response.touchpoint, response.channel, response.language) == (
        cast.cph,
        cast.in_store,
        cast.cph_link,
        "en",
    )


def test_errors_come_back_in_the_respondents_language_and_keep_their_answers(cast, client):
    page = client.post(_path(cast.cph_link), {"q_expectation": "met", "q_difference": "Lang kø", "lang": "da"})
    body = page.content.decode()
    assert page.status_code == 400
    assert "Besvar venligst dette spørgsmål." in body
    assert "Lang kø" in body
    assert Response.objects.count() == 0


def test_the_form_works_with_csrf_checks_on(cast):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    page = browser.get(_path(cast.cph_link))
    token = page.cookies["csrftoken"].value
    refused = browser.post(_path(cast.cph_link), {"q_return": "8", "q_expectation": "met"})
    assert refused.status_code == 403
    accepted = browser.post(
        _path(cast.cph_link), {"q_return": "8", "q_expectation": "met", "csrfmiddlewaretoken": token}
    )
    assert accepted.status_code == 302
    assert Response.objects.count() == 1


def test_a_bot_filling_the_honeypot_is_thanked_but_nothing_is_stored(cast, client):
    page = client.post(_path(cast.cph_link), {"q_return": "10", "q_expectation": "exceeded", "website": "http://spam"})
    assert page.status_code == 302
    assert Response.objects.count() == 0


def test_one_client_hammering_a_link_is_throttled(cast, client, settings):
    settings.EXCEED_SURVEY_RATE_LIMIT = 3
    codes = [client.post(_path(cast.par_link), {"q_return": "5", "q_expectation": "met"}).status_code for _ in range(5)]
    assert codes == [302, 302, 302, 429, 429]
    assert Response.objects.count() == 3


def test_a_kiosk_is_locked_until_unlocked_by_its_key(cast, client):
    kiosk = f"/k/{cast.cph_kiosk.slug}/"
    assert client.get(kiosk).status_code == 403
    assert client.get(kiosk + "?key=wrong").status_code == 403
    unlocked = client.get(kiosk + f"?key={cast.cph_kiosk.kiosk_key}")
    assert unlocked.status_code == 302 and unlocked["Location"] == kiosk
    assert client.get(kiosk).status_code == 200


def test_a_kiosk_returns_to_a_fresh_survey_after_each_answer(cast, client):
    kiosk = f"/k/{cast.cph_kiosk.slug}/"
    client.get(kiosk + f"?key={cast.cph_kiosk.kiosk_key}")
    for _ in range(5):
        page = client.post(kiosk, {"q_return": "9", "q_expectation": "exceeded"})
        assert page.status_code == 200
        assert f'content="5;url={kiosk}"' in page.content.decode()
    assert Response.objects.filter(channel_kind="kiosk").count() == 5


def test_revoking_a_kiosk_locks_tablets_opened_with_the_old_key(cast, client):
    from exceed.feedback.services import channel_revoke_kiosks

    kiosk = f"/k/{cast.cph_kiosk.slug}/"
    client.get(kiosk + f"?key={cast.cph_kiosk.kiosk_key}")
    channel_revoke_kiosks(channel=cast.cph_kiosk)
    assert client.get(kiosk).status_code == 403


@pytest.mark.parametrize("slug", ["nope", None])
def test_an_unknown_or_inactive_link_is_not_found(cast, client, slug):
    if slug is None:
        cast.cph_link.active = False
        cast.cph_link.save()
        slug = cast.cph_link.slug
    assert client.get(f"/s/{slug}/").status_code == 404


def test_a_link_bound_to_a_person_attributes_every_answer_to_them(cast, client):
    from exceed.feedback.services import channel_create

    link = channel_create(survey=cast.survey, location=cast.cph, person=cast.birgitte)
    client.post(f"/s/{link.slug}/", {"q_return": "10", "q_expectation": "exceeded"})
    assert list(Response.objects.get().people.all()) == [cast.birgitte]


def test_behind_a_trusted_proxy_customers_are_throttled_by_their_own_address(cast, client, settings):
    settings.EXCEED_SURVEY_RATE_LIMIT = 1
    settings.EXCEED_TRUSTED_PROXY_COUNT = 1
    answer = {"q_return": "5", "q_expectation": "met"}
    # Two customers through the same proxy are two clients; a forged extra hop changes nothing.
    assert client.post(_path(cast.par_link), answer, HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 302
    assert client.post(_path(cast.par_link), answer, HTTP_X_FORWARDED_FOR="203.0.113.8").status_code == 302
    assert client.post(_path(cast.par_link), answer, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.8").status_code == 429
