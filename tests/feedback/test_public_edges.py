"""Issue 7, item 4: an anonymous visitor's odd input on the public survey is a form error in
their language, never a 500 (PostgreSQL refuses NUL in text) and never stored."""

import pytest

from exceed.feedback.models import Response


def _path(channel):
    return f"/s/{channel.slug}/"


def test_a_nul_in_a_survey_comment_is_a_form_error_and_nothing_is_stored(cast, client):
    """Reproducer: POST /s/<link>/ q_difference="a\\x00b" was a 500 (DataError) on PostgreSQL
    and stored the NUL on SQLite."""
    page = client.post(
        _path(cast.cph_link), {"q_return": "8", "q_expectation": "met", "q_difference": "a\x00b", "lang": "fr"}
    )
    assert page.status_code == 400
    assert "caractère NUL" in page.content.decode()
    assert not Response.objects.exists()


def test_a_nul_in_a_contact_phone_is_a_form_error(cast, client):
    page = client.post(
        _path(cast.cph_link),
        {"q_return": "3", "q_expectation": "below", "q_contact": "yes", "contact_phone": "12\x0034", "lang": "en"},
    )
    assert page.status_code == 400
    assert "valid phone number" in page.content.decode()
    assert not Response.objects.exists()


@pytest.mark.parametrize(
    "path", ["/s/{slug}/?lang=%00", "/i/a%00b/", "/k/{slug}/?key=%00", "/s/{slug}/thanks/?lang=%00"]
)
def test_a_nul_in_a_public_address_is_not_a_500(cast, client, path):
    answer = client.get(path.format(slug=cast.cph_link.slug))
    assert answer.status_code < 500
