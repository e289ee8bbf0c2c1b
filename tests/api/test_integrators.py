"""What an integrator relies on (issue 7, item 10): one response by id, finding a till's own
responses, the stored id on a repeated external id, and unknown query parameters refused."""

import pytest

RESPONSE = {"survey": "visit", "location": "cph", "answers": {"return": 9, "expectation": "met"}}


def _store(api, **fields):
    answer = api.post("/responses", {**RESPONSE, **fields})
    assert answer.status_code == 201, answer.content
    return answer.json()


def test_one_response_is_read_by_its_id(cast, api_as):
    stored = _store(api_as("owner"), external_id="till-7", transaction_ref="R-1")
    answer = api_as("manager").get(f"/responses/{stored['id']}")
    assert answer.status_code == 200 and answer.json() == stored


def test_a_response_outside_the_scope_is_not_found_by_id(cast, api_as):
    """Reproducer: GET /api/v1/responses/{id} did not exist; it must not reveal Paris to Copenhagen."""
    stored = _store(api_as("owner"), location="par")
    assert api_as("manager").get(f"/responses/{stored['id']}").status_code == 404
    assert api_as("owner").get(f"/responses/{stored['id']}").status_code == 200
    assert api_as("owner").get("/responses/999999").status_code == 404


def test_the_list_filters_by_external_id_and_transaction_ref(cast, api_as):
    owner = api_as("owner")
    first = _store(owner, external_id="till-1", transaction_ref="R-100")
    second = _store(owner, external_id="till-2", transaction_ref="R-100")
    _store(owner, external_id="till-3", transaction_ref="R-200")
    assert [item["id"] for item in owner.get("/responses", external_id="till-1").json()["items"]] == [first["id"]]
    assert {item["id"] for item in owner.get("/responses", transaction_ref="R-100").json()["items"]} == {
        first["id"],
        second["id"],
    }
    assert owner.get("/responses", external_id="till-2", transaction_ref="R-200").json()["items"] == []


def test_a_repeated_external_id_answers_409_with_the_stored_responses_id(cast, api_as):
    """Reproducer: a till retrying after a lost answer got 409 without the id of what was stored."""
    stored = _store(api_as("owner"), external_id="till-9")
    answer = api_as("manager").post("/responses", {**RESPONSE, "external_id": "till-9"})
    assert answer.status_code == 409
    assert answer.json() == {"detail": answer.json()["detail"], "field": "external_id", "id": stored["id"]}


def test_a_repeated_external_id_from_outside_the_scope_does_not_reveal_the_id(cast, api_as):
    _store(api_as("owner"), location="par", external_id="till-paris")
    answer = api_as("manager").post("/responses", {**RESPONSE, "external_id": "till-paris"})
    assert answer.status_code == 409 and "id" not in answer.json()


@pytest.mark.parametrize(
    "path, params",
    [
        ("/responses", {"locaton": "cph"}),
        ("/measures", {"group_by": "location", "limit": "5"}),
        ("/cases", {"stauts": "open"}),
        ("/webhooks", {"page": "2"}),
        ("/locations", {"q": "x"}),
    ],
)
def test_an_unknown_query_parameter_is_a_400_naming_it(cast, api_as, path, params):
    """Reproducer: GET /api/v1/responses?locaton=cph answered every location's responses."""
    answer = api_as("owner").get(path, **params)
    unknown = [name for name in params if name not in ("group_by",)][0]
    assert (answer.status_code, answer.json()["field"]) == (400, unknown)
    assert unknown in answer.json()["detail"]


def test_declared_query_parameters_still_work(cast, api_as):
    answer = api_as("owner").get("/responses", location="cph", limit="5", date_from="2026-01-01")
    assert answer.status_code == 200


def test_the_openapi_documents_the_409_with_the_stored_id_and_examples(client):
    schema = client.get("/api/v1/openapi.json").json()
    conflict = schema["paths"]["/api/v1/responses"]["post"]["responses"]["409"]["content"]["application/json"]
    assert conflict["example"]["field"] == "external_id" and "id" in conflict["example"]
    assert "id" in schema["components"]["schemas"]["Error"]["properties"]
    detail = schema["paths"]["/api/v1/responses/{response_id}"]["get"]["responses"]
    assert {"200", "400", "401", "403", "404", "422"} <= set(detail)


def test_an_unknown_query_parameter_without_a_token_is_a_401_not_a_description_of_the_operation(cast, client):
    answer = client.get("/api/v1/responses", {"locaton": "cph"})
    assert answer.status_code == 401
    assert "locaton" not in answer.content.decode()
