"""The monthly report (issue 8, item 10): a PDF per recipient's scope, emailed on the 1st.

Answers in October 2025 (the month reported on) and September 2025 (the month before):
  October    Copenhagen 10 exceeded, Copenhagen 3 below, Aarhus 9 met, Paris 9 exceeded
  September  Copenhagen 6 met
"""

from datetime import UTC, date, datetime

import pytest
from django.urls import reverse
from django.utils import translation

from exceed.core.periodic import periodic_run_due
from exceed.feedback.models import ChannelKind
from exceed.feedback.services import response_submit
from exceed.insights.models import MonthlyReportDelivery
from exceed.insights.report import monthly_report_pdf
from exceed.insights.services import monthly_reports_send
from exceed.org.scopes import scope_for
from tests.insights.pdf_text import pdf_text


@pytest.fixture(autouse=True)
def _monthly_report_emails_on(settings):
    settings.EXCEED_MONTHLY_REPORT_EMAILS = True  # off for every other test (tests/conftest.py)


OCTOBER = date(2025, 10, 1)
FIRST_OF_NOVEMBER = datetime(2025, 11, 1, 6, tzinfo=UTC)
REPORT = reverse("insights:monthly_report")
# Owners and managers get it; the associate, the mystery shopper and the outsider do not.
RECIPIENTS = {"olivia@example.com", "rasmus@example.com", "mette@example.com"}


def _answer(cast, location, return_score, expectation, day):
    response_submit(
        survey=cast.survey,
        location=location,
        touchpoint=cast.in_store,
        raw_answers={"return": return_score, "expectation": expectation},
        language="da",
        channel_kind=ChannelKind.LINK,
        submitted_at=day,
    )


@pytest.fixture
def october(cast):
    _answer(cast, cast.cph, 10, "exceeded", datetime(2025, 10, 10, 12, tzinfo=UTC))
    _answer(cast, cast.cph, 3, "below", datetime(2025, 10, 11, 12, tzinfo=UTC))
    _answer(cast, cast.aar, 9, "met", datetime(2025, 10, 12, 12, tzinfo=UTC))
    _answer(cast, cast.par, 9, "exceeded", datetime(2025, 10, 13, 12, tzinfo=UTC))
    _answer(cast, cast.cph, 6, "met", datetime(2025, 9, 20, 12, tzinfo=UTC))


def _text(user, month=OCTOBER) -> str:
    pdf = monthly_report_pdf(scope_for(user), month, compress=False)
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    return pdf_text(pdf)


def test_the_report_is_a_pdf_naming_the_locations_in_scope_and_no_other(cast, october):
    regional = _text(cast.regional)
    assert "Copenhagen" in regional and "Aarhus" in regional
    assert "Paris" not in regional
    manager = _text(cast.manager)
    assert "Copenhagen" in manager
    assert "Aarhus" not in manager and "Paris" not in manager
    assert "Paris" in _text(cast.owner)


def test_the_report_shows_the_months_figures_with_n_and_interval_beside_the_month_before(cast, october):
    text = _text(cast.owner)
    assert "Monthly report: October 2025" in text
    assert "September 2025" in text
    # October: 3 promoters, 1 detractor of 4 → +50; September: the one 6 → −100.
    assert "+50 (n = 4; " in text
    assert "\u2212100 (n = 1" in text
    # Expectation: 2 of 4 exceeded, 1 met, 1 below.
    assert "50 % (n = 4)" in text and "25 % (n = 4)" in text


def test_the_report_carries_the_recovery_figures_of_the_month_for_managers(cast, october):
    text = _text(cast.manager)
    assert "Service recovery" in text and "Cases opened" in text


def test_the_report_is_sent_once_on_the_first_through_smtp_even_when_run_twice(cast, october, smtp_inbox):
    assert monthly_reports_send(now=FIRST_OF_NOVEMBER) == "2025-10: 3 sent, 0 failed"
    # A second worker, or the next hour's run, finds every report sent already.
    assert monthly_reports_send(now=FIRST_OF_NOVEMBER.replace(hour=9)) == "2025-10: 0 sent, 0 failed"

    assert {message["To"] for message in smtp_inbox.messages} == RECIPIENTS
    assert len(smtp_inbox.messages) == 3
    to_rasmus = next(message for message in smtp_inbox.messages if message["To"] == "rasmus@example.com")
    assert to_rasmus["Subject"] == "Monthly report: October 2025"
    (attachment,) = list(to_rasmus.iter_attachments())
    assert attachment.get_filename() == "exceed-report-2025-10.pdf"
    text = pdf_text(attachment.get_content())
    assert "Aarhus" in text and "Paris" not in text


