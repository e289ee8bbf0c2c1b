"""Results (issue 10 §8) on five hand-made counted shops and one excluded one.

Copenhagen: 80 (Oct, return 10), 60 (Nov, return 3), 70 (Nov, return 9); Aarhus: 90 (Oct, return
9), 50 (Nov, return 5); Paris: 20, approved but excluded. Each shop answers "greeted" and
"returns" (which allows N/A):

    greeted: cph 1 0 1, aar 1 0         → 2 failed of 5
    returns: cph 1 1 N/A, aar N/A 0     → 1 failed of 3 applied
"""

import csv
import io
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

from exceed.api.models import ApiToken
from exceed.mystery import selectors
from exceed.mystery.models import Assignment, Item, Report, ReportAnswer, ReportPerson, ReportSectionScore, Section
from exceed.org.scopes import scope_for
from tests.mystery.factories import VISIT, programme, shopper

SECRET = "Hemmelig Hanne"


def _shop(prog, location, who, *, score, greeted, returns, back, visit_date, counts=True, person=None):
    version = prog.scorecard.versions.first()
    assignment = Assignment.objects.create(
        programme=prog,
        location=location,
        period=f"t{Assignment.objects.count()}",
        window_start=VISIT - timedelta(days=30),
        window_end=VISIT,
        shopper=who,
        status="approved" if counts else "approved_excluded",
    )
    report = Report.objects.create(
        assignment=assignment,
        version=version,
        shopper=who,
        return_likelihood=back,
        visit_date=visit_date,
        score=score,
        score_n=2,
        counts=counts,
        submitted_at=VISIT,
        approved_at=VISIT,
    )
    for section in Section.objects.filter(version=version):
        ReportSectionScore.objects.create(
            report=report, section=section, code=section.code, score=score if section.code == "welcome" else score - 10
        )
    for code, points in (("greeted", greeted), ("returns", returns)):
        ReportAnswer.objects.create(
            report=report,
            item=Item.objects.get(section__version=version, code=code),
            value=points,
            not_applicable=points is None,
            points=points,
        )
    if person is not None:
        ReportPerson.objects.create(report=report, person=person)
    return report


@pytest.fixture
def shops(cast):
    prog = programme(cast, min_shops_ranked=3)
    who = shopper(SECRET)
    oct_, nov = date(2026, 10, 12), date(2026, 11, 12)
    _shop(prog, cast.cph, who, score=80, greeted=1, returns=1, back=10, visit_date=oct_, person=cast.anders)
    _shop(prog, cast.cph, who, score=60, greeted=0, returns=1, back=3, visit_date=nov, person=cast.anders)
    _shop(prog, cast.cph, who, score=70, greeted=1, returns=None, back=9, visit_date=nov)
    _shop(prog, cast.aar, who, score=90, greeted=1, returns=None, back=9, visit_date=oct_)
    _shop(prog, cast.aar, who, score=50, greeted=0, returns=0, back=5, visit_date=nov)
    _shop(prog, cast.par, who, score=20, greeted=0, returns=0, back=0, visit_date=nov, counts=False)
    return prog


def _owner_results(cast, prog, **kwargs):
    return selectors.results_for(scope_for(cast.owner), programme=prog, **kwargs)


def test_a_location_is_ranked_only_from_the_programmes_minimum_of_shops(cast, shops):
    found = _owner_results(cast, shops)
    by_name = {row.name: row for row in found.locations}
    assert set(by_name) == {"Copenhagen", "Aarhus"}  # the excluded Paris shop counts nowhere
    cph, aar = by_name["Copenhagen"], by_name["Aarhus"]
    assert (cph.ranked, cph.rank, cph.overall.value, cph.overall.n) == (True, 1, 70.0, 3)
    # sd 10, se 10/√3, t(2) = 4.303: 70 ± 24.8
    assert (cph.overall.low, cph.overall.high) == (45.2, 94.8)
    assert (aar.ranked, aar.rank, aar.overall.value, aar.overall.n) == (False, None, 70.0, 2)
    assert found.overall.value == 70.0 and found.overall.n == 5
    assert [(r["region"], r["overall"].value, r["overall"].n) for r in found.regions] == [("North", 70.0, 5)]


def test_the_page_says_not_yet_ranked_with_the_shops_so_far(cast, shops, client):
    client.force_login(cast.owner)
    page = client.get("/mystery/results/").content.decode()
    assert "not yet ranked (2 of 3 shops)" in page
    assert 'class="number band-2"' in page


def test_the_trend_runs_by_month(cast, shops):
    trend = _owner_results(cast, shops).trend
    assert [(f"{r['month']:%Y-%m}", r["overall"].value, r["overall"].n) for r in trend] == [
        ("2026-10", 85.0, 2),
        ("2026-11", 60.0, 3),
    ]


def test_items_are_ranked_by_failure_rate_with_their_n(cast, shops):
    items = _owner_results(cast, shops).items
    assert [(i["code"], i["failure_rate"].value, i["failure_rate"].n, i["na"]) for i in items] == [
        ("greeted", 40.0, 5, 0),
        ("returns", 33.3, 3, 2),
    ]


def test_the_not_applicable_rate_per_location(cast, shops):
    rates = {row.name: (row.na_rate.value, row.na_rate.n) for row in _owner_results(cast, shops).locations}
    assert rates == {"Copenhagen": (16.7, 6), "Aarhus": (25.0, 4)}


def test_the_heat_map_has_each_section_per_location(cast, shops):
    found = _owner_results(cast, shops)
    cph = next(row for row in found.locations if row.name == "Copenhagen")
    assert [(c["code"], c["figure"].value, c["band"]) for c in cph.cells] == [
        ("welcome", 70.0, "2"),
        ("help", 60.0, "1"),
    ]


