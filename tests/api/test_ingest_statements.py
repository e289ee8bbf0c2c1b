"""What one posted response costs in SQL statements: a budget, not a timing (issue 11, item 4).

A change that adds a statement to every till's submission, or a write transaction after it,
fails here instead of showing up only as a slower benchmark. The budgets count the statements
that read or write data; transaction control (BEGIN, COMMIT, savepoints) is counted apart.
They run as transactional tests, so what runs after the response's commit (its signals) runs
for real and is counted too.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from exceed.core.lookups import rows_by_keys
from exceed.feedback.models import Response, Survey
from exceed.org.models import Location, Touchpoint

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Answers that can match no recovery rule: no evaluation task is queued after the commit, whose
# half-second window would otherwise make the count depend on how fast the test runs.
BODY = {
    "survey": "visit",
    "location": "cph",
    "touchpoint": "in-store",
    "answers": {"return": 10, "expectation": "exceeded", "difference": "Quick and friendly"},
}
_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


def _statements(post) -> tuple[list[str], list[str]]:
    """(data statements, transaction-control statements) of one call."""
    with CaptureQueriesContext(connection) as queries:
        response = post()
    assert response.status_code in (201, 302), response.content[:300]
    captured = [query["sql"] for query in queries.captured_queries]
    data = [sql for sql in captured if not sql.upper().startswith(_CONTROL)]
    return data, [sql for sql in captured if sql.upper().startswith(_CONTROL)]


def _listing(statements: list[str]) -> str:
    return "\n".join(sql[:160] for sql in statements)


def test_a_posted_response_costs_at_most_eight_statements(cast, api_as):
    """Token; location, survey and touchpoint in one; the survey's questions (the cache's check);
    the response, its answers, its rollup, its pending evaluation; the webhook subscriptions.
    Before issue 11 it was 13, and 16 with a second write transaction on SQLite."""
    api = api_as("owner")
    api.post("/responses", BODY)  # the survey's questions cached in this process
    data, _control = _statements(lambda: api.post("/responses", BODY))
    assert len(data) <= 8, _listing(data)


def test_naming_a_person_adds_two_statements_their_check_and_their_link(cast, api_as):
    api = api_as("owner")
    api.post("/responses", BODY)
    named = {**BODY, "answers": {**BODY["answers"], "served_by": [cast.anders.pk]}}
    data, _control = _statements(lambda: api.post("/responses", named))
    assert len(data) <= 10, _listing(data)


def test_a_posted_response_opens_one_write_transaction_when_nobody_subscribed_to_webhooks(cast, api_as):
    """On SQLite every write transaction takes the database's one write lock (BEGIN IMMEDIATE):
    the webhook receiver used to take it a second time, after the commit, only to find that
    nobody subscribed."""
    api = api_as("owner")
    api.post("/responses", BODY)
    _data, control = _statements(lambda: api.post("/responses", BODY))
    begins = [sql for sql in control if sql.upper().startswith(("BEGIN", "SAVEPOINT"))]
    if connection.vendor == "sqlite":
        assert begins == ["BEGIN IMMEDIATE"], _listing(control)
    else:
        assert len(begins) <= 1, _listing(control)  # psycopg's BEGIN is implicit and not logged
    assert Response.objects.count() == 2


def test_the_public_form_post_costs_at_most_eight_statements(cast, client):
    """The link's channel with its survey and location; the throttle's count; the questions;
    the response, its answers, its rollup, its pending evaluation; the webhook subscriptions."""
    link = f"/s/{cast.cph_link.slug}/"
    answer = {"q_return": "10", "q_expectation": "exceeded"}
    client.post(link, answer)
    data, _control = _statements(lambda: client.post(link, answer))
    assert len(data) <= 8, _listing(data)


def test_the_rows_read_by_their_keys_in_one_statement_equal_the_orms(cast):
    location, survey, touchpoint, nothing, unknown = rows_by_keys(
        (Location, "code", "par"),
        (Survey, "slug", "visit"),
        (Touchpoint, "code", "in-store"),
        (Touchpoint, "code", None),
        (Location, "code", "nowhere"),
    )
    expected = Survey.objects.get(slug="visit")
    assert [getattr(survey, field.attname) for field in Survey._meta.concrete_fields] == [
        getattr(expected, field.attname) for field in Survey._meta.concrete_fields
    ]
    assert isinstance(survey.title, dict) and survey.title["en"]  # JSON decoded, as the ORM does
    assert (location.pk, location.timezone, location.default_language) == (cast.par.pk, "Europe/Paris", "fr")
    assert touchpoint == cast.in_store and nothing is None and unknown is None


def test_an_edited_survey_is_seen_by_the_next_posted_response(cast, api_as):
    """The rows are read on every call, not kept: closing the survey refuses the next answer."""
    api = api_as("owner")
    assert api.post("/responses", BODY).status_code == 201
    Survey.objects.filter(slug="visit").update(active=False)
    refused = api.post("/responses", BODY)
    assert refused.status_code == 400 and refused.json()["field"] == "survey"


def test_on_postgresql_a_response_is_written_in_one_statement(cast, api_as):
    """The response, its answers, the person named, its pending evaluation and its rollup rows in
    one statement: on PostgreSQL every statement is a round trip (and BEGIN and COMMIT two more)."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs in the process: a statement costs no round trip")
    api = api_as("owner")
    api.post("/responses", BODY)
    named = {**BODY, "answers": {**BODY["answers"], "served_by": [cast.anders.pk]}}
    data, control = _statements(lambda: api.post("/responses", named))
    writes = [sql for sql in data if not sql.upper().startswith("SELECT")]
    assert len(writes) == 1, _listing(writes)
    assert not control, _listing(control)  # the one statement is its own transaction
    assert len(data) <= 6, _listing(data)
    stored = Response.objects.latest("pk")
    assert list(stored.people.values_list("pk", flat=True)) == [cast.anders.pk]
    assert sorted(stored.answers.values_list("question__code", flat=True)) == [
        "difference",
        "expectation",
        "return",
        "served_by",
    ]
    assert stored.answers.get(question__code="served_by").choices == [str(cast.anders.pk)]
