from datetime import UTC

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from exceed.feedback.models import Response

DASHBOARD = reverse("insights:dashboard")
HX = {"HTTP_HX_REQUEST": "true"}

# Role → (responses in the last 30 days, return score) by hand from the fixture in conftest.py:
# owner 10, 3, 9, 9 → (3 − 1) / 4; north 10, 3, 9 → (2 − 1) / 3; Copenhagen 10, 3 → 0; Anders 10.
EXPECTED = {"owner": (4, 50.0), "regional": (3, 33.3), "manager": (2, 0.0), "associate": (1, 100.0)}
COMMENTS = {
    "Found my size in two minutes": {"owner", "regional", "manager", "associate"},
    "HYPERLINK": {"owner", "regional", "manager"},
    "Quiet and calm in Aarhus": {"owner", "regional"},
    "Très bien à Paris": {"owner"},
}


@pytest.mark.parametrize("role", EXPECTED)
def test_each_role_sees_the_headline_figures_of_its_own_scope(feedback, login, role):
    page = login(role).get(DASHBOARD)
    assert page.status_code == 200
    headline = page.context["headline"]
    assert (headline["responses"], headline["return_score"].value) == EXPECTED[role]
    assert headline["return_score"].n == EXPECTED[role][0]
    assert headline["return_score"].low is not None and headline["return_score"].high is not None


@pytest.mark.parametrize("role", EXPECTED)
def test_each_role_reads_exactly_the_comments_of_its_scope(feedback, login, role):
    html = login(role).get(DASHBOARD).content.decode()
    for comment, readers in COMMENTS.items():
        assert (comment in html) == (role in readers), comment


@pytest.mark.parametrize(
    "role, locations",
    [("owner", {"Copenhagen", "Aarhus", "Paris"}), ("regional", {"Copenhagen", "Aarhus"}), ("manager", {"Copenhagen"})],
)
def test_the_location_breakdown_lists_only_locations_in_scope(feedback, login, role, locations):
    breakdowns = {b.dimension: b for b in login(role).get(DASHBOARD).context["breakdowns"]}
    assert {row["group"]["label"] for row in breakdowns["location"].rows} == locations


def test_a_manager_sees_each_persons_figures(feedback, login):
    breakdowns = {b.dimension: b for b in login("manager").get(DASHBOARD).context["breakdowns"]}
    by_person = {row["group"]["label"]: row["responses"] for row in breakdowns["person"].rows}
    assert by_person == {"Anders Holm": 1, "Birgitte Lund": 2}


def test_an_associate_sees_no_colleagues_name_or_figures(feedback, login):
    page = login("associate").get(DASHBOARD + "?period=all")
    html = page.content.decode()
    for colleague in ("Birgitte", "Claire"):
        assert colleague not in html
    assert "person" not in {b.dimension for b in page.context["breakdowns"]}
    assert page.context["options"].people == []
    # Anders's two responses of all time, not the store's three.
    assert page.context["headline"]["responses"] == 2


@pytest.mark.parametrize("role", ["shopper", "outsider"])
@pytest.mark.parametrize("name", ["insights:dashboard", "insights:dashboard_measures", "insights:dashboard_comments"])
def test_shoppers_and_outsiders_are_refused_the_dashboard(feedback, login, role, name):
    assert login(role).get(reverse(name), **HX).status_code == 403


def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(client):
    page = client.get(DASHBOARD)
    assert page.status_code == 302 and page.url.startswith(reverse("login"))


def test_an_htmx_request_gets_the_dashboard_fragment_only(feedback, login):
    page = login("owner").get(DASHBOARD + "?location=" + str(feedback.par_good.location_id), **HX)
    html = page.content.decode()
    assert "<html" not in html and "<header" not in html
    assert 'id="measures"' in html and 'id="trend-data"' in html and "Très bien à Paris" in html
    assert page.context["headline"]["responses"] == 1
    assert "HX-Request" in page["Vary"]


def test_the_measures_fragment_holds_figures_and_no_comments(feedback, login):
    html = login("owner").get(reverse("insights:dashboard_measures"), **HX).content.decode()
    assert "<html" not in html and 'id="trend-data"' in html
    assert "Found my size" not in html


def test_the_comments_fragment_filters_by_expectation(feedback, login):
    html = login("owner").get(reverse("insights:dashboard_comments") + "?outcome=below", **HX).content.decode()
    assert "<html" not in html
    assert "HYPERLINK" in html and "Found my size" not in html and "Très bien" not in html


def test_without_htmx_a_fragment_address_serves_the_whole_page(feedback, login):
    html = login("owner").get(reverse("insights:dashboard_comments") + "?outcome=exceeded").content.decode()
    assert "<html" in html and "Found my size" in html and "HYPERLINK" not in html


@pytest.mark.parametrize(
    "query, responses",
    [
        ("", 4),
        ("?period=7", 4),
        ("?period=all", 5),
        ("?period=90", 4),
        ("?language=fr", 1),
        ("?touchpoint={phone}", 1),
        ("?location={aar}", 1),
        ("?region={north}", 3),
        ("?person={birgitte}", 2),
        ("?channel=kiosk", 0),
    ],
)
def test_filters_narrow_the_figures(cast, feedback, login, query, responses):
    query = query.format(phone=cast.phone.pk, aar=cast.aar.pk, north=cast.north.pk, birgitte=cast.birgitte.pk)
    assert login("owner").get(DASHBOARD + query).context["headline"]["responses"] == responses


def test_a_filter_naming_something_outside_the_scope_is_ignored(cast, feedback, login):
    page = login("manager").get(f"{DASHBOARD}?location={cast.par.pk}&person={cast.claire.pk}")
    assert page.context["filters"].location is None and page.context["filters"].person is None
    assert page.context["headline"]["responses"] == 2
    assert "Paris" not in page.content.decode() and "Claire" not in page.content.decode()


