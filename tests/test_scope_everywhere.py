"""Every URL pattern and API route, asked by every role, leaks nothing outside that role's scope.

The test enumerates the resolver, so a new page or API route is checked the day it is added; a
route with a path parameter this file does not know fails until someone says which object outside
the scope it should point at.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from exceed.api.models import ApiToken
from exceed.feedback.services import response_submit

PARIS_MARKER = "PARIS-ONLY-7731"
COLLEAGUE_MARKER = "BIRGITTE-ONLY-4410"

# Pages meant for anyone: respondents' survey pages (tested in tests/feedback), sign-in, the API's
# own description.
PUBLIC = {
    "feedback:link", "feedback:thanks", "feedback:kiosk", "feedback:invitation", "login", "logout",
    "set_language", "api:openapi-json", "api:openapi-view", "api:health", "api:api-root",
}
# Who must not see Paris (South region): everyone but the owner.
OUTSIDERS_OF_PARIS = ["regional", "manager", "associate", "shopper", "outsider", "anonymous"]


def _routes():
    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern):
                name = f"{namespace}:{pattern.name}" if namespace else (pattern.name or "")
                yield prefix + str(pattern.pattern), name

    seen = set()
    for route, name in walk(get_resolver().url_patterns, "", None):
        if name not in PUBLIC and route not in seen and route:
            seen.add(route)
            yield route, name


@pytest.fixture
def paris(cast, django_capture_on_commit_callbacks):
    """Data at Paris that no one but the owner may see, and a colleague's answer in Copenhagen."""
    outside = {}
    with django_capture_on_commit_callbacks(execute=True):
        outside["response"] = response_submit(
            survey=cast.survey, location=cast.par, language="fr", channel_kind="link", touchpoint=cast.in_store,
            raw_answers={"return": 2, "expectation": "below", "difference": PARIS_MARKER, "contact": "yes", "served_by": [cast.claire.pk]},
            contact={"email": "client@example.fr"},
        )
    response_submit(
        survey=cast.survey, location=cast.cph, language="da", channel_kind="link",
        raw_answers={"return": 9, "expectation": "met", "difference": COLLEAGUE_MARKER, "served_by": [cast.birgitte.pk]},
    )
    from exceed.recovery.models import RecoveryCase
    from tests.recovery.factories import evaluate_pending

    # The worker's evaluation: the low, consenting Paris answer opens a recovery case (the default rule).
    evaluate_pending()
    outside["case"] = RecoveryCase.objects.get(location=cast.par)
    return outside


def _param_values(cast, paris, route: str) -> dict:
    case = paris["case"]
    values = {
        "code": cast.par.code,
        "person_id": cast.claire.pk,
        "case_id": case.pk,
        "question_id": cast.survey.questions.first().pk,
        "kind": "acknowledge" if route.startswith("recovery/") else "svg",
        "action": "up",
        "token": "x",
    }
    if route.startswith("channels/"):
        values["slug"] = cast.par_link.slug
    elif "surveys" in route:
        values["slug"] = cast.survey.slug
    if route.startswith("responses/"):
        values["pk"] = paris["response"].pk
    elif route.startswith("recovery/"):
        values["pk"] = case.pk
    return values


def _url(route: str, values: dict) -> str:
    import re

    def fill(match):
        name = match.group(2)
        if name not in values:
            raise AssertionError(f"The scope test needs a value for <{name}> in {route!r}: add one pointing outside the scope.")
        return str(values[name])

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", fill, route)


def _client_for(role, cast, client):
    headers = {}
    if role != "anonymous":
        user = cast.roles[role]
        client.force_login(user)
        headers["HTTP_AUTHORIZATION"] = "Bearer " + ApiToken.issue(user=user)[1]
    return headers


def _forbidden_markers(role, cast):
    markers = [PARIS_MARKER, "Claire Martin", "client@example.fr", cast.par_link.slug]
    if role in ("associate", "shopper", "outsider", "anonymous"):
        markers += [COLLEAGUE_MARKER, "Birgitte Lund"]
    return markers


@pytest.mark.parametrize("role", OUTSIDERS_OF_PARIS)
def test_no_route_shows_or_changes_anything_outside_the_roles_scope(role, cast, paris, client):
    headers = _client_for(role, cast, client)
    markers = _forbidden_markers(role, cast)
    checked = 0
    for route, name in _routes():
        url = _url(route, _param_values(cast, paris, route))
        for method in ("get", "post"):
            if method == "post" and route.startswith("api/"):
                answer = client.post(url, data="{}", content_type="application/json", **headers)
            else:
                answer = getattr(client, method)(url, **headers)
            body = answer.content.decode(errors="replace") if not getattr(answer, "streaming", False) else b"".join(answer.streaming_content).decode(errors="replace")
            if answer.status_code < 300:
                leaked = [marker for marker in markers if marker in body]
                assert not leaked, f"{role} {method.upper()} {url} ({name}) shows {leaked}"
            assert answer.status_code != 500, f"{role} {method.upper()} {url} failed with 500"
            checked += 1
    assert checked > 60

    # Nothing outside the scope changed: Paris's answer and case are as they were.
    paris["response"].refresh_from_db()
    assert paris["response"].comment == PARIS_MARKER
    before = (paris["case"].status, paris["case"].steps.count())
    paris["case"].refresh_from_db()
    assert (paris["case"].status, paris["case"].steps.count()) == before


def test_the_owner_does_see_paris_so_the_check_above_can_fail(cast, paris, client):
    headers = _client_for("owner", cast, client)
    assert PARIS_MARKER in client.get("/responses/").content.decode() or PARIS_MARKER in client.get("/dashboard/").content.decode()
    assert PARIS_MARKER in client.get("/api/v1/responses", **headers).content.decode()
    assert "Claire Martin" in client.get("/api/v1/people", **headers).content.decode()
