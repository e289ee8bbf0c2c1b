"""404, 500 and expired-form pages in the reader's language, laid out for a phone, with a way back
(issue 8, item 9). The 500 page is rendered without a request context, so it must not depend on
context processors to know its language or its links."""

import pytest
from django.test import Client
from django.urls import include, path


def _broken(request):
    raise RuntimeError("a bug, not the reader's fault")


# The product's routes plus one that fails, for the 500 page only.
urlpatterns = [path("broken/", _broken), path("", include("exceed.urls"))]

PHONE = '<meta name="viewport" content="width=device-width, initial-scale=1">'
NOT_FOUND = {
    "en": "Page not found",
    "da": "Siden blev ikke fundet",
    "fr": "Page introuvable",
    "et": "Lehte ei leitud",
    "fi": "Sivua ei löytynyt",
}
BACK = {
    "en": "Back to the start page",
    "da": "Tilbage til forsiden",
    "fr": "Retour à l'accueil",
    "et": "Tagasi avalehele",
    "fi": "Takaisin etusivulle",
}
SERVER_ERROR = {
    "da": "Noget gik galt",
    "fr": "Un problème est survenu",
    "et": "Midagi läks valesti",
    "fi": "Jokin meni vikaan",
}


def _way_back(html: str, language: str) -> bool:
    from html import unescape

    # Django escapes the apostrophe of "l'accueil" as &#x27; where autoescaping is on, not elsewhere.
    return f'<a class="button" href="/">{BACK[language]}</a>' in unescape(html)


@pytest.mark.parametrize("language", ["en", "da", "fr", "et", "fi"])
def test_an_unknown_address_gives_a_404_page_in_the_readers_language_with_a_way_back(client, db, language):
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE=language)
    html = response.content.decode()
    assert response.status_code == 404
    assert NOT_FOUND[language] in html and f'<html lang="{language}">' in html
    assert PHONE in html and _way_back(html, language)


def test_a_signed_in_manager_gets_the_same_404_page(client, cast):
    client.force_login(cast.manager)
    response = client.get("/recovery/999999/", HTTP_ACCEPT_LANGUAGE="fi")
    assert response.status_code == 404 and NOT_FOUND["fi"] in response.content.decode()


@pytest.mark.urls("tests.test_error_pages")
@pytest.mark.parametrize("language", ["da", "fr", "et", "fi"])
def test_a_server_error_gives_a_500_page_in_the_readers_language(db, language):
    client = Client(raise_request_exception=False)
    response = client.get("/broken/", HTTP_ACCEPT_LANGUAGE=language)
    html = response.content.decode()
    assert response.status_code == 500
    assert f'<html lang="{language}">' in html and PHONE in html and _way_back(html, language)
    assert SERVER_ERROR[language] in html and "RuntimeError" not in html


def test_a_form_sent_from_an_expired_page_explains_itself_in_the_readers_language(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"username": "x", "password": "y"}, HTTP_ACCEPT_LANGUAGE="da")
    html = response.content.decode()
    assert response.status_code == 403
    assert "Formularen er udløbet" in html and _way_back(html, "da") and PHONE in html