def test_the_periodic_job_sends_the_report_once_however_many_workers_tick(cast, october, smtp_inbox):
    periodic_run_due(now=FIRST_OF_NOVEMBER)
    periodic_run_due(now=FIRST_OF_NOVEMBER)
    # Recovery's own job may alert a manager of October's low score; only the reports count here.
    reports = [message for message in smtp_inbox.messages if message["Subject"].startswith("Monthly report")]
    assert sorted(message["To"] for message in reports) == sorted(RECIPIENTS)
    assert MonthlyReportDelivery.objects.filter(month=OCTOBER).count() == 3


def test_no_report_is_emailed_when_the_emails_are_turned_off(cast, october, smtp_inbox, settings):
    settings.EXCEED_MONTHLY_REPORT_EMAILS = False
    assert monthly_reports_send(now=FIRST_OF_NOVEMBER) == "monthly report emails are off"
    assert smtp_inbox.messages == []
    assert not MonthlyReportDelivery.objects.exists()  # turned on later, the month is still sent


def test_a_manager_of_no_store_gets_no_report(cast, october, smtp_inbox):
    cast.regional.membership.regions.clear()
    monthly_reports_send(now=FIRST_OF_NOVEMBER)
    assert {message["To"] for message in smtp_inbox.messages} == RECIPIENTS - {"rasmus@example.com"}


def test_nothing_is_sent_on_other_days(cast, october, smtp_inbox):
    assert monthly_reports_send(now=datetime(2025, 11, 2, 6, tzinfo=UTC)) == "not the first of the month"
    assert monthly_reports_send(now=datetime(2025, 10, 31, 23, tzinfo=UTC)) == "not the first of the month"
    assert smtp_inbox.messages == []


def test_the_report_is_written_in_the_recipients_language(cast, october, smtp_inbox):
    cast.manager.membership.language = "fi"
    cast.manager.membership.save()
    monthly_reports_send(now=FIRST_OF_NOVEMBER)
    to_mette = next(message for message in smtp_inbox.messages if message["To"] == "mette@example.com")
    assert to_mette["Subject"].startswith("Kuukausiraportti: ")
    assert "koontinäkymästä" in smtp_inbox.text_of(to_mette)
    (attachment,) = list(to_mette.iter_attachments())
    text = pdf_text(attachment.get_content())
    assert "Paluuluku" in text and "Return score" not in text
    # The others chose no language: the site's default.
    to_olivia = next(message for message in smtp_inbox.messages if message["To"] == "olivia@example.com")
    assert to_olivia["Subject"] == "Monthly report: October 2025"


def test_a_failed_email_is_tried_again_on_the_next_run(cast, october, smtp_inbox, settings):
    settings.EMAIL_PORT = 1  # nothing listens there
    assert monthly_reports_send(now=FIRST_OF_NOVEMBER) == "2025-10: 0 sent, 3 failed"
    assert not MonthlyReportDelivery.objects.exists()


def test_the_dashboard_offers_the_report_for_a_chosen_month_within_the_scope(cast, october, client):
    client.force_login(cast.regional)
    assert "Monthly report (PDF)" in client.get(reverse("insights:dashboard")).content.decode()
    answer = client.get(REPORT, {"month": "2025-10"})
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/pdf"
    assert 'filename="exceed-report-2025-10.pdf"' in answer["Content-Disposition"]
    text = pdf_text(answer.content)
    assert "Aarhus" in text and "Paris" not in text


@pytest.mark.parametrize("month", ["2025-13", "october", "1999-12", "2025-10-05"])
def test_a_month_that_is_no_month_is_refused_with_a_reason(cast, client, month):
    client.force_login(cast.regional)
    answer = client.get(REPORT, {"month": month})
    assert answer.status_code == 400
    assert answer.content.decode()


def test_letters_outside_latin_1_are_written_as_they_are(cast, october):
    cast.aar.name = "Pärnu Šokolaad & Žürii"
    cast.aar.save()
    with translation.override("et"):
        text = _text(cast.regional)
    assert "Pärnu Šokolaad & Žürii" in " ".join(text.split())  # the table cell may wrap the name
    assert "Kuuaruanne: " in text and "Tagasituleku skoor" in text
