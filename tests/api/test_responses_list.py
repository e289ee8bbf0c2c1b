import pytest

from exceed.feedback.services import response_submit
from tests.conftest import at


def ids(response):
    return [item["id"] for item in response.json()["items"]]


@pytest.mark.parametrize(
    "role, visible",
    [
        ("owner", ["par", "aar", "cph_plain", "cph_birgitte", "cph_anders"]),
        ("regional", ["aar", "cph_plain", "cph_birgitte", "cph_anders"]),
        ("manager", ["cph_plain", "cph_birgitte", "cph_anders"]),
        ("associate", ["cph_anders"]),
        ("shopper", []),
        ("outsider", []),
    ],
)
def test_each_role_lists_only_the_responses_in_its_scope_newest_first(cast, api_as, feedback, role, visible):
    response = api_as(role).get("/responses")
    assert response.status_code == 200
    assert ids(response) == [feedback[name].pk for name in visible]


def test_a_response_is_listed_with_codes_people_and_answers(cast, api_as, feedback):
    (item,) = api_as("owner").get("/responses", location="cph", touchpoint="in-store").json()["items"]
    assert item["location"] == "cph" and item["touchpoint"] == "in-store" and item["survey"] == "visit"
    assert item["people"] == [cast.anders.pk]
    assert item["answers"] == {"return": 10, "expectation": "met", "contact": True}
    assert item["contact_email"] == "k@example.com"


def test_an_associate_sees_their_feedback_but_not_the_customers_contact_details(cast, api_as, feedback):
    (item,) = api_as("associate").get("/responses").json()["items"]
    assert item["contact_consent"] and item["contact_email"] is None


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"date_from": "2026-04-02", "date_to": "2026-04-04"}, ["aar", "cph_plain", "cph_birgitte"]),
        ({"region": "south"}, ["par"]),
        ({"location": "aar"}, ["aar"]),
        ({"touchpoint": "phone"}, ["cph_birgitte"]),
        ({"channel": "kiosk"}, ["cph_plain"]),
        ({"language": "en"}, ["cph_birgitte"]),
    ],
)
def test_responses_are_filtered_by_codes(cast, api_as, feedback, params, expected):
    assert ids(api_as("owner").get("/responses", **params)) == [feedback[name].pk for name in expected]


def test_responses_are_filtered_by_person_id(cast, api_as, feedback):
    assert ids(api_as("owner").get("/responses", person=cast.claire.pk)) == [feedback["par"].pk]


def test_a_filter_cannot_widen_the_scope(cast, api_as, feedback):
    assert ids(api_as("manager").get("/responses", location="par")) == []
    assert ids(api_as("associate").get("/responses", person=cast.birgitte.pk)) == []


def test_the_cursor_walks_every_response_once_even_with_equal_timestamps(cast, api_as, feedback):
    for n in range(3):  # three more at exactly the same instant as "aar"
        response_submit(
            survey=cast.survey,
            location=cast.aar,
            raw_answers={"return": n, "expectation": "met"},
            language="da",
            channel_kind="api",
            submitted_at=at(2026, 4, 4),
        )
    caller = api_as("owner")
    seen, cursor, pages = [], None, 0
    while True:
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = caller.get("/responses", **params).json()
        seen += [item["id"] for item in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert pages == 4
    assert len(seen) == len(set(seen)) == 8
    assert seen == ids(caller.get("/responses", limit=500))


def test_a_response_arriving_between_pages_does_not_shift_the_next_page(cast, api_as, feedback):
    caller = api_as("owner")
    first = caller.get("/responses", limit=2).json()
    response_submit(
        survey=cast.survey,
        location=cast.cph,
        raw_answers={"return": 9, "expectation": "met"},
        language="da",
        channel_kind="api",
    )
    second = caller.get("/responses", limit=2, cursor=first["next_cursor"]).json()
    assert [item["id"] for item in second["items"]] == [feedback["cph_plain"].pk, feedback["cph_birgitte"].pk]


@pytest.mark.parametrize(
    "params, field",
    [
        ({"limit": 501}, "limit"),
        ({"limit": 0}, "limit"),
        ({"cursor": "garbage!"}, "cursor"),
        ({"cursor": "WyJ4IiwxXQ"}, "cursor"),
        ({"date_from": "April"}, "date_from"),
        ({"date_from": "2026-04-05", "date_to": "2026-04-01"}, "date_to"),
        ({"region": "east"}, "region"),
        ({"location": "nowhere"}, "location"),
        ({"touchpoint": "teleport"}, "touchpoint"),
        ({"person": "anders"}, "person"),
        ({"channel": "pigeon"}, "channel"),
        ({"language": "xx"}, "language"),
    ],
)
def test_bad_list_parameters_are_refused_naming_the_field(cast, api_as, feedback, params, field):
    response = api_as("owner").get("/responses", **params)
    assert 400 <= response.status_code < 500
    assert response.json()["field"] == field


def test_listing_responses_takes_a_fixed_number_of_queries(cast, api_as, feedback, django_assert_max_num_queries):
    caller = api_as("owner")
    caller.get("/responses")
    with django_assert_max_num_queries(9):
        assert len(caller.get("/responses").json()["items"]) == 5
