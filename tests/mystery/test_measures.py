"""An approved mystery shop's two customer questions in the chain's measures, tagged "mystery",
and kept out of the customers' figures unless a filter asks for them (issue 10 §2)."""

import csv
from datetime import date, timedelta

import pytest
from django.urls import reverse

from exceed.api.models import ApiToken
from exceed.errors import DomainError
from exceed.feedback.models import ChannelKind, DailyMeasure, PendingEvaluation, Response
from exceed.feedback.rollup import rollup_rebuild
from exceed.feedback.services import MYSTERY_SURVEY_SLUG, response_stored, response_submit, survey_publish
from exceed.mystery.models import Report
from exceed.mystery.services.assignments import assignment_claim, calibration_pair_create
from exceed.mystery.services.measures import report_measures_sync
from exceed.mystery.services.reports import report_save, report_submit
from exceed.mystery.services.review import report_approve, report_reject, report_set_excluded
from tests.mystery.factories import GOOD, NOW, VISIT, december, programme, shopper, submitted

LATER = VISIT + timedelta(days=1)
DASHBOARD = reverse("insights:dashboard")
MYSTERY = ChannelKind.MYSTERY


def _rollup() -> set[tuple]:
    fields = [field.name for field in DailyMeasure._meta.concrete_fields if field.name != "id"]
    return set(DailyMeasure.objects.values_list(*fields))


def _mystery_rows():
    return DailyMeasure.objects.filter(channel_kind=MYSTERY)


def _customer_answer(cast, score=3):
    return response_submit(
        survey=cast.survey,
        location=cast.cph,
        touchpoint=cast.in_store,
        raw_answers={"return": score, "expectation": "below"},
        language="da",
        channel_kind=ChannelKind.LINK,
        channel=cast.cph_link,
        submitted_at=VISIT,
    )


def test_an_approved_report_adds_one_mystery_response_at_its_store_on_its_visit_day(cast):
    assignment = submitted(programme(cast), cast.cph, shopper())
    report = report_approve(assignment=assignment, by=cast.owner, now=LATER)
    (response,) = Response.objects.filter(channel_kind=MYSTERY)
    assert report.measures_response == response
    # 15:00 in Copenhagen on 1 December; the response holds the day, not the hour of the visit.
    assert (response.location, response.touchpoint, response.local_date) == (cast.cph, cast.in_store, date(2026, 12, 1))
    assert (response.return_likelihood, response.expectation) == (9, 1)
    assert response.submitted_at.astimezone(cast.cph.zone).hour == 0
    (row,) = _mystery_rows().filter(person_id=0)
    assert (row.location_id, row.local_date, row.responses, row.return_promoters, row.expectation_exceeded) == (
        cast.cph.pk,
        date(2026, 12, 1),
        1,
        1,
        1,
    )
    # Not a customer: no evaluation for recovery (no customer case, no webhook to come).
    assert not PendingEvaluation.objects.filter(response=response).exists()


def test_approving_twice_counts_the_shop_once(cast):
    assignment = submitted(programme(cast), cast.cph, shopper())
    report = report_approve(assignment=assignment, by=cast.owner, now=LATER)
    with pytest.raises(DomainError):
        report_approve(assignment=assignment, by=cast.owner, now=LATER)
    report_measures_sync(report=report)
    report_measures_sync(report=report)
    assert Response.objects.filter(channel_kind=MYSTERY).count() == 1
    assert _mystery_rows().get(person_id=0).responses == 1


def test_excluded_and_rejected_reports_never_count(cast):
    prog = programme(cast)
    report_approve(assignment=submitted(prog, cast.cph, shopper("Sofie")), by=cast.owner, exclude=True, now=LATER)
    report_reject(assignment=submitted(prog, cast.aar, shopper("Jonas")), by=cast.owner, comment="Not a real visit.")
    assert not Response.objects.filter(channel_kind=MYSTERY).exists()
    assert not _mystery_rows().exists()


def test_excluding_an_approved_shop_takes_it_out_of_the_measures_and_including_it_puts_it_back(cast):
    assignment = submitted(programme(cast), cast.cph, shopper())
    report_approve(assignment=assignment, by=cast.owner, now=LATER)
    report = report_set_excluded(assignment=assignment, by=cast.owner, excluded=True)
    assert report.measures_response is None
    assert not Response.objects.filter(channel_kind=MYSTERY).exists()
    assert not _mystery_rows().exists()  # no empty rows left behind
    report = report_set_excluded(assignment=assignment, by=cast.owner, excluded=False)
    assert Response.objects.filter(channel_kind=MYSTERY).get() == report.measures_response
    assert _mystery_rows().get(person_id=0).responses == 1


