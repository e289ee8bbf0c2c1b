import pytest

from exceed.api.models import ApiToken
from tests.api.conftest import ApiClient


def test_the_openapi_schema_is_public_and_lists_the_routes(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in ["/api/v1/locations", "/api/v1/people", "/api/v1/responses", "/api/v1/measures", "/api/v1/invitations"]:
        assert path in paths


def test_the_interactive_docs_page_renders_where_turned_on(client, settings):
    settings.EXCEED_API_DOCS = True
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert b"openapi.json" in response.content
    # A self-hosted install may have no internet: the Swagger UI comes from our own static files.
    assert b"cdn.jsdelivr" not in response.content


def test_the_interactive_docs_page_is_off_unless_turned_on(client, cast, settings):
    """Reproducer (issue 7, item 9): GET /api/v1/docs showed every anonymous visitor of a
    production site a console for its API."""
    settings.EXCEED_API_DOCS = False
    assert client.get("/api/v1/docs").status_code == 404
    client.force_login(cast.owner)
    assert client.get("/api/v1/docs").status_code == 404
    # Integrators' tools still read the schema.
    assert client.get("/api/v1/openapi.json").status_code == 200


@pytest.mark.parametrize("path", ["/locations", "/people", "/touchpoints", "/surveys", "/responses", "/measures"])
def test_a_request_without_a_token_gets_401_json(client, path):
    response = ApiClient(client, None).get(path)
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert "token" in response.json()["detail"]


def test_an_unknown_token_gets_401_json(client, cast):
    response = ApiClient(client, "exc_not-a-real-key").get("/locations")
    assert response.status_code == 401
    assert response.json()["detail"]


def test_a_revoked_token_gets_401(client, cast):
    token, key = ApiToken.issue(user=cast.owner)
    assert ApiClient(client, key).get("/locations").status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(revoked=True)
    assert ApiClient(client, key).get("/locations").status_code == 401


def test_the_token_of_a_deactivated_user_gets_401(client, cast):
    _token, key = ApiToken.issue(user=cast.owner)
    cast.owner.is_active = False
    cast.owner.save()
    assert ApiClient(client, key).get("/locations").status_code == 401


def test_a_post_without_a_token_stores_nothing(client, cast):
    from exceed.feedback.models import Response

    response = ApiClient(client, None).post(
        "/responses", {"location": "cph", "answers": {"return": 9, "expectation": "met"}}
    )
    assert response.status_code == 401
    assert Response.objects.count() == 0


def test_a_malformed_json_body_gets_a_400_json_error(client, cast, api_as):
    caller = api_as("owner")
    response = caller.client.post(
        "/api/v1/responses", "{not json", content_type="application/json", headers=caller.headers
    )
    assert response.status_code == 400
    assert response.json()["detail"]


def test_a_tokens_last_use_is_stamped_once_a_minute_at_most(client, cast):
    from datetime import timedelta

    from django.utils import timezone

    token, key = ApiToken.issue(user=cast.owner)
    ApiClient(client, key).get("/locations")
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first is not None and timezone.now() - first < timedelta(seconds=5)
    ApiClient(client, key).get("/locations")
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(seconds=61))
    ApiClient(client, key).get("/locations")
    assert ApiToken.objects.get(pk=token.pk).last_used_at > first


def test_a_token_carries_its_users_role_and_a_user_without_one_sees_nothing(client, cast):
    from django.contrib.auth.models import User

    _token, key = ApiToken.issue(user=cast.manager)
    codes = [row["code"] for row in ApiClient(client, key).get("/locations").json()]
    assert codes == ["cph"]
    nobody = User.objects.create_user(username="no-role", password="x-password-1")
    _token, key = ApiToken.issue(user=nobody)
    assert ApiClient(client, key).get("/locations").json() == []


def test_every_operation_lists_each_error_status_in_the_one_error_shape(client):
    """Issue 6, item 1: 400, 401, 403, 404, 405, 409, 413 and 422 documented alike on every operation."""
    schema = client.get("/api/v1/openapi.json").json()
    # ``id`` only on a 409 for a repeated external id (issue 7, item 10).
    assert schema["components"]["schemas"]["Error"]["properties"].keys() == {"detail", "field", "id"}
    assert schema["components"]["schemas"]["Error"]["required"] == ["detail"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for status in ("400", "403", "404", "405", "409", "413", "422"):
                content = operation["responses"][status]["content"]["application/json"]
                assert content["schema"] == {"$ref": "#/components/schemas/Error"}, (path, method, status)
                assert "detail" in content["example"], (path, method, status)


@pytest.mark.django_db
def test_unknown_path_wrong_method_and_missing_token_answer_in_the_one_error_shape(client):
    missing = client.get("/api/v1/locations")
    assert missing.status_code == 401
    assert set(missing.json()) == {"detail", "field"}
    wrong_method = client.delete("/api/v1/health")
    assert wrong_method.status_code == 405
    assert wrong_method.json()["field"] is None
