"""A calibration pair counts once in the results, while the calibration view shows both scores.

Copenhagen: a calibration pair in November, Sofie's primary shop 80 (return 10) and Lea's twin 60
(return 3), and Sofie's own shop 70 (return 9); Aarhus: Sofie's 90 (return 9) and 50 (return 5).

    Copenhagen, the primary counted:  (80 + 70) / 2 = 75, n 2   (not (80 + 60 + 70) / 3 = 70, n 3)
    overall:                          (80 + 70 + 90 + 50) / 4 = 72.5, n 4
    Copenhagen, primary excluded:     (60 + 70) / 2 = 65, n 2   (the twin stands in)
    return score, Copenhagen:         answers 10 and 9, both promoters: +100, n 2
    calibration gap:                  |80 − 60| = 20
    leniency (both reports used):     Lea 60 against Sofie's 75 at Copenhagen → −15 (n 1);
                                      Sofie 75 against Lea's 60 → +15 (n 2; Aarhus has no other shopper)
"""

import csv
import io
from datetime import date

import pytest

from exceed.mystery import exports, selectors
from exceed.mystery.models import Report
from exceed.org.scopes import scope_for
from tests.mystery.factories import programme, shopper
from tests.mystery.test_results import _shop


@pytest.fixture
def pair(cast):
    prog = programme(cast, min_shops_ranked=2)
    sofie, lea = shopper("Sofie"), shopper("Lea")
    nov = date(2026, 11, 12)
    primary = _shop(prog, cast.cph, sofie, score=80, greeted=1, returns=1, back=10, visit_date=nov)
    twin = _shop(prog, cast.cph, lea, score=60, greeted=0, returns=1, back=3, visit_date=nov)
    twin.assignment.calibration_of = primary.assignment
    twin.assignment.slot = 1
    twin.assignment.save(update_fields=["calibration_of", "slot"])
    _shop(prog, cast.cph, sofie, score=70, greeted=1, returns=None, back=9, visit_date=nov)
    _shop(prog, cast.aar, sofie, score=90, greeted=1, returns=None, back=9, visit_date=date(2026, 10, 12))
    _shop(prog, cast.aar, sofie, score=50, greeted=0, returns=0, back=5, visit_date=nov)
    return prog, primary


def _locations(cast, prog):
    found = selectors.results_for(scope_for(cast.owner), programme=prog)
    return found, {row.name: row.overall for row in found.locations}


def test_a_calibration_pair_counts_once_in_the_results_as_its_primary_shop(cast, pair):
    prog, _ = pair
    found, by_name = _locations(cast, prog)
    assert (by_name["Copenhagen"].value, by_name["Copenhagen"].n) == (75.0, 2)
    assert (by_name["Aarhus"].value, by_name["Aarhus"].n) == (70.0, 2)
    assert (found.overall.value, found.overall.n) == (72.5, 4)
    # The item failure rates count the pair once too: "greeted" failed only at Aarhus (50).
    greeted = next(row for row in found.items if row["code"] == "greeted")
    assert (greeted["failure_rate"].value, greeted["failure_rate"].n) == (25.0, 4)
    rows = {row[1]: row for row in csv.reader(io.StringIO(exports.results_csv(found)))}
    assert (rows["Copenhagen"][3], rows["Copenhagen"][4]) == ("75.0", "2")  # score, shops


def test_the_twin_counts_in_place_of_a_primary_shop_that_does_not(cast, pair):
    prog, primary = pair
    Report.objects.filter(pk=primary.pk).update(counts=False)
    _, by_name = _locations(cast, prog)
    assert (by_name["Copenhagen"].value, by_name["Copenhagen"].n) == (65.0, 2)


def test_the_shoppers_return_answers_count_the_pair_once(cast, pair):
    figures = selectors.shop_measures(scope_for(cast.owner), location_id=cast.cph.pk)
    assert (figures["return_score"].value, figures["return_score"].n) == (100.0, 2)


def test_the_calibration_view_shows_both_scores_and_the_leniency_index_uses_both(cast, pair):
    owner = scope_for(cast.owner)
    [gap] = selectors.calibration_gaps(owner)
    assert (gap["location"], gap["first"], gap["second"], gap["gap"]) == (cast.cph, 80, 60, 20)
    index = {row["shopper"]: (row["index"], row["n"]) for row in selectors.leniency_index(owner)}
    assert index == {"Sofie": (15.0, 2), "Lea": (-15.0, 1)}


def test_the_owners_page_lists_the_pair_and_says_it_counts_once(cast, pair, client):
    client.force_login(cast.owner)
    page = client.get("/mystery/", HTTP_ACCEPT_LANGUAGE="fi").content.decode()
    assert "80,0 / 60,0" in page and "pari lasketaan yhdeksi haamuasioinniksi" in page