def _visit(assignment, who, back):
    assignment_claim(assignment=assignment, shopper=who, now=NOW)
    report_save(
        assignment=assignment,
        shopper=who,
        answers=GOOD,
        time_in=VISIT,
        time_out=VISIT.replace(minute=20),
        return_likelihood=back,
        expectation=1,
    )
    report_submit(assignment=assignment, shopper=who, now=VISIT.replace(hour=VISIT.hour + 1))
    assignment.refresh_from_db()


def test_a_calibration_pair_is_one_shop_in_the_measures_its_primary_or_else_its_twin(cast):
    """As in the programme's results: the primary's answers (return 9), the twin's (return 3) only
    while the primary's report does not count."""
    primary = december(programme(cast), cast.cph)
    sofie, lea = shopper("Sofie"), shopper("Lea")
    twin = calibration_pair_create(assignment=primary, first=sofie, second=lea)
    _visit(primary, sofie, back=9)
    _visit(twin, lea, back=3)

    def counted():
        return sorted(Response.objects.filter(channel_kind=MYSTERY).values_list("return_likelihood", flat=True))

    report_approve(assignment=twin, by=cast.owner, now=LATER)
    assert counted() == [3]  # the primary is not approved yet: the twin stands in
    report_approve(assignment=primary, by=cast.owner, now=LATER)
    assert counted() == [9]
    assert Report.objects.get(assignment=twin).measures_response is None
    report_set_excluded(assignment=primary, by=cast.owner, excluded=True)
    assert counted() == [3]
    report_set_excluded(assignment=primary, by=cast.owner, excluded=False)
    assert counted() == [9]
    assert _mystery_rows().get(person_id=0).responses == 1
    kept = _rollup()
    rollup_rebuild()
    assert _rollup() == kept


def test_the_rollup_equals_a_rebuild_after_approvals_and_exclusions(cast):
    prog = programme(cast)
    _customer_answer(cast)
    first = submitted(prog, cast.cph, shopper("Sofie"))
    report_approve(assignment=first, by=cast.owner, now=LATER)
    second = submitted(prog, cast.par, shopper("Jonas"))
    report_approve(assignment=second, by=cast.owner, now=LATER)
    third = submitted(prog, cast.aar, shopper("Emma"))
    report_approve(assignment=third, by=cast.owner, now=LATER)
    report_set_excluded(assignment=third, by=cast.owner, excluded=True)
    kept = _rollup()
    assert {row for row in kept if row[4] == MYSTERY} and {row for row in kept if row[4] == ChannelKind.LINK}
    rollup_rebuild()
    assert _rollup() == kept


def test_the_dashboard_shows_customers_only_unless_the_source_filter_asks_for_mystery_shops(cast, client):
    _customer_answer(cast, score=3)  # a detractor
    client.force_login(cast.owner)

    def headline(query=""):
        figures = client.get(DASHBOARD + "?period=all" + query).context["headline"]
        return figures["responses"], figures["return_score"].value

    before = headline()
    report_approve(assignment=submitted(programme(cast), cast.cph, shopper()), by=cast.owner, now=LATER)
    assert headline() == before == (1, -100.0)
    assert headline("&source=mystery") == (1, 100.0)
    assert headline("&source=all") == (2, 0.0)
    assert headline("&source=nonsense") == before


def test_the_consistency_page_and_the_response_list_leave_mystery_shops_out_by_default(cast, client):
    _customer_answer(cast)
    report_approve(assignment=submitted(programme(cast), cast.cph, shopper()), by=cast.owner, now=LATER)
    client.force_login(cast.owner)
    for name in ("insights:consistency", "insights:responses"):
        assert client.get(reverse(name) + "?period=all").status_code == 200
    listed = client.get(reverse("insights:responses") + "?period=all").context["page"].paginator.count
    mystery = client.get(reverse("insights:responses") + "?period=all&source=mystery").context["page"]
    assert (listed, mystery.paginator.count) == (1, 1)


def test_the_api_measures_count_mystery_shops_only_when_asked(cast, client):
    _customer_answer(cast)
    report_approve(assignment=submitted(programme(cast), cast.cph, shopper()), by=cast.owner, now=LATER)
    _token, key = ApiToken.issue(user=cast.owner)
    headers = {"Authorization": f"Bearer {key}"}

    def responses(**params):
        answer = client.get("/api/v1/measures", params, headers=headers)
        assert answer.status_code == 200, answer.content
        return answer.json()[0]["responses"]

    assert (responses(), responses(source="mystery"), responses(source="all")) == (1, 1, 2)
    assert responses(channel="mystery") == 1
    refused = client.get("/api/v1/measures", {"source": "shoppers"}, headers=headers)
    assert refused.status_code == 400 and refused.json()["field"] == "source"


