"""The monthly report as a page, its six months' trend, its comments, and the owner's choice of
recipients (issue 8, item 10).

Answers (return score, expectation, comment):
  October 2025   Copenhagen 10 exceeded "Lovely fitting room", Copenhagen 3 below "Queue too long",
                 Aarhus 9 met "Calm in Aarhus", Paris 9 exceeded "Très bien à Paris"
  September      Copenhagen 6 met
  May            Aarhus 2 below
  April          Aarhus 10 exceeded (seven months back: outside the trend)
"""

from datetime import UTC, date, datetime

import pytest
from django.urls import reverse

from exceed.feedback.models import ChannelKind
from exceed.feedback.services import response_submit
from exceed.insights.models import MonthlyReportOptOut
from exceed.insights.report import monthly_report_pdf
from exceed.insights.selectors import report_trend
from exceed.insights.services import monthly_reports_send
from exceed.org.scopes import scope_for
from tests.insights.pdf_text import pdf_text


@pytest.fixture(autouse=True)
def _monthly_report_emails_on(settings):
    settings.EXCEED_MONTHLY_REPORT_EMAILS = True  # off for every other test (tests/conftest.py)


OCTOBER = date(2025, 10, 1)
FIRST_OF_NOVEMBER = datetime(2025, 11, 1, 6, tzinfo=UTC)
PAGE = reverse("insights:monthly_report_page")
RECIPIENTS_PAGE = reverse("insights:report_recipients")


def _answer(cast, location, return_score, expectation, day, comment=""):
    answers = {"return": return_score, "expectation": expectation}
    if comment:
        answers["difference"] = comment
    response_submit(
        survey=cast.survey,
        location=location,
        touchpoint=cast.in_store,
        raw_answers=answers,
        language="da",
        channel_kind=ChannelKind.LINK,
        submitted_at=day,
    )


@pytest.fixture
def months(cast):
    _answer(cast, cast.cph, 10, "exceeded", datetime(2025, 10, 10, 12, tzinfo=UTC), "Lovely fitting room")
    _answer(cast, cast.cph, 3, "below", datetime(2025, 10, 11, 12, tzinfo=UTC), "Queue too long")
    _answer(cast, cast.aar, 9, "met", datetime(2025, 10, 12, 12, tzinfo=UTC), "Calm in Aarhus")
    _answer(cast, cast.par, 9, "exceeded", datetime(2025, 10, 13, 12, tzinfo=UTC), "Très bien à Paris")
    _answer(cast, cast.cph, 6, "met", datetime(2025, 9, 20, 12, tzinfo=UTC))
    _answer(cast, cast.aar, 2, "below", datetime(2025, 5, 20, 12, tzinfo=UTC))
    _answer(cast, cast.aar, 10, "exceeded", datetime(2025, 4, 20, 12, tzinfo=UTC))


def test_the_trend_lists_six_months_oldest_first_with_n_and_empty_months_kept(cast, months):
    trend = report_trend(scope_for(cast.owner), OCTOBER)
    assert [row["month"] for row in trend] == [date(2025, month, 1) for month in range(5, 11)]
    assert [row["responses"] for row in trend] == [1, 0, 0, 0, 1, 4]
    assert trend[0]["return_score"].value == -100 and trend[0]["return_score"].n == 1
    assert trend[1]["return_score"] is None
    assert trend[-1]["return_score"].value == 50 and trend[-1]["return_score"].n == 4


def test_the_trend_counts_only_the_scope(cast, months):
    # Copenhagen's manager: nothing in May, the one 6 in September, 10 and 3 in October.
    trend = report_trend(scope_for(cast.manager), OCTOBER)
    assert [row["responses"] for row in trend] == [0, 0, 0, 0, 1, 2]


def test_the_pdf_carries_the_trend_and_the_months_comments_of_the_scope_only(cast, months):
    text = pdf_text(monthly_report_pdf(scope_for(cast.regional), OCTOBER, compress=False))
    assert "Trend: the last six months" in text and "May 2025" in text
    assert "Lovely fitting room" in text and "Calm in Aarhus" in text
    assert "Très bien à Paris" not in text
    manager = pdf_text(monthly_report_pdf(scope_for(cast.manager), OCTOBER, compress=False))
    assert "Queue too long" in manager and "Calm in Aarhus" not in manager


