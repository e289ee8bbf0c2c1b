"""Every API route, found from the OpenAPI schema, so a new route cannot escape these checks."""

import pytest

from exceed.api.main import api

PUBLIC = {"/api/v1/health"}


def operations():
    schema = api.get_openapi_schema()
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def test_every_route_but_health_requires_a_bearer_token():
    for path, method, operation in operations():
        if path in PUBLIC:
            continue
        assert operation.get("security") == [{"BearerToken": []}], f"{method.upper()} {path} is open"


def _holds_no_data(body) -> bool:
    """An empty list, a page whose lists are empty, or measure rows counting nothing."""
    if isinstance(body, list):
        return all(isinstance(row, dict) and row.get("responses") == 0 for row in body)
    if isinstance(body, dict):
        lists = [value for value in body.values() if isinstance(value, list)]
        return bool(lists) and all(value == [] for value in lists)
    return False


LIST_ROUTES = sorted(
    path.removeprefix("/api/v1")
    for path, method, _operation in operations()
    if method == "get" and "{" not in path and path not in PUBLIC
)


@pytest.mark.parametrize("role", ["shopper", "outsider"])
@pytest.mark.parametrize("path", LIST_ROUTES)
def test_a_login_without_staff_access_reads_nothing_from_any_list_route(cast, api_as, feedback, role, path):
    response = api_as(role).get(path)
    assert response.status_code in (200, 403)
    if response.status_code == 200:
        assert _holds_no_data(response.json()), f"{path} leaks to {role}: {response.json()}"


@pytest.mark.parametrize("role", ["shopper", "outsider"])
@pytest.mark.parametrize("path", ["/locations", "/people", "/responses", "/invitations"])
def test_a_login_without_staff_access_creates_nothing(cast, api_as, role, path):
    from exceed.feedback.models import Invitation, Response
    from exceed.org.models import Location, Person

    before = (Location.objects.count(), Person.objects.count(), Response.objects.count(), Invitation.objects.count())
    body = {
        "code": "x",
        "name": "X",
        "region": "north",
        "locations": ["cph"],
        "location": "cph",
        "email": "a@example.com",
        "answers": {"return": 9, "expectation": "met"},
    }
    assert api_as(role).post(path, body).status_code == 403
    assert (
        Location.objects.count(),
        Person.objects.count(),
        Response.objects.count(),
        Invitation.objects.count(),
    ) == before
