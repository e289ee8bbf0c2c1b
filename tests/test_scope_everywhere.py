"""Every URL pattern and API route, asked by every role, leaks nothing outside that role's scope.

The test enumerates the resolver, so a new page or API route is checked the day it is added. The
objects outside the scope come from each app's ``tests/<app>/scope_objects.py`` (tests/scope.py):
a route with a path parameter that no app gives a value for fails until its app says which object
outside the scope it should point at.
"""

import importlib
import re

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

from exceed.api.models import ApiToken
from tests.insights.pdf_text import pdf_text
from tests.scope import OutsideScope

# Pages meant for anyone: respondents' survey pages (tested in tests/feedback), sign-in, the API's
# own description. A kiosk and its unlock form are walked (with a Paris tablet): a staff sign-in
# must never open another store's kiosk.
PUBLIC = {
    "feedback:link",
    "feedback:thanks",
    "feedback:invitation",
    "login",
    "mystery:signin_password",
    "mystery:signin_link_request",
    "logout",
    "set_language",
    "api:openapi-json",
    "api:openapi-view",
    "api:health",
    "api:api-root",
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


def _scope_object_modules():
    """Each app's ``tests/<app>/scope_objects.py``, in the order of INSTALLED_APPS (lower apps first)."""
    for config in apps.get_app_configs():
        if config.name.startswith("exceed."):
            try:
                yield importlib.import_module(f"tests.{config.label}.scope_objects")
            except ModuleNotFoundError:
                continue


@pytest.fixture
def paris(cast, django_capture_on_commit_callbacks):
    """Every app's objects at Paris that no one but the owner may see, merged."""
    found, merged = {}, OutsideScope()
    with django_capture_on_commit_callbacks(execute=True):  # recovery reacts to answers on commit
        for module in _scope_object_modules():
            with django_capture_on_commit_callbacks(execute=True):
                part = module.outside_scope(cast, found)
            found.update(part.objects)
            merged.values.update(part.values)
            for prefix, values in part.prefixed.items():
                merged.prefixed.setdefault(prefix, {}).update(values)
            merged.markers += part.markers
            merged.colleague_markers += part.colleague_markers
            merged.unchanged += part.unchanged
    merged.objects = found
    return merged


def _param_values(paris: OutsideScope, route: str) -> dict:
    values = dict(paris.values)
    for prefix, overrides in paris.prefixed.items():
        if route.startswith(prefix):
            values.update(overrides)
    return values


def _url(route: str, values: dict) -> str:
    def fill(match):
        name = match.group(2)
        if name not in values:
            raise AssertionError(
                f"The scope test needs a value for <{name}> in {route!r}: add one pointing outside the scope."
            )
        return str(values[name])

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", fill, route)


def _client_for(role, cast, client):
    headers = {}
    if role != "anonymous":
        user = cast.roles[role]
        client.force_login(user)
        headers["HTTP_AUTHORIZATION"] = "Bearer " + ApiToken.issue(user=user)[1]
    return headers


def _forbidden_markers(role, paris: OutsideScope):
    markers = list(paris.markers)
    if role in ("associate", "shopper", "outsider", "anonymous"):
        markers += paris.colleague_markers
    return markers


@pytest.mark.parametrize("role", OUTSIDERS_OF_PARIS)
def test_no_route_shows_or_changes_anything_outside_the_roles_scope(role, cast, paris, client):
    headers = _client_for(role, cast, client)
    markers = _forbidden_markers(role, paris)
    checked = 0
    for route, name in _routes():
        url = _url(route, _param_values(paris, route))
        for method in ("get", "post"):
            if method == "post" and route.startswith("api/"):
                answer = client.post(url, data="{}", content_type="application/json", **headers)
            else:
                answer = getattr(client, method)(url, **headers)
            body = (
                answer.content.decode(errors="replace")
                if not getattr(answer, "streaming", False)
                else b"".join(answer.streaming_content).decode(errors="replace")
            )
            if answer.get("Content-Type") == "application/pdf":
                body = pdf_text(answer.content)  # glyph numbers in compressed streams otherwise
            if answer.status_code < 300:
                leaked = [marker for marker in markers if marker in body]
                assert not leaked, f"{role} {method.upper()} {url} ({name}) shows {leaked}"
            assert answer.status_code != 500, f"{role} {method.upper()} {url} failed with 500"
            checked += 1
    assert checked > 60

    # Nothing outside the scope changed: each app checks its own objects.
    for check in paris.unchanged:
        check()


def test_the_owner_does_see_paris_so_the_check_above_can_fail(cast, paris, client):
    from tests.feedback.scope_objects import PARIS_MARKER

    headers = _client_for("owner", cast, client)
    assert (
        PARIS_MARKER in client.get("/responses/").content.decode()
        or PARIS_MARKER in client.get("/dashboard/").content.decode()
    )
    assert PARIS_MARKER in client.get("/api/v1/responses", **headers).content.decode()
    assert "Claire Martin" in client.get("/api/v1/people", **headers).content.decode()
