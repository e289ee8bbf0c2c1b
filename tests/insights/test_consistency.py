"""The Consistency page, its exports and /api/v1/consistency, on answers counted by hand (issue 9).

Small set, all in May 2026 (weeks starting Monday 4 and Monday 11 May):
  week 1  Copenhagen in store 10 (Anders), 8, 9      Aarhus in store 4
  week 2  Copenhagen phone 3                         Aarhus in store 6     Paris in store 9, 7
"""

import csv
import io
import json
from datetime import date

import pytest
from django.urls import reverse

from exceed.api.models import ApiToken
from exceed.feedback.models import ChannelKind
from exceed.feedback.services import response_submit
from tests.conftest import at

PAGE = reverse("insights:consistency")
ALL = {"period": "all"}


def _submit(cast, location, score, day, *, touchpoint=None, people=()):
    response_submit(
        survey=cast.survey,
        location=location,
        touchpoint=touchpoint or cast.in_store,
        raw_answers={"return": score, "expectation": "met"},
        language="da",
        channel_kind=ChannelKind.LINK,
        people=list(people),
        submitted_at=at(2026, 5, day),
    )


@pytest.fixture
def small(cast):
    _submit(cast, cast.cph, 10, 4, people=[cast.anders])
    _submit(cast, cast.cph, 8, 5)
    _submit(cast, cast.cph, 9, 6)
    _submit(cast, cast.aar, 4, 5)
    _submit(cast, cast.cph, 3, 12, touchpoint=cast.phone)
    _submit(cast, cast.aar, 6, 12)
    _submit(cast, cast.par, 9, 13)
    _submit(cast, cast.par, 7, 13)


@pytest.fixture
def apart(cast):
    """Copenhagen: 20 answers of 10 in week 1. Aarhus: 20 answers of 2 in week 2."""
    for i in range(20):
        _submit(cast, cast.cph, 10, 4 + i % 5)
        _submit(cast, cast.aar, 2, 11 + i % 5)


def _figures(client, cast, role, **params):
    client.force_login(cast.roles[role])
    page = client.get(PAGE, {**ALL, **params})
    assert page.status_code == 200
    return page.context["consistency"]


def test_the_spread_and_bottom_box_of_each_store_and_touchpoint_are_the_hand_computed_ones(small, client, cast):
    figures = _figures(client, cast, "owner")
    cells = {(cell["location_label"], cell["touchpoint_label"]): cell for cell in figures.cells}
    assert set(cells) == {
        ("Copenhagen", "In store"),
        ("Copenhagen", "Phone"),
        ("Aarhus", "In store"),
        ("Paris", "In store"),
    }
    # Copenhagen in store 10, 8, 9: Σx = 27, Σx² = 245, Σ(x − 9)² = 245 − 27²/3 = 2, variance 2/2 = 1,
    # SD 1.00, interval 1 ± 1.96·1/√4 = 0.02 … 1.98; none answered 0–6.
    cph = cells[("Copenhagen", "In store")]
    assert (cph["n"], cph["mean"], cph["spread"].value, cph["spread"].low, cph["spread"].high) == (
        3,
        9.0,
        1.0,
        0.02,
        1.98,
    )
    assert cph["bottom_box"].value == 0.0
    # Aarhus 4, 6: mean 5, Σ(x − 5)² = 2, variance 2, SD √2 = 1.41; both answered 0–6.
    aar = cells[("Aarhus", "In store")]
    assert (aar["spread"].value, aar["bottom_box"].value, aar["bottom_box"].n) == (1.41, 100.0, 2)
    assert cells[("Copenhagen", "Phone")]["spread"].value is None  # one answer has no spread
    assert figures.responses == 8


