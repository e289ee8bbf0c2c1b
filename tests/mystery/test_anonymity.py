"""A location's staff never see its open or upcoming shops, nor who shopped (issue 10 §5)."""

from datetime import timedelta

from exceed.api.models import ApiToken
from exceed.mystery.models import Assignment
from exceed.mystery.services.review import report_approve
from tests.mystery.factories import VISIT, programme, shopper, submitted

SECRET = "Hemmelig Hanne"


def _shops(cast):
    prog = programme(cast, name="Monthly store visit")
    done = submitted(prog, cast.cph, shopper(SECRET))
    in_review = submitted(prog, cast.aar, shopper("Karl"))
    return prog, done, in_review


def _api(client, user, path):
    token = ApiToken.issue(user=user)[1]
    return client.get(path, HTTP_AUTHORIZATION="Bearer " + token)


def test_the_copenhagen_manager_sees_neither_upcoming_shops_nor_a_report_before_approval(cast, client):
    _prog, done, _review = _shops(cast)
    upcoming = Assignment.objects.filter(location=cast.cph, status="open")
    assert upcoming.exists()
    client.force_login(cast.manager)
    page = client.get("/mystery/").content.decode()
    assert "Open and upcoming shops" not in page
    assert client.get(f"/mystery/reports/{done.pk}/").status_code == 404
    listed = _api(client, cast.manager, "/api/v1/mystery/assignments").json()
    assert listed == []
    assert _api(client, cast.manager, f"/api/v1/mystery/reports/{done.pk}").status_code == 404


def test_an_approved_report_reaches_its_manager_without_the_shoppers_name(cast, client):
    _prog, done, _review = _shops(cast)
    report_approve(assignment=done, by=cast.owner, now=VISIT + timedelta(days=1))
    client.force_login(cast.manager)
    page = client.get(f"/mystery/reports/{done.pk}/").content.decode()
    assert "not to be the sole ground for discipline" in page
    assert SECRET not in page
    body = _api(client, cast.manager, f"/api/v1/mystery/reports/{done.pk}").json()
    assert body["shopper"] is None and body["score"] is not None
    assert SECRET not in str(_api(client, cast.manager, "/api/v1/mystery/reports").json())
    # The API lists only the done shop of the manager's own store, never an open one.
    assignments = _api(client, cast.manager, "/api/v1/mystery/assignments").json()
    assert [a["id"] for a in assignments] == [done.pk]


def test_an_associate_and_an_outsider_see_no_mystery_page_at_all(cast, client):
    _shops(cast)
    for user in (cast.associate, cast.outsider):
        client.force_login(user)
        assert client.get("/mystery/").status_code == 403
        assert _api(client, user, "/api/v1/mystery/assignments").json() == []
        assert _api(client, user, "/api/v1/mystery/programmes").json() == []


def test_the_owner_sees_the_upcoming_shops_and_the_shopper(cast, client):
    _prog, done, _review = _shops(cast)
    client.force_login(cast.owner)
    assert "Open and upcoming shops" in client.get("/mystery/").content.decode()
    assert SECRET in client.get(f"/mystery/reports/{done.pk}/").content.decode()
    assert _api(client, cast.owner, f"/api/v1/mystery/reports/{done.pk}").json()["shopper"] == SECRET


def test_an_employee_gets_a_copy_of_an_approved_report_that_names_them_and_no_other(cast, client):
    from exceed.mystery.models import ReportPerson

    _prog, done, _review = _shops(cast)
    report_approve(assignment=done, by=cast.owner, now=VISIT + timedelta(days=1))
    client.force_login(cast.associate)
    assert client.get(f"/mystery/reports/{done.pk}/").status_code == 404
    ReportPerson.objects.create(report=done.report, person=cast.anders)
    page = client.get(f"/mystery/reports/{done.pk}/")
    assert page.status_code == 200 and "Anders Holm" in page.content.decode()
    assert SECRET not in page.content.decode()
