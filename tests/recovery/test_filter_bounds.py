"""Issue 7, item 1: the recovery pages' date filters are bounded like the dashboard's, with the
reason shown on the field."""

import pytest


@pytest.mark.parametrize("path", ["/recovery/", "/recovery/dashboard/", "/recovery/export.csv"])
def test_a_date_from_year_1_or_9999_is_a_form_error_not_a_500(cast, client, path):
    """Reproducer: GET /recovery/dashboard/?date_from=0001-01-01&date_to=9999-12-31 filtered the
    cases by dates no case can have, unchecked."""
    client.force_login(cast.manager)
    answer = client.get(path, {"date_from": "0001-01-01", "date_to": "9999-12-31"}, HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 200
    if path.endswith("/"):
        form = answer.context["form"]
        assert set(form.errors) == {"date_from", "date_to"}
        assert "Choose a date from 2000-01-01" in answer.content.decode()


def test_a_period_longer_than_five_years_is_refused_on_its_start(cast, client):
    client.force_login(cast.manager)
    answer = client.get("/recovery/", {"date_from": "2001-01-01", "date_to": "2020-12-31"}, HTTP_ACCEPT_LANGUAGE="da")
    assert answer.context["form"].errors["date_from"] == ["Vælg en periode på højst 5 år."]