def test_the_people_a_report_names_get_the_shop_in_their_own_rows(cast):
    report = report_approve(assignment=submitted(programme(cast), cast.cph, shopper()), by=cast.owner, now=LATER)
    Report.objects.filter(pk=report.pk).update(counts=False)
    report_measures_sync(report=report)
    report.people.create(person=cast.anders)
    Report.objects.filter(pk=report.pk).update(counts=True)
    report_measures_sync(report=report)
    assert set(_mystery_rows().values_list("person_id", flat=True)) == {0, cast.anders.pk}


def test_the_csv_export_holds_mystery_shops_only_when_the_source_asks(cast, client):
    _customer_answer(cast)
    report = report_approve(assignment=submitted(programme(cast), cast.cph, shopper()), by=cast.owner, now=LATER)
    client.force_login(cast.owner)
    export = reverse("insights:export_csv") + "?period=all"

    def channels(query=""):
        lines = b"".join(client.get(export + query).streaming_content).decode("utf-8-sig").splitlines()
        rows = list(csv.DictReader(lines))
        return sorted((row["channel"], int(row["id"])) for row in rows)

    customer = Response.objects.get(channel_kind=ChannelKind.LINK).pk
    assert channels() == [("link", customer)]
    assert channels("&source=mystery") == [("mystery", report.measures_response_id)]
    assert len(channels("&source=all")) == 2


def test_the_filter_bar_offers_the_source_and_keeps_mystery_out_of_the_channels(cast, client):
    client.force_login(cast.owner)
    page = client.get(DASHBOARD + "?source=mystery")
    html = page.content.decode()
    assert '<select name="source">' in html
    assert '<option value="mystery" selected>Mystery shops</option>' in html
    assert [code for code, _label in page.context["options"].channels] == ["link", "kiosk", "email", "api", "import"]
    assert page.context["query"].active_filters == 1
    # The address htmx shows keeps the source chosen, and leaves the default out.
    fragment = client.get(DASHBOARD + "?source=mystery&period=7", HTTP_HX_REQUEST="true")
    assert fragment["HX-Push-Url"] == DASHBOARD + "?period=7&source=mystery"
    assert "source" not in client.get(DASHBOARD + "?source=customers&period=7", HTTP_HX_REQUEST="true")["HX-Push-Url"]


def test_a_mystery_shop_sends_no_response_stored_signal_and_queues_no_evaluation(
    cast, django_capture_on_commit_callbacks
):
    heard = []

    def hear(sender, response, **kwargs):
        heard.append(response)

    response_stored.connect(hear, dispatch_uid="test.mystery.heard")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            report_approve(assignment=submitted(programme(cast), cast.cph, shopper()), by=cast.owner, now=LATER)
        with django_capture_on_commit_callbacks(execute=True):
            customer = _customer_answer(cast)
    finally:
        response_stored.disconnect(dispatch_uid="test.mystery.heard")
    assert heard == [customer]
    assert list(PendingEvaluation.objects.values_list("response_id", flat=True)) == [customer.pk]


def test_the_mystery_shops_survey_cannot_be_published_for_customers(cast):
    report_approve(assignment=submitted(programme(cast), cast.cph, shopper()), by=cast.owner, now=LATER)
    survey = Response.objects.get(channel_kind=MYSTERY).survey
    assert (survey.slug, survey.active, survey.in_measures) == (MYSTERY_SURVEY_SLUG, False, True)
    with pytest.raises(DomainError, match="customers do not answer it"):
        survey_publish(survey=survey)


def test_the_lists_of_surveys_leave_the_mystery_shops_survey_out(cast, client):
    """Nobody answers it: the API, the owner's survey page and the recovery rules do not offer it."""
    from exceed.recovery.forms import RuleForm

    report_approve(assignment=submitted(programme(cast), cast.cph, shopper()), by=cast.owner, now=LATER)
    assert Response.objects.filter(survey__slug=MYSTERY_SURVEY_SLUG).exists()
    _token, key = ApiToken.issue(user=cast.owner)
    headers = {"Authorization": f"Bearer {key}"}
    listed = client.get("/api/v1/surveys", headers=headers)
    assert listed.status_code == 200
    slugs = [survey["slug"] for survey in listed.json()]
    assert cast.survey.slug in slugs and MYSTERY_SURVEY_SLUG not in slugs
    assert client.get(f"/api/v1/surveys/{MYSTERY_SURVEY_SLUG}", headers=headers).status_code == 404
    client.force_login(cast.owner)
    page = client.get(reverse("feedback:surveys")).content.decode()
    assert f"/{MYSTERY_SURVEY_SLUG}/" not in page and f"/{cast.survey.slug}/" in page
    offered = list(RuleForm().fields["survey"].queryset.values_list("slug", flat=True))
    assert cast.survey.slug in offered and MYSTERY_SURVEY_SLUG not in offered
