"""Issue 7, item 4: input at the API's edges is a 4xx naming the field, never a 500, on SQLite
and PostgreSQL alike (PostgreSQL refuses NUL in text and numbers past bigint)."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from exceed.api.cursor import cursor_encode
from exceed.feedback.models import Response
from exceed.org.models import Person
from exceed.recovery.models import TillVisit
from tests.recovery.factories import staff_case

BIG = str(2**63)
NUL = "a\x00b"


def _post(api, path, body):
    return api.post(path, body)


def test_a_nul_in_a_response_comment_is_a_422_naming_the_answer(cast, api_as):
    """Reproducer: POST /api/v1/responses {"answers": {"difference": "a\\u0000b", ...}} was a 500
    (DataError) on PostgreSQL and stored the NUL on SQLite."""
    answer = api_as("owner").post(
        "/responses", {"location": "cph", "answers": {"return": 9, "expectation": "met", "difference": NUL}}
    )
    assert answer.status_code == 422, answer.content
    assert answer.json()["field"] == "answers.difference"
    assert "NUL" in answer.json()["detail"]
    assert not Response.objects.exists()


@pytest.mark.parametrize(
    "body, field",
    [
        ({"transaction_ref": NUL}, "transaction_ref"),
        ({"external_id": NUL}, "external_id"),
        ({"location": NUL}, "location"),
        ({"contact": {"email": NUL, "phone": ""}}, "contact.email"),
        ({"answers": {"return": 9, "expectation": "met", NUL: 1}}, "answers.a\\u0000b"),
    ],
)
def test_a_nul_anywhere_in_a_json_body_is_a_422_naming_where(cast, api_as, body, field):
    payload = {"location": "cph", "answers": {"return": 9, "expectation": "met"}, **body}
    answer = api_as("owner").post("/responses", payload)
    assert (answer.status_code, answer.json()["field"]) == (422, field)


@pytest.mark.parametrize(
    "path, params, field",
    [
        ("/responses", {"location": NUL}, "location"),
        ("/responses", {"cursor": NUL}, "cursor"),
        ("/measures", {"group_by": NUL}, "group_by"),
        ("/people", {"location": NUL}, "location"),
        ("/cases", {"status": NUL}, "status"),
        ("/recovery/measures", {"location": NUL}, "location"),
    ],
)
def test_a_nul_in_a_query_parameter_is_a_422_naming_it(cast, api_as, path, params, field):
    """Reproducer: GET /api/v1/cases?status=%00 was a 500 (DataError) on PostgreSQL."""
    answer = api_as("owner").get(path, **params)
    assert (answer.status_code, answer.json()["field"]) == (422, field)


@pytest.mark.parametrize("path", ["/locations/a%00b", "/surveys/a%00b"])
def test_a_nul_in_a_path_is_not_a_500(cast, api_as, path):
    answer = api_as("owner").get(path)
    assert answer.status_code in (404, 422)


@pytest.mark.parametrize(
    "path, params, field",
    [
        ("/cases", {"offset": BIG}, "offset"),
        ("/responses", {"person": BIG}, "person"),
        ("/measures", {"person": BIG}, "person"),
    ],
)
def test_an_integer_past_bigint_in_a_query_is_a_422_naming_it(cast, api_as, path, params, field):
    """Reproducer: GET /api/v1/cases?offset=9223372036854775808 was a 500 on PostgreSQL."""
    answer = api_as("owner").get(path, **params)
    assert (answer.status_code, answer.json()["field"]) == (422, field)


def test_a_person_id_past_bigint_in_a_response_is_a_422_naming_people(cast, api_as):
    """Reproducer: POST /api/v1/responses {"people": [9223372036854775808], ...} was a 500."""
    answer = api_as("owner").post(
        "/responses", {"location": "cph", "people": [2**63], "answers": {"return": 9, "expectation": "met"}}
    )
    assert (answer.status_code, answer.json()["field"]) == (422, "people.0")


def test_an_invitation_for_a_person_id_past_bigint_is_a_422(cast, api_as):
    answer = api_as("owner").post("/invitations", {"email": "k@example.com", "location": "cph", "person": 2**63})
    assert (answer.status_code, answer.json()["field"]) == (422, "person")


def test_a_response_dated_year_1_is_refused_in_words(cast, api_as):
    """Reproducer: POST /api/v1/responses {"submitted_at": "0001-01-01T00:00:00Z", ...} was stored."""
    answer = api_as("owner").post(
        "/responses",
        {"location": "cph", "submitted_at": "0001-01-01T00:00:00Z", "answers": {"return": 9, "expectation": "met"}},
    )
    assert (answer.status_code, answer.json()["field"]) == (422, "submitted_at")
    assert "2000-01-01" in answer.json()["detail"]
    assert not Response.objects.exists()


@pytest.mark.parametrize("params", [{"date_from": "0001-01-01"}, {"date_to": "9999-12-31"}])
@pytest.mark.parametrize("path", ["/responses", "/measures", "/cases", "/recovery/measures"])
def test_filter_dates_outside_the_bounds_are_a_422_naming_them(cast, api_as, path, params):
    answer = api_as("owner").get(path, **params)
    assert (answer.status_code, answer.json()["field"]) == (422, next(iter(params)))


@pytest.mark.parametrize("path", ["/measures", "/cases", "/recovery/measures"])
def test_a_period_longer_than_five_years_is_a_4xx_naming_its_start(cast, api_as, path):
    answer = api_as("owner").get(path, date_from="2001-01-01", date_to="2020-12-31")
    assert (answer.status_code, answer.json()["field"]) == (422, "date_from")


def _visit(**fields):
    return {
        "external_id": "TILL-9",
        "location": "cph",
        "visited_at": "2025-03-01T12:00:00Z",
        "customer_ref": "C",
        **fields,
    }


def test_a_visit_dated_in_2031_is_refused(cast, api_as):
    """Reproducer: POST /api/v1/visits {"visited_at": "2031-01-01T12:00:00Z", ...} was stored."""
    later = (timezone.now() + timedelta(days=5 * 365)).isoformat()
    answer = api_as("manager").post("/visits", _visit(visited_at=later))
    assert (answer.status_code, answer.json()["field"]) == (400, "visited_at")
    assert not TillVisit.objects.exists()


@pytest.mark.parametrize("field", ["external_id", "customer_ref", "served_by"])
def test_control_characters_in_a_visits_codes_are_refused(cast, api_as, field):
    """Reproducer: POST /api/v1/visits {"external_id": "TILL\\t9\\u0007", ...} stored the tab and bell."""
    answer = api_as("manager").post("/visits", _visit(**{field: "TILL\t9\x07"}))
    assert (answer.status_code, answer.json()["field"]) == (422, field)
    assert not TillVisit.objects.exists()


def test_a_control_character_in_an_employee_number_is_refused(cast, api_as):
    answer = api_as("owner").post("/people", {"name": "Ida", "locations": ["cph"], "external_ref": "E\x1b42"})
    assert (answer.status_code, answer.json()["field"]) == (422, "external_ref")
    assert not Person.objects.filter(name="Ida").exists()


def test_an_unknown_employee_number_for_a_visit_is_a_400_like_an_unknown_location(cast, api_as):
    """Reproducer: POST /api/v1/visits answered 400 for an unknown location code but 422 for an
    unknown employee number in served_by."""
    unknown_location = api_as("manager").post("/visits", _visit(location="nowhere"))
    unknown_person = api_as("manager").post("/visits", _visit(served_by="E-404"))
    assert (unknown_location.status_code, unknown_person.status_code) == (400, 400)
    assert unknown_person.json()["field"] == "served_by"


@pytest.mark.parametrize(
    "stamp, pk",
    [("2026-01-01T00:00:00+00:00", 2**70), ("0001-01-01T00:00:00+00:00", 1), ("9999-12-31T23:59:59+00:00", -(2**70))],
)
def test_a_forged_cursor_with_extreme_values_is_not_a_500(cast, api_as, stamp, pk):
    forged = cursor_encode(datetime.fromisoformat(stamp), pk)
    answer = api_as("owner").get("/responses", cursor=forged)
    assert answer.status_code in (200, 400)


@pytest.mark.parametrize(
    "language, expected",
    [
        ("en", "Ensure this value is less than or equal to 9223372036854775807."),
        ("fi", "Tämän arvon on oltava enintään 9223372036854775807."),
    ],
)
def test_a_number_out_of_bounds_is_explained_in_the_callers_language(cast, api_as, client, language, expected):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    answer = api_as("owner").get("/responses", person=BIG)
    assert answer.json()["detail"] == f"person: {expected}"


def test_a_text_too_long_is_explained_in_the_callers_language(cast, api_as, client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "da"
    answer = api_as("owner").post("/responses", {"location": "cph", "transaction_ref": "x" * 121, "answers": {}})
    assert answer.status_code == 422
    assert answer.json()["field"] == "transaction_ref"
    assert answer.json()["detail"] == "transaction_ref: For lang: højst 120 tegn."


def test_an_unknown_person_on_a_case_step_is_a_400_like_every_unknown_reference(cast, api_as):
    case = staff_case(cast)
    answer = api_as("manager").post(f"/cases/{case.pk}/steps", {"kind": "acknowledge", "done_by": 999999})
    assert (answer.status_code, answer.json()["field"]) == (400, "done_by")
