import pytest


def figures(row):
    return {name: row[name]["value"] for name in ("return_score", "expectation_index", "csat")} | {
        "n": row["return_score"]["n"]
    }


def test_the_owner_gets_the_headline_figures_with_intervals(cast, api_as, feedback):
    response = api_as("owner").get("/measures")
    assert response.status_code == 200
    (row,) = response.json()
    # Scores 10, 7, 3, 9, 8: two promoters, one detractor of five.
    assert row["responses"] == 5
    assert row["return_score"]["value"] == 20.0 and row["return_score"]["n"] == 5
    assert row["return_score"]["ci_low"] < 20.0 < row["return_score"]["ci_high"]
    assert row["expectation_index"] == {"value": 0.0, "n": 5, "ci_low": 0.0, "ci_high": 0.0}
    assert row["csat"] == {"value": None, "n": 0, "ci_low": None, "ci_high": None}
    assert row["group"] == {}


@pytest.mark.parametrize(
    "role, responses, score",
    [
        ("owner", 5, 20.0),
        ("regional", 4, 25.0),
        ("manager", 3, 0.0),
        ("associate", 1, 100.0),
        ("shopper", 0, None),
        ("outsider", 0, None),
    ],
)
def test_each_role_measures_only_its_scope(cast, api_as, feedback, role, responses, score):
    (row,) = api_as(role).get("/measures").json()
    assert (row["responses"], row["return_score"]["value"]) == (responses, score)


def test_grouping_by_location_names_locations_by_code(cast, api_as, feedback):
    rows = api_as("regional").get("/measures", group_by="location").json()
    assert [(row["group"]["location"], row["group"]["location_label"], row["responses"]) for row in rows] in (
        [("aar", "Aarhus", 1), ("cph", "Copenhagen", 3)],
        [("cph", "Copenhagen", 3), ("aar", "Aarhus", 1)],
    )


def test_grouping_by_region_and_week(cast, api_as, feedback):
    rows = api_as("owner").get("/measures", group_by="region,week").json()
    groups = sorted((row["group"]["region"], row["group"]["week"], row["responses"]) for row in rows)
    # 1–4 April 2026 fall in the week of Monday 30 March; Sunday 5 April too.
    assert groups == [("north", "2026-03-30", 4), ("south", "2026-03-30", 1)]


def test_grouping_by_touchpoint_shows_responses_without_one_as_null(cast, api_as, feedback):
    rows = api_as("manager").get("/measures", group_by="touchpoint").json()
    assert sorted((row["group"]["touchpoint"] or "", row["responses"]) for row in rows) == [
        ("", 1),
        ("in-store", 1),
        ("phone", 1),
    ]


def test_grouping_by_person_counts_the_responses_naming_each(cast, api_as, feedback):
    rows = api_as("owner").get("/measures", group_by="person").json()
    assert sorted((row["group"]["person"], row["responses"]) for row in rows) == sorted(
        [(cast.anders.pk, 1), (cast.birgitte.pk, 1), (cast.claire.pk, 1)]
    )
    assert api_as("manager").get("/measures", group_by="person", location="par").json() == []


def test_measures_take_the_same_filters_as_responses(cast, api_as, feedback):
    (row,) = api_as("owner").get("/measures", location="cph", date_from="2026-04-02", channel="link").json()
    assert row["responses"] == 1 and row["return_score"]["value"] == 0.0


@pytest.mark.parametrize(
    "params, field",
    [
        ({"group_by": "colour"}, "group_by"),
        ({"group_by": "location,colour"}, "group_by"),
        ({"group_by": "location,location"}, "group_by"),
        ({"location": "nowhere"}, "location"),
        ({"region": "east"}, "region"),
        ({"date_to": "31/12/2026"}, "date_to"),
        ({"channel": "pigeon"}, "channel"),
    ],
)
def test_bad_measure_parameters_are_refused_naming_the_field(cast, api_as, feedback, params, field):
    response = api_as("owner").get("/measures", **params)
    assert 400 <= response.status_code < 500
    assert response.json()["field"] == field
