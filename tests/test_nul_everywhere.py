"""Issue 7, item 4: a NUL in any query parameter of any page, or in any posted form field, and an
id past bigint in any page's address, is never a 500 (PostgreSQL refuses NUL in text where
SQLite stores it).

Like tests/test_scope_everywhere.py it enumerates the resolver, so a new page is checked the day
it is added; a page with path parameters is asked with the owner's own objects."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

NUL = "a\x00b"
# Every parameter name a page or form of ours reads, and a few it does not.
PARAMS = [
    "date_from",
    "date_to",
    "period",
    "region",
    "location",
    "touchpoint",
    "person",
    "channel",
    "language",
    "outcome",
    "sort",
    "page",
    "status",
    "category",
    "overdue",
    "group_by",
    "edit",
    "lang",
    "key",
    "next",
    "q",
    "kind",
    "name",
    "survey",
    "summary",
    "note",
    "reason",
    "code",
    "form",
    "email",
    "contact_email",
    "contact_phone",
    "q_return",
    "q_expectation",
    "q_difference",
    "done_by",
    "gesture_given",
    "severity",
    "source",
]


def _routes():
    def walk(patterns, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace in ("admin", "api"):
                    continue
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern)

    return sorted(set(walk(get_resolver().url_patterns, "")))


def _path(route: str, cast) -> str:
    from exceed.recovery.models import RecoveryCase
    from tests.recovery.factories import staff_case

    case = RecoveryCase.objects.first() or staff_case(cast)
    values = {
        "<slug:slug>": cast.cph_link.slug if route.startswith(("s/", "k/", "channels/")) else cast.survey.slug,
        "<int:pk>": str(case.pk),
        "<str:token>": "x",
        "<slug:kind>": "acknowledge",
        "<str:kind>": "svg",
        "<int:question_id>": str(cast.survey.questions.first().pk),
    }
    for key, value in values.items():
        route = route.replace(key, value)
    return "/" + route


@pytest.mark.parametrize("method", ["get", "post"])
def test_no_page_answers_a_nul_with_a_server_error(cast, client, method):
    client.force_login(cast.owner)
    # Collect every failing page rather than stopping at the first exception.
    client.raise_request_exception = False
    failures = []
    for route in _routes():
        path = _path(route, cast)
        if "<" in path or "i18n" in path or "logout" in path:
            continue
        data = {name: NUL for name in PARAMS}
        answer = getattr(client, method)(path, data)
        if answer.status_code >= 500:
            failures.append(f"{method.upper()} {path}: {answer.status_code}")
    assert failures == []


@pytest.mark.parametrize("edit", ["abc", NUL, str(2**63)])
def test_editing_a_rule_that_cannot_exist_is_not_found(cast, client, edit):
    """Reproducer: GET /recovery/rules/?edit=abc was a 500 (ValueError)."""
    client.force_login(cast.owner)
    assert client.get("/recovery/rules/", {"edit": edit}).status_code == 404


@pytest.mark.parametrize("method", ["get", "post"])
def test_no_page_answers_an_id_past_bigint_with_a_server_error(cast, client, method):
    client.force_login(cast.owner)
    client.raise_request_exception = False
    failures = []
    for route in _routes():
        if "<int:" not in route:
            continue
        path = _path(route.replace("<int:pk>", str(2**63)).replace("<int:question_id>", str(2**64)), cast)
        answer = getattr(client, method)(path)
        if answer.status_code >= 500:
            failures.append(f"{method.upper()} {path}: {answer.status_code}")
    assert failures == []