def test_the_intraclass_correlation_is_the_hand_computed_one_for_each_roles_stores(small, client, cast):
    # North (regional): Copenhagen n 4, Σx 30, Σx² 254; Aarhus n 2, Σx 10, Σx² 52. N 6, Σx 40.
    #   SSB = 30²/4 + 10²/2 − 40²/6 = 275 − 266.67 = 8.33 (MSB 8.33 on 1 df)
    #   SSW = 306 − 275 = 31 (MSW 31/4 = 7.75); n₀ = 6 − (16 + 4)/6 = 2.667
    #   ICC = (8.33 − 7.75)/(8.33 + 1.667·7.75) = 0.583/21.25 = 0.0275 → 2.7 %.
    regional = _figures(client, cast, "regional").between["icc"]
    assert (regional.value, regional.n, regional.groups) == (2.7, 6, 2)
    # Everyone (owner) adds Paris n 2, Σx 16, Σx² 130: SSB = 403 − 56²/8 = 11 (MSB 5.5),
    #   SSW = 436 − 403 = 33 (MSW 6.6): MSB < MSW, stores differ less than chance → 0 %.
    owner = _figures(client, cast, "owner").between["icc"]
    assert (owner.value, owner.n, owner.groups) == (0.0, 8, 3)
    # One store (the Copenhagen manager) or one person's answers: nothing to compare.
    assert _figures(client, cast, "manager").between["icc"].value is None
    associate = _figures(client, cast, "associate")
    assert (associate.responses, associate.between["icc"].value) == (1, None)


def test_each_role_sees_only_the_stores_of_its_scope(small, client, cast):
    seen = {
        role: {cell["location_label"] for cell in _figures(client, cast, role).cells}
        for role in ("owner", "regional", "manager", "associate")
    }
    assert seen == {
        "owner": {"Copenhagen", "Aarhus", "Paris"},
        "regional": {"Copenhagen", "Aarhus"},
        "manager": {"Copenhagen"},
        "associate": {"Copenhagen"},
    }
    client.force_login(cast.shopper)
    assert client.get(PAGE).status_code == 403


def test_stores_far_apart_fall_outside_the_funnel_and_the_weeks_outside_the_control_limits(apart, client, cast):
    figures = _figures(client, cast, "owner")
    # Chain: 20 answers of 10 and 20 of 2, score 0; one answer's variance 100²·(0.5 + 0.5 − 0) = 10000.
    # At n = 20: 95 % ±1.96·√500 = ±43.8, 99.8 % ±3.09·√500 = ±69.1; +100 and −100 lie beyond both.
    funnel = figures.funnel
    assert funnel["center"] == 0.0
    points = {point["label"]: point for point in funnel["points"]}
    assert round(points["Copenhagen"]["inner"].high, 1) == 43.8
    assert round(points["Copenhagen"]["outer"].high, 1) == 69.1
    assert {point["label"]: point["position"] for point in funnel["outside"]} == {
        "Copenhagen": "99.8",
        "Aarhus": "99.8",
    }
    # Week by week: 0 of 20, then 20 of 20 answered 0–6; centre 20/40 = 50 %; each week's limits
    # 50 ± 3·√(0.5·0.5/20) = 50 ± 33.5 → 16.5 … 83.5 %; both weeks lie outside.
    weeks = figures.weeks
    assert weeks["center"].value == 50.0
    assert [point["week"] for point in weeks["points"]] == [date(2026, 5, 4), date(2026, 5, 11)]
    assert [(round(p["limits"].low, 1), round(p["limits"].high, 1)) for p in weeks["points"]] == [(16.5, 83.5)] * 2
    assert [point["outside"] for point in weeks["points"]] == [True, True]
    # All the variance lies between the two stores (none within either): ICC 100 %.
    assert figures.between["icc"].value == 100.0
    # Both store × in-store cells have 20 answers and lie outside the chain's in-store limits: 0 of 2.
    assert (figures.headline.value, figures.headline.n) == (0.0, 2)


def test_the_page_draws_both_charts_and_names_what_lies_outside(apart, client, cast):
    client.force_login(cast.owner)
    html = client.get(PAGE, ALL).content.decode()
    assert html.count("<svg") == 2
    assert 'class="dot outside-99-8"' in html
    outside = html.split("outside-list")[1]
    assert "Copenhagen" in outside and "Aarhus" in outside
    assert 'id="adherence"' in html and "mystery shops" in html
    by_touchpoint = client.get(PAGE, {**ALL, "funnel": "touchpoint"}).context["consistency"].funnel
    assert [point["label"] for point in by_touchpoint["points"]] == ["In store"]


def test_the_nav_links_to_consistency_for_staff_only(small, client, cast):
    client.force_login(cast.associate)
    assert PAGE in client.get(reverse("insights:dashboard")).content.decode()
    client.force_login(cast.shopper)
    assert PAGE not in client.get(reverse("home")).content.decode()


