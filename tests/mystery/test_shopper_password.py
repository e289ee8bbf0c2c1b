"""A shopper may sign in with a password besides the emailed link: set from a signed-in session,
checked by the same validators as every password, through django-axes' lockout, refused while
paused; a forgotten password is answered by a new link, the same answer for any address."""

import re

from django.conf import settings as django_settings

from exceed.mystery.services.shoppers import shopper_set_active, signin_token
from tests.mystery.factories import shopper

STRONG = "harbour-lantern-47"


def _without_csrf(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def _set_password(client, who, password=STRONG, language="en"):
    client.force_login(who.user)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
    return client.post("/mystery/shop/password/", {"password": password, "password_again": password})


def _sign_in(client, email, password, address="203.0.113.9"):
    return client.post("/mystery/signin/", {"username": email, "password": password}, REMOTE_ADDR=address)


def test_a_signed_in_shopper_sets_a_password_and_signs_in_with_it(cast, client):
    who = shopper("Lea")
    assert not who.user.has_usable_password()  # invited shoppers start with the link only
    response = _set_password(client, who)
    assert response.status_code == 302 and response["Location"] == "/mystery/shop/"
    who.user.refresh_from_db()
    assert who.user.check_password(STRONG)
    client.logout()
    response = _sign_in(client, "LEA@example.com ", STRONG)
    assert response.status_code == 302 and response["Location"] == "/mystery/shop/"
    assert _signed_in(client)


def test_a_weak_password_is_refused_with_an_error_in_the_shoppers_language(cast, client):
    who = shopper("Mette", language="da")
    response = _set_password(client, who, password="abc", language="da")
    assert response.status_code == 400
    page = response.content.decode()
    assert "for kort" in page and "too short" not in page  # Django's own validator, in Danish
    who.user.refresh_from_db()
    assert not who.user.has_usable_password()


def test_two_different_passwords_are_refused(cast, client):
    who = shopper("Lea")
    client.force_login(who.user)
    response = client.post("/mystery/shop/password/", {"password": STRONG, "password_again": STRONG + "x"})
    assert response.status_code == 400 and "differ" in response.content.decode()


def test_the_shopper_sign_in_locks_out_after_the_failure_limit(cast, client, settings):
    who = shopper("Lea")
    _set_password(client, who)
    client.logout()
    statuses = [
        _sign_in(client, "lea@example.com", "wrong-guess").status_code for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert statuses == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    response = _sign_in(client, "lea@example.com", STRONG)
    assert response.status_code == 429 and "Too many failed sign-ins" in response.content.decode()
    assert not _signed_in(client)


def test_a_paused_shopper_can_sign_in_neither_by_password_nor_by_link(cast, client):
    who = shopper("Lea")
    _set_password(client, who)
    client.logout()
    shopper_set_active(shopper=who, active=False)
    response = _sign_in(client, "lea@example.com", STRONG)
    assert response.status_code == 200 and "paused" in response.content.decode()
    assert not _signed_in(client)
    link = client.post(f"/mystery/signin/{signin_token(user=who.user)}/")
    assert "paused" in link.content.decode() and not _signed_in(client)


def test_staff_cannot_use_the_shopper_sign_in(cast, client):
    response = _sign_in(client, "olivia", "pw-olivia")
    assert response.status_code == 200 and "for mystery shoppers" in response.content.decode()
    assert not _signed_in(client)


def test_a_link_request_answers_the_same_for_any_address_and_mails_only_a_known_shopper(
    cast, client, smtp_inbox, django_capture_on_commit_callbacks
):
    shopper("Lea")
    with django_capture_on_commit_callbacks(execute=True):
        unknown = client.post("/mystery/signin/link/", {"email": "nobody@example.com"})
    assert smtp_inbox.messages == []
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post("/mystery/signin/link/", {"email": "Lea@Example.com"})
    assert unknown.status_code == known.status_code == 200
    assert _without_csrf(unknown) == _without_csrf(known)
    assert "on its way" in unknown.content.decode() and "on its way" in known.content.decode()
    assert len(smtp_inbox.messages) == 1 and smtp_inbox.messages[0]["To"] == "lea@example.com"
    assert "/mystery/signin/" in smtp_inbox.text_of(smtp_inbox.messages[0])


def test_a_paused_shopper_gets_no_new_link(cast, client, smtp_inbox, django_capture_on_commit_callbacks):
    shopper_set_active(shopper=shopper("Lea"), active=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/mystery/signin/link/", {"email": "lea@example.com"})
    assert "on its way" in response.content.decode() and smtp_inbox.messages == []


def test_link_requests_are_limited_per_address_and_per_client_in_the_users_language(
    cast, client, smtp_inbox, django_capture_on_commit_callbacks
):
    """Three links per address, shopper or not (so the limit tells nothing), ten per client."""
    shopper("Lea")
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post("/mystery/signin/link/", {"email": "lea@example.com"}).status_code == 200
    assert len(smtp_inbox.messages) == 3
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "da"
    with django_capture_on_commit_callbacks(execute=True):
        refused = client.post("/mystery/signin/link/", {"email": "LEA@example.com"})
    assert refused.status_code == 429 and "Der er bedt om for mange login-links" in refused.content.decode()
    assert len(smtp_inbox.messages) == 3
    unknown = [client.post("/mystery/signin/link/", {"email": "nobody@example.com"}).status_code for _ in range(4)]
    assert unknown == [200, 200, 200, 429]
    # Another client and another address still get through, until that client has asked ten times.
    other = [
        client.post("/mystery/signin/link/", {"email": f"p{n}@example.com"}, REMOTE_ADDR="198.51.100.7").status_code
        for n in range(11)
    ]
    assert other == [200] * 10 + [429]


def test_a_password_sign_in_switches_to_the_shoppers_language_as_the_link_does(cast, client):
    who = shopper("Mari", language="et")
    _set_password(client, who)
    client.logout()
    client.cookies.pop(django_settings.LANGUAGE_COOKIE_NAME, None)
    response = _sign_in(client, "mari@example.com", STRONG)
    assert response.status_code == 302
    assert response.cookies[django_settings.LANGUAGE_COOKIE_NAME].value == "et"
