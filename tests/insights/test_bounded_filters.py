"""Issue 7, item 1: no query string may make the dashboard, the responses page or an export do
unbounded work. Dates lie from 2000-01-01 to a year ahead, a period spans at most five years, and
anything else is dropped or shortened with a message in the reader's language."""

import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from exceed.bounds import MAX_PERIOD_DAYS

DASHBOARD = reverse("insights:dashboard")


def test_a_range_from_year_1_to_9999_is_answered_at_once_with_a_message(feedback, login):
    """Reproducer: GET /dashboard/?date_from=0001-01-01&date_to=9999-12-20 as an associate kept a
    worker busy for 30 s (520,000 weekly trend buckets) until gunicorn killed it."""
    started = time.monotonic()
    page = login("associate").get(DASHBOARD, {"date_from": "0001-01-01", "date_to": "9999-12-20"})
    assert time.monotonic() - started < 5
    assert page.status_code == 200
    assert set(page.context["query"].errors) == {"date_from", "date_to"}
    assert len(page.context["trend"]["points"]) < 300
    assert "Choose a date from 2000-01-01" in page.content.decode()


def test_the_last_day_python_knows_is_a_message_not_a_500(feedback, login):
    """Reproducer: GET /dashboard/?date_from=2020-01-01&date_to=9999-12-31 was an OverflowError
    (a 500) in the trend's buckets."""
    page = login("owner").get(DASHBOARD, {"date_from": "2020-01-01", "date_to": "9999-12-31"})
    assert page.status_code == 200
    assert "date_to" in page.context["query"].errors


def test_a_period_longer_than_five_years_is_shortened_to_five_ending_where_asked(feedback, login):
    """Reproducer: GET /dashboard/?date_from=2000-01-01&date_to=<today> built a daily-or-weekly
    trend over 27 years."""
    today = timezone.localdate()
    page = login("owner").get(DASHBOARD, {"date_from": "2000-01-01", "date_to": today.isoformat()})
    query = page.context["query"]
    assert query.filters.date_to == today
    assert query.filters.date_from == today - timedelta(days=MAX_PERIOD_DAYS - 1)
    assert "date_from" in query.errors and "5" in query.errors["date_from"]
    # The figures of the last five years are still shown: every fixture response is recent.
    assert page.context["headline"]["responses"] == 5


def test_the_message_speaks_the_readers_language(feedback, login):
    page = login("owner").get(DASHBOARD, {"date_from": "0001-01-01"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert "Choisissez une date" in page.content.decode()


def test_a_date_that_is_not_a_date_is_named(feedback, login):
    page = login("owner").get(DASHBOARD, {"date_to": "31/12/2025"}, HTTP_ACCEPT_LANGUAGE="en")
    assert page.context["query"].errors == {"date_to": "Enter a valid date."}


def test_a_date_within_the_bounds_is_honoured_without_a_message(feedback, login):
    today = timezone.localdate()
    page = login("owner").get(
        DASHBOARD, {"date_from": (today - timedelta(days=10)).isoformat(), "date_to": today.isoformat()}
    )
    assert page.context["query"].errors == {}
    assert len(page.context["trend"]["points"]) == 11


@pytest.mark.parametrize(
    "name", ["insights:responses", "insights:export_csv", "insights:export_xlsx", "insights:dashboard_measures"]
)
def test_the_responses_page_and_the_exports_read_the_same_bounded_filter(feedback, login, name):
    """Reproducer: GET /responses/export.csv?date_from=0001-01-01&date_to=9999-12-31 read the
    same unchecked dates as the dashboard."""
    answer = login("owner").get(reverse(name), {"date_from": "0001-01-01", "date_to": "9999-12-31"})
    assert answer.status_code == 200