def test_separation_compares_pass_rates_of_shops_that_would_return_and_would_not(cast, shops):
    separation = _owner_results(cast, shops).separation
    rows = {s["code"]: s for s in separation}
    # greeted: 9–10 → 3 of 3 passed; 0–6 → 0 of 2. returns: 9–10 → 1 of 1; 0–6 → 1 of 2.
    greeted, returns = rows["greeted"], rows["returns"]
    assert (greeted["returners"].value, greeted["returners"].n, greeted["non_returners"].n, greeted["gap"]) == (
        100.0,
        3,
        2,
        100.0,
    )
    assert (returns["returners"].n, returns["non_returners"].value, returns["gap"]) == (1, 50.0, 50.0)
    assert [s["code"] for s in separation] == ["greeted", "returns"]


def test_a_period_narrows_every_figure(cast, shops):
    found = _owner_results(cast, shops, since=date(2026, 11, 1), until=date(2026, 11, 30))
    assert found.overall.n == 3 and found.overall.value == 60.0


def test_people_named_are_scored_on_the_shops_that_named_them(cast, shops):
    people = _owner_results(cast, shops).people
    assert [(p["name"], p["overall"].value, p["overall"].n) for p in people] == [("Anders Holm", 70.0, 2)]


def _api(client, user, path):
    token = ApiToken.issue(user=user)[1]
    return client.get(path, HTTP_AUTHORIZATION="Bearer " + token)


def test_the_copenhagen_manager_sees_only_copenhagen_and_never_the_shopper(cast, shops, client):
    found = selectors.results_for(scope_for(cast.manager), programme=shops)
    assert [row.name for row in found.locations] == ["Copenhagen"]
    client.force_login(cast.manager)
    page = client.get("/mystery/results/").content.decode()
    assert "Copenhagen" in page and "Aarhus" not in page and SECRET not in page
    exported = client.get("/mystery/results.csv").content.decode()
    rows = list(csv.reader(io.StringIO(exported)))
    assert [row[1] for row in rows[1:]] == ["Copenhagen"] and SECRET not in exported
    workbook = load_workbook(io.BytesIO(b"".join(client.get("/mystery/results.xlsx").streaming_content)))
    cells = [str(c) for sheet in workbook for row in sheet.iter_rows(values_only=True) for c in row]
    assert "Copenhagen" in cells and "Aarhus" not in cells and SECRET not in " ".join(cells)
    body = _api(client, cast.manager, f"/api/v1/mystery/results?programme_id={shops.pk}")
    assert body.status_code == 200
    assert [row["location"] for row in body.json()["locations"]] == ["cph"] and SECRET not in body.content.decode()


def test_an_associate_a_shopper_and_an_outsider_get_no_results(cast, shops, client):
    for user in (cast.associate, cast.shopper, cast.outsider):
        client.force_login(user)
        assert client.get("/mystery/results/").status_code == 403
        assert client.get("/mystery/results.csv").status_code == 403
        assert _api(client, user, f"/api/v1/mystery/results?programme_id={shops.pk}").status_code == 403


def test_the_api_gives_the_owner_every_location_and_refuses_a_backwards_period(cast, shops, client):
    url = f"/api/v1/mystery/results?programme_id={shops.pk}"
    body = _api(client, cast.owner, url).json()
    assert [(r["location"], r["ranked"]) for r in body["locations"]] == [("cph", True), ("aar", False)]
    first = body["items"][0]
    assert (first["item"], first["failure_rate"]["value"], first["failure_rate"]["n"]) == ("greeted", 40.0, 5)
    wrong = _api(client, cast.owner, url + "&since=2026-12-01&until=2026-11-01")
    assert wrong.status_code == 400 and wrong.json()["field"] == "until"
    assert _api(client, cast.owner, "/api/v1/mystery/results?programme_id=999999").status_code == 404


def test_a_backwards_period_on_the_page_is_a_form_error(cast, shops, client):
    client.force_login(cast.owner)
    response = client.get(f"/mystery/results/?programme={shops.pk}&since=2026-12-01&until=2026-11-01")
    assert response.status_code == 400
    assert "The end comes before the start." in response.content.decode()


def test_a_location_named_like_a_formula_stays_text_in_the_csv(cast, shops, client):
    cast.cph.name = '=HYPERLINK("http://x")'
    cast.cph.save()
    client.force_login(cast.owner)
    rows = list(csv.reader(io.StringIO(client.get("/mystery/results.csv").content.decode())))
    assert any(row[1].startswith("'=") for row in rows[1:])


def test_the_page_and_its_errors_read_in_the_users_language(cast, shops, client):
    client.force_login(cast.manager)
    client.post("/i18n/setlang/", {"language": "da"})
    page = client.get("/mystery/results/", HTTP_ACCEPT_LANGUAGE="da").content.decode()
    assert "Resultater af mystery shopping" in page and "Udvikling pr. måned" in page
    wrong = client.get("/mystery/results/?since=2026-12-01&until=2026-11-01", HTTP_ACCEPT_LANGUAGE="da")
    assert "Slutdatoen ligger før startdatoen." in wrong.content.decode()


def test_the_page_is_a_fixed_number_of_queries_however_many_shops(cast, shops, client, django_assert_max_num_queries):
    client.force_login(cast.owner)
    client.get("/mystery/results/")  # warm the session and caches
    with django_assert_max_num_queries(20):
        assert client.get("/mystery/results/").status_code == 200
