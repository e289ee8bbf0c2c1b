"""Open shops near the shopper first: the distance from their home point by the haversine formula,
shops beyond their range under "Further away", stores without coordinates last, and stores where
they are known never shown."""

import pytest

from exceed.mystery.models import Shopper
from exceed.mystery.selectors import distance_km
from exceed.mystery.services.assignments import assignments_generate
from exceed.org.models import Location
from tests.mystery.factories import programme

COPENHAGEN = (55.6761, 12.5683)
AARHUS = (56.1629, 10.2039)
PARIS = (48.8566, 2.3522)


def test_the_distance_matches_hand_computed_great_circle_distances():
    # By hand (haversine, R = 6371 km): Copenhagen–Aarhus 157 km, Copenhagen–Paris 1028 km.
    assert distance_km(*COPENHAGEN, *AARHUS) == pytest.approx(157.0, abs=1.0)
    assert distance_km(*COPENHAGEN, *PARIS) == pytest.approx(1028.0, abs=2.0)
    assert distance_km(*AARHUS, *AARHUS) == 0.0


def _place(location, point):
    Location.objects.filter(pk=location.pk).update(latitude=point[0], longitude=point[1])


def _shopper_at(cast, client, point, travel_km=None, known_at=()):
    shopper = Shopper.objects.create(
        user=cast.shopper,
        display_name="Sofie",
        terms_accepted_at="2026-01-01T00:00Z",
        terms_text="t",
        home_latitude=point[0] if point else None,
        home_longitude=point[1] if point else None,
        travel_km=travel_km,
    )
    shopper.excluded_locations.set(known_at)
    client.force_login(cast.shopper)
    return client.get("/mystery/shop/").content.decode()


def _open_part(page):
    return page.split("Open shops you may claim", 1)[1]


def test_open_shops_are_sorted_by_distance_and_those_beyond_the_range_are_further_away(cast, client):
    programme(cast)
    assignments_generate()
    _place(cast.cph, COPENHAGEN)
    _place(cast.aar, AARHUS)
    _place(cast.par, PARIS)
    page = _open_part(_shopper_at(cast, client, AARHUS, travel_km=200))
    near, further = page.split("Further away", 1)
    assert near.index("Aarhus") < near.index("Copenhagen")
    assert "0.0 km" in near and "156.9 km" in near  # ≈ 157 km, as computed by hand
    assert "Paris" not in near and "Paris" in further and "km" in further


def test_stores_without_coordinates_come_last_and_known_stores_never_show(cast, client):
    programme(cast)
    assignments_generate()
    _place(cast.cph, COPENHAGEN)
    _place(cast.aar, AARHUS)  # Paris has no coordinates
    page = _open_part(_shopper_at(cast, client, COPENHAGEN, known_at=[cast.aar]))
    assert "Aarhus" not in page  # known there: never offered, however near
    assert "Further away" not in page  # no range given: nothing is too far
    assert page.index("Copenhagen") < page.index("Paris")


def test_without_a_home_point_the_list_shows_no_distances(cast, client):
    programme(cast)
    assignments_generate()
    _place(cast.cph, COPENHAGEN)
    page = _open_part(_shopper_at(cast, client, None))
    assert "Copenhagen" in page and " km" not in page


def test_the_owner_gives_a_store_its_coordinates_on_the_store_page_and_a_bad_one_is_refused(cast, client):
    client.force_login(cast.owner)
    fields = {"name": "Aarhus", "region": cast.north.pk, "timezone": "Europe/Copenhagen", "default_language": "da"}
    fields["active"] = "on"
    saved = client.post("/stores/aar/", {**fields, "latitude": "56.1629", "longitude": "10.2039"})
    assert saved.status_code == 302
    cast.aar.refresh_from_db()
    assert (cast.aar.latitude, cast.aar.longitude) == (56.1629, 10.2039)
    refused = client.post("/stores/aar/", {**fields, "latitude": "156", "longitude": "10.2039"})
    assert refused.status_code in (200, 400) and "less than or equal to 90" in refused.content.decode()
    cast.aar.refresh_from_db()
    assert cast.aar.latitude == 56.1629


def test_a_shopper_sets_their_home_point_and_range_and_bad_values_are_refused(cast, client):
    shopper = Shopper.objects.create(user=cast.shopper, display_name="Sofie", terms_accepted_at="2026-01-01T00:00Z")
    client.force_login(cast.shopper)
    page = client.get("/mystery/shop/profile/").content.decode()
    assert "Use my position" in page and "mystery/position.js" in page
    response = client.post(
        "/mystery/shop/profile/", {"home_latitude": "55,6761", "home_longitude": "12.5683", "travel_km": "40"}
    )
    assert response.status_code == 302
    shopper.refresh_from_db()
    assert (shopper.home_latitude, shopper.home_longitude, shopper.travel_km) == (55.6761, 12.5683, 40)
    for bad, words in (
        ({"home_latitude": "95", "home_longitude": "12", "travel_km": ""}, "from -90 to 90"),
        ({"home_latitude": "55", "home_longitude": "", "travel_km": ""}, "or neither"),
        ({"home_latitude": "55", "home_longitude": "12", "travel_km": "2.5"}, "whole number"),
        ({"home_latitude": "north", "home_longitude": "12", "travel_km": ""}, "Please give a number"),
    ):
        refused = client.post("/mystery/shop/profile/", bad)
        assert refused.status_code == 400 and words in refused.content.decode(), bad
    shopper.refresh_from_db()
    assert (shopper.home_latitude, shopper.travel_km) == (55.6761, 40)
