"""Scope holds for every role on every recovery page and API route."""

import json
from datetime import UTC

import pytest

from exceed.api.models import ApiToken
from exceed.recovery.models import RecoveryCase, StepKind
from tests.recovery.factories import staff_case

VISIBLE = {
    "owner": {"cph_anders", "cph_other", "aar", "par"},
    "regional": {"cph_anders", "cph_other", "aar"},
    "manager": {"cph_anders", "cph_other"},
    # An associate sees only their own location's cases in which they are involved.
    "associate": {"cph_anders"},
    "shopper": set(),
    "outsider": set(),
}
STAFF = {"owner", "regional", "manager", "associate"}
MANAGERS = {"owner", "regional", "manager"}


@pytest.fixture
def cases(cast):
    return {
        "cph_anders": staff_case(cast, people=[cast.anders], summary="Case of Anders"),
        "cph_other": staff_case(cast, people=[cast.birgitte], summary="Case of Birgitte"),
        "aar": staff_case(cast, location=cast.aar, summary="Aarhus case"),
        "par": staff_case(cast, location=cast.par, summary="Paris case"),
    }


def _login(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize("role", VISIBLE)
def test_each_role_sees_exactly_its_cases_on_every_page(cast, cases, client, role):
    _login(client, cast.roles[role])
    listing = client.get("/recovery/")
    assert listing.status_code == (200 if role in STAFF else 403)
    shown = {
        name for name, case in cases.items() if listing.status_code == 200 and case.summary in listing.content.decode()
    }
    assert shown == VISIBLE[role]
    for name, case in cases.items():
        expected = 200 if name in VISIBLE[role] else (404 if role in STAFF else 403)
        assert client.get(f"/recovery/{case.pk}/").status_code == expected, name
        recorded = client.post(f"/recovery/{case.pk}/steps/fix/", {"fix-note": "Replaced it"})
        assert recorded.status_code == (302 if name in VISIBLE[role] else expected)
        closed = client.post(f"/recovery/{case.pk}/close/", {"reason": "done"})
        assert closed.status_code == (
            302 if name in VISIBLE[role] and role in MANAGERS else (403 if role not in MANAGERS else 404)
        )
    for case in cases.values():
        case.refresh_from_db()
        fixed = case.steps.get(kind=StepKind.FIX).done_at is not None
        assert fixed == (any(c.pk == case.pk for n, c in cases.items() if n in VISIBLE[role]))
    assert client.get("/recovery/capture/").status_code == (200 if role in STAFF else 403)
    assert client.get("/recovery/dashboard/").status_code == (200 if role in MANAGERS else 403)
    export = client.get("/recovery/export.csv")
    assert export.status_code == (200 if role in MANAGERS else 403)
    if export.status_code == 200:
        text = export.content.decode()
        assert ("Paris" in text) == (role == "owner") and ("Aarhus" in text) == (role in {"owner", "regional"})
    assert client.get("/recovery/rules/").status_code == (200 if role == "owner" else 403)


def _api(client, user):
    _token, key = ApiToken.issue(user=user)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}

    def call(method, path, body=None):
        if method == "get":
            return client.get(f"/api/v1{path}", **headers)
        return client.post(f"/api/v1{path}", json.dumps(body or {}), content_type="application/json", **headers)

    return call