def test_the_csv_export_holds_each_cell_with_its_figures_in_scope(small, client, cast):
    client.force_login(cast.regional)
    answer = client.get(reverse("insights:consistency_csv"), ALL)
    rows = list(csv.DictReader(io.StringIO(b"".join(answer.streaming_content).decode().lstrip("\ufeff"))))
    assert {row["location_code"] for row in rows} == {"cph", "aar"}
    cph = next(row for row in rows if row["location_code"] == "cph" and row["touchpoint"] == "In store")
    assert (cph["n"], cph["return_sd"], cph["bottom_box_share"]) == ("3", "1.0", "0.0")


def test_the_excel_export_has_a_sheet_for_each_part(small, client, cast):
    from openpyxl import load_workbook

    client.force_login(cast.owner)
    answer = client.get(reverse("insights:consistency_xlsx"), ALL)
    workbook = load_workbook(io.BytesIO(b"".join(answer.streaming_content)))
    assert workbook.sheetnames == ["Summary", "Cells", "Funnel", "Weeks", "Locations"]
    summary = {row[0]: row[1:] for row in workbook["Summary"].iter_rows(min_row=2, values_only=True)}
    assert summary["icc_between_locations"][:2] == (0.0, 8)
    assert summary["bottom_box_share"][:2] == (37.5, 8)  # 4, 3, 6 of eight answers


def _api(client, cast, role, **params):
    key = ApiToken.issue(user=cast.roles[role])[1]
    return client.get("/api/v1/consistency", {**params}, headers={"Authorization": f"Bearer {key}"})


def test_the_api_states_the_same_figures_by_code_within_the_tokens_scope(small, client, cast):
    body = _api(client, cast, "regional").json()
    assert body["icc_between_locations"]["value"] == 2.7
    assert body["icc_between_locations"]["groups"] == 2
    assert {cell["location"] for cell in body["cells"]} == {"cph", "aar"}
    cph = next(c for c in body["cells"] if c["location"] == "cph" and c["touchpoint"] == "in-store")
    assert cph["return_sd"] == {"value": 1.0, "n": 3, "ci_low": 0.02, "ci_high": 1.98}
    assert [week["week"] for week in body["weeks"]["points"]] == ["2026-05-04", "2026-05-11"]
    touchpoints = _api(client, cast, "owner", funnel="touchpoint").json()["funnel"]
    assert {point["key"] for point in touchpoints["points"]} == {"in-store", "phone"}
    assert _api(client, cast, "shopper").json()["responses"] == 0


def test_the_api_names_an_unknown_funnel_grouping(small, client, cast):
    answer = _api(client, cast, "owner", funnel="region")
    assert answer.status_code == 400
    assert json.loads(answer.content)["field"] == "funnel"


@pytest.mark.parametrize("role", ["regional", "manager", "associate", "shopper", "outsider"])
def test_no_consistency_route_names_paris_to_anyone_but_the_owner(small, client, cast, role):
    from openpyxl import load_workbook

    client.force_login(cast.roles[role])
    page = client.get(PAGE, ALL)
    assert "Paris" not in page.content.decode()
    exported = client.get(reverse("insights:consistency_csv"), ALL)
    if exported.status_code == 200:
        assert "Paris" not in b"".join(exported.streaming_content).decode()
    workbook = client.get(reverse("insights:consistency_xlsx"), ALL)
    if workbook.status_code == 200:
        sheets = load_workbook(io.BytesIO(b"".join(workbook.streaming_content)))
        cells = [str(value) for sheet in sheets for row in sheet.iter_rows(values_only=True) for value in row]
        assert not [value for value in cells if "Paris" in value or value == "par"]
    body = _api(client, cast, role).content.decode()
    assert '"par"' not in body and "Paris" not in body
    # The owner's view of the same routes does name Paris, so the checks above can fail.
    client.force_login(cast.owner)
    assert "Paris" in client.get(PAGE, ALL).content.decode()
    assert '"par"' in _api(client, cast, "owner").content.decode()


def test_the_charts_coordinates_stay_plain_numbers_in_a_language_with_decimal_commas(apart, client, cast):
    import re

    client.force_login(cast.owner)
    html = client.get(PAGE, ALL, headers={"accept-language": "da"}).content.decode()
    assert "Konsistens" in html
    svg = "".join(re.findall(r"<svg.*?</svg>", html, flags=re.S))
    coordinates = re.findall(r'\b(?:cx|cy|x|y|x1|x2|y1|y2|points)="([^"]*)"', svg)
    assert coordinates and not [value for value in coordinates if "," in value and " " not in value]
    assert not [value for value in re.findall(r'\bpoints="([^"]*)"', svg) if re.search(r"\d,\d+,", value)]
