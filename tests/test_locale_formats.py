"""Dates and times in the reader's own format, in the store's zone, on every page that shows one
(issue 8, item 6). Finnish pages used to show 30 November as "30 Mar 2026": "Mar" is Finnish for
November ("marraskuu") and reads as March to everyone.

One answer and its recovery case at 12:00 UTC on 30 November 2026 in Copenhagen, 13:00 there.
"""

from datetime import UTC, datetime

import pytest

from exceed.recovery.models import RecoveryCase
from tests.recovery.factories import low_response

MOMENT = datetime(2026, 11, 30, 12, tzinfo=UTC)
DATE = {"fi": "30.11.2026", "et": "30.11.2026", "da": "30. nov. 2026", "fr": "30 nov. 2026", "en": "Nov. 30, 2026"}
# The case's times are in Copenhagen's zone (CET), whatever the server's.
TIME = {
    "fi": "30.11.2026 klo 13.00 CET",
    "et": "30.11.2026 13:00 CET",
    "da": "30. nov. 2026 13:00 CET",
    "fr": "30 nov. 2026 13:00 CET",
    "en": "Nov. 30, 2026, 1 p.m. CET",
}
MONTH = {
    "fi": "marraskuu 2026",
    "et": "november 2026",
    "da": "november 2026",
    "fr": "novembre 2026",
    "en": "November 2026",
}
# ISO dates are for machines (datetime attributes, date inputs), not for reading in a cell.
WRONG = ["30 Mar 2026", "2026-11-30 12:00", "30 Nov 2026", "<td>2026-11-30</td>"]


@pytest.fixture
def answered(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = low_response(cast, when=MOMENT)
    return response, RecoveryCase.objects.get(response=response)


def _page(client, user, path, language):
    client.force_login(user)
    response = client.get(path, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, path
    return response.content.decode()


@pytest.mark.parametrize("language", ["fi", "et", "da", "fr", "en"])
def test_every_page_with_a_date_shows_it_in_the_readers_format(client, cast, answered, language):
    response, case = answered
    pages = {
        "/responses/": DATE,
        f"/responses/{response.pk}/": DATE,
        "/dashboard/?date_from=2026-11-30&date_to=2026-11-30": DATE,
        "/recovery/": TIME,
        f"/recovery/{case.pk}/": TIME,
        "/recovery/dashboard/?group_by=month": MONTH,
    }
    for path, expected in pages.items():
        html = _page(client, cast.owner, path, language)
        assert expected[language] in html, (path, expected[language])
        assert not [wrong for wrong in WRONG if wrong in html], path


def test_the_answer_shows_when_it_was_given_in_the_stores_zone(client, cast, answered):
    response, _case = answered
    html = _page(client, cast.owner, f"/responses/{response.pk}/", "fi")
    assert "30.11.2026 klo 13.00 CET" in html and "UTC" not in html.split("<main", 1)[-1].split("</main>")[0]


def test_the_alert_email_gives_deadlines_in_the_stores_language_and_zone(
    cast, smtp_inbox, immediate_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        low_response(cast, when=MOMENT)
    text = smtp_inbox.text_of(smtp_inbox.messages[0])
    # Copenhagen writes Danish; the first step is due an hour after 13:00 there.
    assert "30. nov. 2026 14:00 CET" in text, text
    assert "UTC" not in text
