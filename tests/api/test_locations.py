import pytest

from exceed.org.models import Location, Region

NEW = {"code": "tll", "name": "Tallinn", "region": "north", "timezone": "Europe/Tallinn", "default_language": "et"}


def codes(response):
    return sorted(location["code"] for location in response.json())


@pytest.mark.parametrize(
    "role, visible",
    [
        ("owner", ["aar", "cph", "par"]),
        ("regional", ["aar", "cph"]),
        ("manager", ["cph"]),
        ("associate", ["cph"]),
        ("shopper", []),
        ("outsider", []),
    ],
)
def test_each_role_lists_only_the_locations_in_its_scope(cast, api_as, role, visible):
    response = api_as(role).get("/locations")
    assert response.status_code == 200
    assert codes(response) == visible


def test_a_location_is_shown_with_its_region_code_and_time_zone(cast, api_as):
    response = api_as("manager").get("/locations/cph")
    assert response.status_code == 200
    assert response.json() | {} == {
        "code": "cph",
        "name": "Copenhagen",
        "region": "north",
        "region_name": "North",
        "timezone": "Europe/Copenhagen",
        "default_language": "da",
        "address": "",
        "active": True,
    }


@pytest.mark.parametrize(
    "role, code",
    [("manager", "par"), ("regional", "par"), ("associate", "aar"), ("shopper", "cph"), ("owner", "nowhere")],
)
def test_a_location_outside_the_scope_is_not_found(cast, api_as, role, code):
    response = api_as(role).get(f"/locations/{code}")
    assert response.status_code == 404
    assert response.json()["detail"]


def test_an_owner_creates_a_location(cast, api_as):
    response = api_as("owner").post("/locations", NEW)
    assert response.status_code == 201
    assert response.json()["region"] == "north"
    assert Location.objects.get(code="tll").timezone == "Europe/Tallinn"


def test_an_owner_creates_a_location_in_a_new_region_by_naming_it(cast, api_as):
    response = api_as("owner").post("/locations", NEW | {"region": "baltic", "region_name": "Baltic"})
    assert response.status_code == 201
    assert Region.objects.get(code="baltic").name == "Baltic"


@pytest.mark.parametrize("role", ["regional", "manager", "associate", "shopper", "outsider"])
def test_only_owners_create_locations(cast, api_as, role):
    response = api_as(role).post("/locations", NEW)
    assert response.status_code == 403
    assert not Location.objects.filter(code="tll").exists()


@pytest.mark.parametrize(
    "changes, status, field",
    [
        ({"code": "cph"}, 400, "code"),
        ({"code": "two words"}, 422, "code"),
        ({"code": "x" * 33}, 422, "code"),
        ({"name": ""}, 422, "name"),
        ({"name": "x" * 121}, 422, "name"),
        ({"region": "east"}, 400, "region"),
        ({"timezone": "Mars/Olympus"}, 400, "timezone"),
        ({"default_language": "de"}, 400, "default_language"),
    ],
)
def test_bad_location_input_is_refused_naming_the_field(cast, api_as, changes, status, field):
    response = api_as("owner").post("/locations", NEW | changes)
    assert response.status_code == status, response.json()
    assert response.json()["field"] == field
    assert Location.objects.count() == 3
    assert not Region.objects.filter(code="east").exists()


def test_an_owner_updates_a_location(cast, api_as):
    response = api_as("owner").patch("/locations/par", {"name": "Paris Opéra", "region": "north", "active": False})
    assert response.status_code == 200
    cast.par.refresh_from_db()
    assert (cast.par.name, cast.par.region, cast.par.active) == ("Paris Opéra", cast.north, False)


@pytest.mark.parametrize(
    "changes, status, field",
    [
        ({"timezone": "Nowhere"}, 400, "timezone"),
        ({"region": "east"}, 400, "region"),
        ({"name": None}, 400, "name"),
        ({"active": "maybe"}, 422, "active"),
    ],
)
def test_a_bad_update_is_refused_and_changes_nothing(cast, api_as, changes, status, field):
    response = api_as("owner").patch("/locations/cph", changes)
    assert response.status_code == status and response.json()["field"] == field
    cast.cph.refresh_from_db()
    assert (cast.cph.timezone, cast.cph.region, cast.cph.name) == ("Europe/Copenhagen", cast.north, "Copenhagen")


@pytest.mark.parametrize(
    "role, status", [("regional", 403), ("manager", 403), ("associate", 403), ("shopper", 404), ("outsider", 404)]
)
def test_only_owners_update_locations(cast, api_as, role, status):
    response = api_as(role).patch("/locations/cph", {"name": "Renamed"})
    assert response.status_code == status
    cast.cph.refresh_from_db()
    assert cast.cph.name == "Copenhagen"
