"""API calls step past the HTML site's session layers (issue 11, item 4) and keep what protects them."""

import pytest

from exceed.api.middleware import API_PREFIX
from exceed.api.models import ApiToken

SECURITY_HEADERS = [
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "X-Frame-Options",
    "Content-Security-Policy",
]


def test_an_api_call_opens_no_session_sets_no_cookie_and_reads_no_messages(cast, api_as):
    answer = api_as("owner").get("/locations")
    assert answer.status_code == 200
    assert answer.cookies == {}
    request = answer.wsgi_request
    assert not hasattr(request, "session") and not hasattr(request, "_messages")


def test_a_page_still_has_its_session_csrf_cookie_and_messages(cast, client):
    page = client.get("/login/")
    assert page.status_code == 200
    assert "csrftoken" in page.cookies
    assert hasattr(page.wsgi_request, "session") and hasattr(page.wsgi_request, "_messages")


def test_an_api_answer_carries_the_security_headers_a_page_does(db, cast, api_as, client):
    page = client.get("/login/")
    answer = api_as("owner").get("/locations")
    for name in SECURITY_HEADERS:
        assert page.has_header(name), name
        assert answer[name] == page[name], name


def test_a_signed_in_browser_session_does_not_authenticate_an_api_call(cast, client):
    client.force_login(cast.owner)
    assert client.get("/dashboard/").status_code in (200, 302)
    answer = client.get(f"{API_PREFIX}locations")
    assert answer.status_code == 401
    assert answer.json() == {"detail": "A valid bearer token is required.", "field": None}


def test_an_api_error_speaks_the_callers_accept_language(cast, client):
    answer = client.get(f"{API_PREFIX}locations", headers={"Accept-Language": "da"})
    assert answer.status_code == 401
    assert answer["Content-Language"] == "da"
    assert answer.json()["detail"] == "Der kræves et gyldigt bearer-token."


@pytest.mark.parametrize("method", ["put", "delete"])
def test_a_wrong_method_still_gets_the_apis_error_shape(cast, client, method):
    _token, key = ApiToken.issue(user=cast.owner)
    answer = getattr(client, method)(f"{API_PREFIX}locations", headers={"Authorization": f"Bearer {key}"})
    assert answer.status_code == 405
    assert answer.json()["field"] is None
