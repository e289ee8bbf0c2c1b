"""Whether a person's name is shown to customers is recorded through the API (issue 7, item 3)."""


def test_someone_new_is_not_shown_until_a_manager_records_their_agreement_through_the_api(cast, api_as):
    created = api_as("manager").post("/people", {"name": "Niels Ny", "locations": ["cph"]})
    assert created.status_code == 201 and created.json()["shown_to_customers"] is False
    changed = api_as("manager").patch(f"/people/{created.json()['id']}", {"shown_to_customers": True})
    assert changed.status_code == 200 and changed.json()["shown_to_customers"] is True
    assert api_as("manager").patch(f"/people/{created.json()['id']}", {"shown_to_customers": None}).status_code == 400
