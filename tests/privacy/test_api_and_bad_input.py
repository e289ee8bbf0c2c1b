"""The privacy API for owners' tokens, and bad input on the page and the API."""

import pytest

from exceed.api.models import ApiToken
from exceed.privacy.models import PrivacyAudit
from tests.privacy.customers import EMAIL, PHONE

KIRSTEN = {"email": EMAIL, "phone": PHONE}


@pytest.fixture
def owner_api(client, cast):
    token = ApiToken.issue(user=cast.owner)[1]

    def post(operation, body):
        return client.post(
            f"/api/v1/privacy/{operation}", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
        )

    return post


def test_an_owners_token_finds_exports_and_erases_the_customer(owner_api, held):
    found = owner_api("find", KIRSTEN)
    assert found.status_code == 200
    assert found.json() == {"responses": 3, "invitations": 1, "cases": 2, "visits": 1}
    exported = owner_api("export", {"email": EMAIL})
    assert exported.status_code == 200
    assert exported.json()["invitations"][0]["email"] == EMAIL.upper()
    erased = owner_api("erase", {**KIRSTEN, "confirm": True})
    assert erased.status_code == 200
    assert erased.json() == {"responses": 3, "invitations": 1, "cases": 2, "visits": 1}
    assert owner_api("find", KIRSTEN).json() == {"responses": 0, "invitations": 0, "cases": 0, "visits": 0}
    assert list(PrivacyAudit.objects.order_by("pk").values_list("action", "via")) == [
        ("find", "api"),
        ("export", "api"),
        ("erase", "api"),
        ("find", "api"),
    ]


def test_the_api_erases_nothing_without_confirm(owner_api, held):
    answer = owner_api("erase", KIRSTEN)
    assert answer.status_code == 400
    assert answer.json()["field"] == "confirm"
    held.by_email.refresh_from_db()
    assert held.by_email.contact_email == EMAIL.lower()


@pytest.mark.parametrize(
    "body, field",
    [
        ({}, "email"),
        ({"email": "  ", "phone": ""}, "email"),
        ({"email": "kirsten-at-example.com"}, "email"),
        ({"email": "kirsten@example.com\x00"}, "email"),
        ({"phone": "12ab34567"}, "phone"),
        ({"phone": "+45 12"}, "phone"),
        ({"email": "kirsten@example.com", "phone": "call me"}, "phone"),
    ],
)
def test_an_empty_or_malformed_email_or_phone_is_a_4xx_naming_the_field(owner_api, cast, body, field):
    for operation in ("find", "export", "erase"):
        answer = owner_api(operation, {**body, "confirm": True})
        # The API's own parser answers 422 for a NUL anywhere in a body; the rest is the check's 400.
        assert answer.status_code in (400, 422), (operation, answer.content)
        assert answer.json()["field"] == field
    assert not PrivacyAudit.objects.exists()


@pytest.mark.parametrize(
    "language, email, expected",
    [
        ("da", "", "Angiv kundens e-mailadresse eller telefonnummer."),
        ("fr", "pas-une-adresse", "Saisissez une adresse e-mail valide."),
        ("et", "", "Sisestage kliendi e-posti aadress või telefoninumber."),
        ("fi", "", "Anna asiakkaan sähköpostiosoite tai puhelinnumero."),
    ],
)
def test_the_page_says_what_is_wrong_in_the_users_language(client, cast, language, email, expected):
    client.force_login(cast.owner)
    page = client.post("/privacy/", {"email": email, "phone": ""}, HTTP_ACCEPT_LANGUAGE=language)
    assert page.status_code == 400
    assert expected in page.content.decode()
    assert not PrivacyAudit.objects.exists()


def test_a_malformed_phone_on_the_page_is_an_error_on_the_phone_field(client, cast):
    client.force_login(cast.owner)
    page = client.post("/privacy/erase/", {"phone": "12-ab", "confirm": "on"})
    assert page.status_code == 400
    assert page.context["form"].errors["phone"]