def test_the_filter_bar_offers_only_options_within_the_scope(cast, login):
    options = login("regional").get(DASHBOARD).context["options"]
    assert {location.code for location in options.locations} == {"cph", "aar"}
    assert {region.code for region in options.regions} == {"north"}
    assert {person.name for person in options.people} == {"Anders Holm", "Birgitte Lund"}


def test_breakdowns_sort_by_the_column_asked_for(feedback, login):
    client = login("owner")

    def locations(sort):
        breakdowns = client.get(f"{DASHBOARD}?sort={sort}").context["breakdowns"]
        return [row["group"]["label"] for row in breakdowns[0].rows]

    # Return scores: Aarhus +100, Paris +100, Copenhagen 0.
    assert locations("score")[0] == "Copenhagen"
    assert locations("-score")[-1] == "Copenhagen"
    assert locations("name") == ["Aarhus", "Copenhagen", "Paris"]
    assert locations("-n")[0] == "Copenhagen"


def test_the_trend_is_by_day_up_to_31_days_and_by_week_beyond(feedback, login):
    client = login("owner")
    by_day = client.get(DASHBOARD + "?period=30").context["trend"]
    assert by_day["grain"] == "day" and len(by_day["points"]) == 30
    assert sum(point["n"] for point in by_day["points"]) == 4
    by_week = client.get(DASHBOARD + "?period=90").context["trend"]
    assert by_week["grain"] == "week" and sum(point["n"] for point in by_week["points"]) == 4


def test_the_dashboard_says_so_when_there_are_no_responses(cast, login):
    page = login("owner").get(DASHBOARD)
    assert page.status_code == 200
    assert "No responses yet for this selection" in page.content.decode()


def test_the_figures_come_from_the_rollup_without_reading_responses(feedback, login):
    client = login("owner")
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("insights:dashboard_measures") + "?period=all", **HX)
    response_table = Response._meta.db_table
    assert not [q["sql"] for q in queries.captured_queries if f'"{response_table}"' in q["sql"]]


def test_an_htmx_answer_names_the_clean_dashboard_address_for_the_address_bar(cast, feedback, login):
    page = login("owner").get(
        reverse("insights:dashboard_measures")
        + f"?period=90&date_from=&date_to=&region=&location={cast.par.pk}&sort=-score",
        **HX,
    )
    assert page["HX-Push-Url"] == f"{DASHBOARD}?period=90&location={cast.par.pk}&sort=-score"


def test_dates_submitted_unchanged_with_their_preset_keep_the_preset(login):
    from datetime import timedelta

    from exceed.insights.filters import stores_today
    from exceed.org.models import Location

    client = login("owner")
    # The dashboard's today is the stores' latest local date (after 23:00 UTC, Copenhagen's tomorrow).
    today = stores_today(list(Location.objects.all()))
    kept = client.get(f"{DASHBOARD}?period=7&date_from={today - timedelta(days=6)}&date_to={today}").context["query"]
    assert kept.period == "7"
    edited = client.get(f"{DASHBOARD}?period=7&date_from={today - timedelta(days=9)}&date_to={today}").context["query"]
    assert edited.period == "custom" and edited.days == 10


def test_the_last_days_end_on_the_stores_local_date_not_utcs(cast, client):
    """00:30 in Copenhagen is still yesterday in UTC; the answer belongs in "the last 7 days"."""
    from datetime import datetime, timedelta

    from exceed.feedback.services import response_submit
    from exceed.insights.filters import stores_today

    now = datetime.now(UTC)
    copenhagen_today = now.astimezone(cast.cph.zone).date()
    assert stores_today([cast.cph, cast.par]) == max(copenhagen_today, now.astimezone(cast.par.zone).date())
    # An answer given at the first minute of Copenhagen's day counts in today's figures.
    midnight = datetime.combine(copenhagen_today, datetime.min.time(), tzinfo=cast.cph.zone) + timedelta(minutes=1)
    response_submit(
        survey=cast.survey,
        location=cast.cph,
        raw_answers={"return": 10, "expectation": "exceeded"},
        language="da",
        channel_kind="link",
        submitted_at=midnight.astimezone(UTC),
    )
    client.force_login(cast.manager)
    page = client.get("/dashboard/?period=7")
    assert page.context["query"].filters.date_to == copenhagen_today


def test_managers_see_their_open_and_overdue_recovery_cases_on_the_dashboard(
    cast, client, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    from exceed.feedback.services import response_submit
    from tests.recovery.factories import evaluate_pending

    with django_capture_on_commit_callbacks(execute=True):
        response_submit(
            survey=cast.survey,
            location=cast.cph,
            raw_answers={"return": 1, "expectation": "below"},
            language="da",
            channel_kind="link",
            submitted_at=timezone.now() - timedelta(hours=3),
        )
        response_submit(
            survey=cast.survey,
            location=cast.par,
            raw_answers={"return": 1, "expectation": "below"},
            language="fr",
            channel_kind="link",
        )
    evaluate_pending()  # what the worker does next: the default rule opens a case for each
    client.force_login(cast.manager)
    page = client.get("/dashboard/")
    assert page.context["recovery"] == {"open": 1, "overdue": 1}  # Copenhagen's only; its first step is 2 h late
    assert "1 open recovery case" in page.content.decode()
    client.force_login(cast.owner)
    assert client.get("/dashboard/").context["recovery"]["open"] == 2
    client.force_login(cast.associate)
    assert client.get("/dashboard/").context["recovery"] is None
