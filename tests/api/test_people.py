import pytest

from exceed.org.models import Person


def names(response):
    return sorted(person["name"] for person in response.json())


@pytest.mark.parametrize(
    "role, visible",
    [
        ("owner", ["Anders Holm", "Birgitte Lund", "Claire Martin"]),
        ("regional", ["Anders Holm", "Birgitte Lund"]),
        ("manager", ["Anders Holm", "Birgitte Lund"]),
        ("associate", ["Anders Holm"]),
        ("shopper", []),
        ("outsider", []),
    ],
)
def test_each_role_lists_only_the_people_in_its_scope(cast, api_as, role, visible):
    response = api_as(role).get("/people")
    assert response.status_code == 200
    assert names(response) == visible


def test_someone_working_at_two_visible_stores_is_listed_once(cast, api_as):
    cast.birgitte.locations.add(cast.aar)
    assert names(api_as("regional").get("/people")) == ["Anders Holm", "Birgitte Lund"]
    assert next(p for p in api_as("regional").get("/people").json() if p["name"] == "Birgitte Lund")["locations"] == [
        "aar",
        "cph",
    ]


def test_people_can_be_filtered_by_location_code(cast, api_as):
    assert names(api_as("owner").get("/people", location="par")) == ["Claire Martin"]


def test_a_person_is_shown_with_their_location_codes(cast, api_as):
    response = api_as("manager").get(f"/people/{cast.anders.pk}")
    assert response.status_code == 200
    assert response.json()["locations"] == ["cph"] and response.json()["job_role"] == "Sales associate"


@pytest.mark.parametrize(
    "role, who", [("manager", "claire"), ("associate", "birgitte"), ("shopper", "anders"), ("outsider", "anders")]
)
def test_a_person_outside_the_scope_is_not_found(cast, api_as, role, who):
    assert api_as(role).get(f"/people/{getattr(cast, who).pk}").status_code == 404


def test_a_manager_adds_a_person_to_their_store(cast, api_as):
    response = api_as("manager").post(
        "/people", {"name": "Dorte Friis", "locations": ["cph"], "email": "dorte@example.com", "external_ref": "E-77"}
    )
    assert response.status_code == 201
    person = Person.objects.get(external_ref="E-77")
    assert list(person.locations.values_list("code", flat=True)) == ["cph"]
    assert response.json()["id"] == person.pk


@pytest.mark.parametrize("role, locations", [("manager", ["par"]), ("manager", ["cph", "aar"]), ("regional", ["par"])])
def test_a_manager_cannot_add_a_person_outside_their_scope(cast, api_as, role, locations):
    response = api_as(role).post("/people", {"name": "Dorte Friis", "locations": locations})
    assert response.status_code == 403 and response.json()["field"] == "locations"
    assert not Person.objects.filter(name="Dorte Friis").exists()


@pytest.mark.parametrize("role", ["associate", "shopper", "outsider"])
def test_only_managers_add_people(cast, api_as, role):
    assert api_as(role).post("/people", {"name": "Dorte Friis", "locations": ["cph"]}).status_code == 403
    assert not Person.objects.filter(name="Dorte Friis").exists()


@pytest.mark.parametrize(
    "body, status, field",
    [
        ({"name": "", "locations": ["cph"]}, 422, "name"),
        ({"name": "   ", "locations": ["cph"]}, 400, "name"),
        ({"name": "D", "locations": ["nowhere"]}, 400, "locations"),
        ({"name": "D", "locations": "cph"}, 422, "locations"),
        ({"name": "D", "locations": ["cph"], "email": "not-an-email"}, 422, "email"),
        ({"name": "D", "locations": ["cph"], "external_ref": "x" * 65}, 422, "external_ref"),
        ({"name": "D", "locations": []}, 400, "locations"),
    ],
)
def test_bad_person_input_is_refused_naming_the_field(cast, api_as, body, status, field):
    response = api_as("manager").post("/people", body)
    assert response.status_code == status, response.json()
    assert response.json()["field"] == field
    assert Person.objects.count() == 3


def test_a_repeated_employee_number_is_refused(cast, api_as):
    cast.claire.external_ref = "E-1"
    cast.claire.save()
    response = api_as("owner").post("/people", {"name": "D", "locations": ["cph"], "external_ref": "E-1"})
    assert response.status_code == 400 and response.json()["field"] == "external_ref"
    response = api_as("owner").patch(f"/people/{cast.anders.pk}", {"external_ref": "E-1"})
    assert response.status_code == 400 and response.json()["field"] == "external_ref"
    cast.anders.refresh_from_db()
    assert cast.anders.external_ref is None


def test_a_manager_updates_a_person_of_their_store(cast, api_as):
    response = api_as("manager").patch(f"/people/{cast.birgitte.pk}", {"job_role": "Floor lead", "active": False})
    assert response.status_code == 200
    cast.birgitte.refresh_from_db()
    assert (cast.birgitte.job_role, cast.birgitte.active) == ("Floor lead", False)


def test_a_regional_manager_moves_a_person_between_their_stores(cast, api_as):
    response = api_as("regional").patch(f"/people/{cast.birgitte.pk}", {"locations": ["aar"]})
    assert response.status_code == 200 and response.json()["locations"] == ["aar"]


def test_a_manager_cannot_take_a_person_out_of_another_managers_store(cast, api_as):
    cast.birgitte.locations.add(cast.par)
    response = api_as("manager").patch(f"/people/{cast.birgitte.pk}", {"locations": ["cph"]})
    assert response.status_code == 403 and response.json()["field"] == "locations"
    assert sorted(cast.birgitte.locations.values_list("code", flat=True)) == ["cph", "par"]


def test_an_associate_cannot_update_even_themselves(cast, api_as):
    response = api_as("associate").patch(f"/people/{cast.anders.pk}", {"job_role": "Boss"})
    assert response.status_code == 403
    cast.anders.refresh_from_db()
    assert cast.anders.job_role == "Sales associate"


def test_a_manager_cannot_update_someone_they_cannot_see(cast, api_as):
    assert api_as("manager").patch(f"/people/{cast.claire.pk}", {"job_role": "x"}).status_code == 404
