"""The dashboard's headline against the previous period, and its breakdown rows' links to the
responses behind them (issue 8, item 7)."""

from datetime import date
from urllib.parse import parse_qs, urlparse

from django.urls import reverse
from django.utils import translation

from exceed.feedback.selectors import FeedbackFilter
from exceed.insights.selectors import previous_period
from tests.insights.conftest import _submit

DASHBOARD = reverse("insights:dashboard")


def test_the_previous_period_has_the_same_length_and_ends_the_day_before():
    earlier = previous_period(FeedbackFilter(date_from=date(2026, 11, 1), date_to=date(2026, 11, 30), location=4))
    assert (earlier.date_from, earlier.date_to, earlier.location) == (date(2026, 10, 2), date(2026, 10, 31), 4)


def test_all_time_has_no_previous_period():
    assert previous_period(FeedbackFilter()) is None
    assert previous_period(FeedbackFilter(date_from=date(2026, 11, 1))) is None


def test_the_last_7_days_compare_with_the_7_days_before(feedback, login, cast):
    # Two answers 10 and 11 days ago: return 3 and 4 (both detractors) → −100 before.
    for days_ago in (10, 11):
        _submit(cast, cast.cph, {"return": 3 + days_ago - 10, "expectation": "below"}, days_ago=days_ago)
    page = login("owner").get(DASHBOARD, {"period": "7"})
    comparison = page.context["comparison"]
    assert (comparison.date_to - comparison.date_from).days == 6
    assert (comparison.responses_before, comparison.responses_now) == (2, 4)
    # Now (last 7 days): 10, 3, 9, 9 → (3 − 1) / 4 = +50; before −100: a change of +150.
    assert comparison.changes["return_score"].value == 150.0
    html = page.content.decode()
    assert "+150 on the previous period" in html and "+2 on the previous period" in html


def test_a_previous_period_without_answers_says_so_instead_of_a_change(feedback, login):
    page = login("owner").get(DASHBOARD, {"period": "7"})
    comparison = page.context["comparison"]
    assert comparison.responses_before == 0 and comparison.changes["return_score"] is None
    html = page.content.decode()
    assert "No answers to compare with in the previous period" in html and "+4 on the previous period" in html


def test_a_change_on_a_handful_of_answers_reads_as_within_noise(feedback, login, cast):
    _submit(cast, cast.cph, {"return": 10, "expectation": "met"}, days_ago=10)
    _submit(cast, cast.cph, {"return": 3, "expectation": "met"}, days_ago=11)
    page = login("owner").get(DASHBOARD, {"period": "7"})
    change = page.context["comparison"].changes["return_score"]
    assert change.value == 50.0 and not change.beyond_noise  # +50 against 0, on 4 and 2 answers
    assert "within noise" in page.content.decode()


def test_all_time_shows_no_comparison(feedback, login):
    page = login("owner").get(DASHBOARD, {"period": "all"})
    assert page.context["comparison"] is None
    assert "on the previous period" not in page.content.decode()


def test_the_comparison_reads_in_the_readers_language(feedback, login, cast):
    _submit(cast, cast.cph, {"return": 3, "expectation": "below"}, days_ago=10)
    client = login("owner")
    with translation.override("fr"):
        html = client.get(DASHBOARD, {"period": "7"}, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "par rapport à la période précédente" in html
    assert "intervalle à 95 % exclut zéro" in html


def test_each_breakdown_row_links_to_the_responses_it_counts(feedback, login, cast):
    page = login("owner").get(DASHBOARD, {"period": "7", "touchpoint": cast.in_store.pk, "sort": "name"})
    rows = {
        (breakdown.dimension, row["group"]["label"]): row["responses_url"]
        for breakdown in page.context["breakdowns"]
        for row in breakdown.rows
    }
    address = urlparse(rows[("location", "Copenhagen")])
    assert address.path == reverse("insights:responses")
    # The dashboard's own filters go along; the sort, which means nothing there, does not.
    assert parse_qs(address.query) == {
        "period": ["7"],
        "touchpoint": [str(cast.in_store.pk)],
        "location": [str(cast.cph.pk)],
    }
    assert parse_qs(urlparse(rows[("person", "Claire Martin")]).query)["person"] == [str(cast.claire.pk)]
    html = page.content.decode()
    assert f'<a href="{rows[("location", "Copenhagen")].replace("&", "&amp;")}">Copenhagen</a>' in html

    # The link leads to exactly the responses the row counts.
    location_row = next(row for row in page.context["breakdowns"][0].rows if row["group"]["label"] == "Copenhagen")
    listed = login("owner").get(rows[("location", "Copenhagen")])
    assert listed.context["page"].paginator.count == location_row["responses"] == 1


def test_the_filters_fold_into_a_disclosure_that_counts_the_chosen_filters(feedback, login, cast):
    html = login("owner").get(DASHBOARD, {"location": cast.cph.pk, "channel": "link"}).content.decode()
    assert '<details class="filter-disclosure">' in html
    assert "(2 chosen)" in html
    # A filter the server had to correct opens the disclosure, so its message is seen.
    html = login("owner").get(DASHBOARD, {"date_from": "not-a-date"}).content.decode()
    assert '<details class="filter-disclosure" open>' in html


def test_on_the_responses_page_the_outcome_counts_as_a_chosen_filter_but_not_on_the_dashboard(feedback, login, cast):
    client = login("owner")
    listed = client.get(reverse("insights:responses"), {"outcome": "below", "location": cast.cph.pk}).content.decode()
    assert "(2 chosen)" in listed
    # On the dashboard the outcome only picks the comments' tab; the figures are not filtered by it.
    dashboard = client.get(DASHBOARD, {"outcome": "below", "location": cast.cph.pk}).content.decode()
    assert "(1 chosen)" in dashboard