@pytest.mark.parametrize("role", VISIBLE)
def test_each_role_sees_exactly_its_cases_through_the_api(cast, cases, client, role):
    call = _api(client, cast.roles[role])
    listed = call("get", "/cases")
    assert listed.status_code == 200
    assert {case["summary"] for case in listed.json()} == {cases[name].summary for name in VISIBLE[role]}
    for name, case in cases.items():
        visible = name in VISIBLE[role]
        assert call("get", f"/cases/{case.pk}").status_code == (200 if visible else 404)
        assert call("post", f"/cases/{case.pk}/steps", {"kind": "fix"}).status_code == (201 if visible else 404)
        closing = call("post", f"/cases/{case.pk}/close", {"reason": "done"})
        assert closing.status_code == (200 if visible and role in MANAGERS else 403 if visible else 404)
    created = call("post", "/cases", {"location": "par", "category": "wait", "summary": "Queue at the till"})
    # A location outside the token's scope is refused as by every other write (exceed.org.lookups).
    assert created.status_code == (201 if role == "owner" else 403)
    # Associates log failures at their own location, as on the capture page.
    own = call("post", "/cases", {"location": "cph", "category": "wait", "summary": "Queue at the till"})
    assert own.status_code == (201 if role in STAFF else 403)
    assert call("get", "/recovery-rules").status_code == (200 if role == "owner" else 403)
    rule = call("post", "/recovery-rules", {"csat_at_most": 2})
    assert rule.status_code == (201 if role == "owner" else 403)
    assert call("get", "/recovery/measures?group_by=location").status_code == (200 if role in MANAGERS else 403)
    visit = call(
        "post",
        "/visits",
        {
            "external_id": f"T-{role}",
            "location": "cph",
            "visited_at": "2025-03-01T12:00:00+01:00",
            "customer_ref": "C1",
        },
    )
    assert visit.status_code == (201 if role in {"owner", "regional", "manager"} else 403)


def test_the_api_refuses_a_call_without_a_token(client):
    assert client.get("/api/v1/cases").status_code == 401


def test_the_measures_api_returns_figures_per_group(cast, cases, client):
    call = _api(client, cast.regional)
    body = call("get", "/recovery/measures?group_by=location").json()
    by_location = {row["group"]["location_label"]: row for row in body["results"]}
    assert set(by_location) == {"Copenhagen", "Aarhus"}
    assert by_location["Copenhagen"]["failures"] == 2
    assert set(by_location["Copenhagen"]["recovery_rate"]) == {"value", "n", "ci_low", "ci_high"}
    assert RecoveryCase.objects.count() == 4


CONTACT = {
    "consent": True,
    "contact_name": "Karen Kunde",
    "contact_email": "karen@example.com",
    "contact_phone": "+4512345678",
}


@pytest.mark.parametrize("role", sorted(STAFF))
def test_only_managers_see_the_customers_contact_on_a_case(cast, client, role):
    # The associate is named on the case: it may be about them, so the customer's contact is not theirs to see.
    case = staff_case(cast, people=[cast.anders], summary="Rude at the till", **CONTACT)
    page = _login(client, cast.roles[role]).get(f"/recovery/{case.pk}/").content.decode()
    for value in CONTACT.values():
        if isinstance(value, str):
            assert (value in page) == (role in MANAGERS), value
    body = _api(client, cast.roles[role])("get", f"/cases/{case.pk}").json()
    if role in MANAGERS:
        assert body["contact"] == {
            "name": "Karen Kunde",
            "email": "karen@example.com",
            "phone": "+4512345678",
            "language": "da",
        }
    else:
        text = json.dumps(body)
        assert (
            body["contact"] is None
            and "karen@example.com" not in text
            and "12345678" not in text
            and "Karen" not in text
        )
    export = client.get("/recovery/export.csv?group_by=location")
    assert "karen" not in export.content.decode().lower()


def test_case_times_are_shown_in_the_locations_time_zone(cast, client):
    from datetime import datetime

    case = staff_case(cast, summary="Late delivery")
    # 11:30 UTC in winter is 12:30 in Copenhagen.
    RecoveryCase.objects.filter(pk=case.pk).update(opened_at=datetime(2025, 1, 15, 11, 30, tzinfo=UTC))
    _login(client, cast.manager)
    assert "Jan. 15, 2025, 12:30 p.m. CET" in client.get(f"/recovery/{case.pk}/").content.decode()
    assert "Jan. 15, 2025, 12:30 p.m. CET" in client.get("/recovery/").content.decode()
