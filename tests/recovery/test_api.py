"""The cases API answers bad input as the rest of the API does (exceed.org.lookups)."""

import json

import pytest

from exceed.api.models import ApiToken
from tests.recovery.factories import staff_case


@pytest.fixture
def call(cast, client):
    _token, key = ApiToken.issue(user=cast.owner)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}

    def send(method, path, body=None):
        if method == "get":
            return client.get(f"/api/v1{path}", **headers)
        return client.post(f"/api/v1{path}", json.dumps(body or {}), content_type="application/json", **headers)

    return send


def test_a_negative_offset_lists_from_the_first_case(cast, call):
    staff_case(cast, summary="Only case")
    answer = call("get", "/cases?offset=-1")
    assert answer.status_code == 200 and [case["summary"] for case in answer.json()] == ["Only case"]


@pytest.mark.parametrize(
    "change, field",
    [
        ({"location": "nowhere"}, "location"),
        ({"category": "nothing"}, "category"),
        ({"touchpoint": "nope"}, "touchpoint"),
    ],
)
def test_an_unknown_code_when_opening_a_case_is_a_400_naming_the_field(cast, call, change, field):
    answer = call("post", "/cases", {"location": "cph", "category": "wait", "summary": "Queue", **change})
    assert (answer.status_code, answer.json()["field"]) == (400, field)


def test_an_unknown_survey_in_a_rule_is_a_400_naming_the_field(cast, call):
    answer = call("post", "/recovery-rules", {"csat_at_most": 2, "survey": "nope"})
    assert (answer.status_code, answer.json()["field"]) == (400, "survey")


def test_an_unknown_location_filter_is_a_400(cast, call):
    assert call("get", "/cases?location=nowhere").status_code == 400


def test_steps_in_the_api_say_their_round(cast, call):
    case = staff_case(cast)
    steps = call("get", f"/cases/{case.pk}").json()["steps"]
    assert {step["round"] for step in steps} == {1} and len(steps) == 5


def test_recovery_measures_name_locations_and_regions_by_code_as_measures_does(cast, call):
    """Reproducer: /recovery/measures?group_by=location answered database ids where /measures answers codes."""
    staff_case(cast)
    staff_case(cast, location=cast.par)
    body = call("get", "/recovery/measures?group_by=region,location").json()
    groups = sorted(
        (row["group"]["region"], row["group"]["location"], row["group"]["location_label"]) for row in body["results"]
    )
    assert groups == [("north", "cph", "Copenhagen"), ("south", "par", "Paris")]
    assert call("get", "/recovery/measures?location=par").json()["results"][0]["failures"] == 1


def test_the_openapi_describes_the_recovery_measures_and_the_case_outcome(client):
    schema = client.get("/api/v1/openapi.json").json()
    answer = schema["paths"]["/api/v1/recovery/measures"]["get"]["responses"]["200"]["content"]["application/json"][
        "schema"
    ]
    assert answer["$ref"].endswith("/RecoveryMeasuresOut")
    outcome = schema["components"]["schemas"]["CaseOutcomeOut"]["properties"]
    assert {"distributive", "procedural", "interactional", "impressed_text"} <= set(outcome)