def test_the_page_shows_the_same_report_for_the_scope_with_a_link_to_the_pdf(cast, months, client):
    client.force_login(cast.regional)
    page = client.get(PAGE, {"month": "2025-10"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Monthly report: October 2025" in html
    assert "+50 (n = 4; " not in html  # the chain's figure; the region's is 10, 3, 9 → +33
    assert "+33 (n = 3; " in html
    assert "Aarhus" in html and "Paris" not in html
    assert "Lovely fitting room" in html and "Très bien à Paris" not in html
    assert "May 2025" in html and "April 2025" not in html
    assert reverse("insights:monthly_report") + "?month=2025-10" in html
    # Only an owner chooses the recipients.
    assert RECIPIENTS_PAGE not in html


def test_the_page_refuses_a_month_that_is_no_month(cast, client):
    client.force_login(cast.owner)
    answer = client.get(PAGE, {"month": "October"})
    assert answer.status_code == 400
    assert "for example 2026-10" in answer.content.decode()


def test_the_page_speaks_the_readers_language(cast, months, client):
    client.force_login(cast.owner)
    html = client.get(PAGE, {"month": "2025-10"}, HTTP_ACCEPT_LANGUAGE="fi").content.decode()
    assert "Paluuluku" in html


def test_the_dashboard_links_to_the_page(cast, client):
    client.force_login(cast.manager)
    assert PAGE in client.get(reverse("insights:dashboard")).content.decode()


def test_an_owner_takes_a_manager_off_the_list_and_the_manager_gets_no_report(cast, months, client, smtp_inbox):
    client.force_login(cast.owner)
    page = client.get(RECIPIENTS_PAGE)
    assert page.status_code == 200
    assert "mette@example.com" in page.content.decode()
    keep = [cast.owner.pk, cast.regional.pk]
    answer = client.post(RECIPIENTS_PAGE, {"receives": keep})
    assert answer.status_code == 302
    assert list(MonthlyReportOptOut.objects.values_list("user_id", flat=True)) == [cast.manager.pk]

    assert monthly_reports_send(now=FIRST_OF_NOVEMBER) == "2025-10: 2 sent, 0 failed"
    assert {message["To"] for message in smtp_inbox.messages} == {"olivia@example.com", "rasmus@example.com"}


def test_ticking_a_login_again_puts_them_back_on_the_list(cast, months, client, smtp_inbox):
    MonthlyReportOptOut.objects.create(user=cast.manager, chosen_at=FIRST_OF_NOVEMBER)
    client.force_login(cast.owner)
    client.post(RECIPIENTS_PAGE, {"receives": [cast.owner.pk, cast.regional.pk, cast.manager.pk]})
    assert not MonthlyReportOptOut.objects.exists()
    monthly_reports_send(now=FIRST_OF_NOVEMBER)
    assert "mette@example.com" in {message["To"] for message in smtp_inbox.messages}


def test_a_login_that_may_not_receive_the_report_cannot_be_ticked(cast, client):
    client.force_login(cast.owner)
    answer = client.post(RECIPIENTS_PAGE, {"receives": [cast.associate.pk]})
    assert answer.status_code == 200
    assert "Select a valid choice" in answer.content.decode()
    assert not MonthlyReportOptOut.objects.exists()


@pytest.mark.parametrize("role", ["regional", "manager", "associate"])
def test_only_an_owner_chooses_the_recipients(cast, client, role):
    client.force_login(cast.roles[role])
    assert client.get(RECIPIENTS_PAGE).status_code == 403
    assert client.post(RECIPIENTS_PAGE, {"receives": []}).status_code == 403
    assert not MonthlyReportOptOut.objects.exists()


def test_a_month_without_comments_says_so_and_a_long_comment_is_cut_in_the_pdf(cast, months):
    text = pdf_text(monthly_report_pdf(scope_for(cast.owner), date(2025, 9, 1), compress=False))
    assert "No comments this month." in text
    _answer(cast, cast.cph, 8, "met", datetime(2025, 10, 20, 12, tzinfo=UTC), "long " * 200 + "END")
    text = pdf_text(monthly_report_pdf(scope_for(cast.owner), OCTOBER, compress=False))
    assert "long long" in text and "END" not in text


def test_the_page_draws_the_trend_with_a_dot_per_month_that_has_answers(cast, months, client):
    client.force_login(cast.owner)
    chart = client.get(PAGE, {"month": "2025-10"}).context["trend_chart"]
    assert [dot["month"] for dot in chart["dots"]] == [date(2025, 5, 1), date(2025, 9, 1), OCTOBER]
    # −100 sits at the foot of the plot, +50 a quarter of the way down from the top.
    plot = chart["plot"]
    assert chart["dots"][0]["y"] == plot["bottom"]
    assert chart["dots"][-1]["y"] == pytest.approx(plot["top"] + (plot["bottom"] - plot["top"]) / 4, abs=0.1)
    assert chart["dots"][-1]["low_y"] > chart["dots"][-1]["y"] > chart["dots"][-1]["high_y"]


def test_a_scope_without_answers_in_six_months_gets_no_chart(cast, client):
    client.force_login(cast.owner)
    page = client.get(PAGE, {"month": "2025-10"})
    assert page.context["trend_chart"] is None
    assert "No comments this month." in page.content.decode()


def test_the_email_links_to_the_report_as_a_page_for_the_month(cast, months, smtp_inbox, settings):
    monthly_reports_send(now=FIRST_OF_NOVEMBER)
    to_olivia = next(message for message in smtp_inbox.messages if message["To"] == "olivia@example.com")
    assert f"{settings.BASE_URL}{PAGE}?month=2025-10" in smtp_inbox.text_of(to_olivia)
