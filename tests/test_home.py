def test_staff_land_on_their_dashboard(cast, client):
    client.force_login(cast.manager)
    assert client.get("/")["Location"] == "/dashboard/"


def test_a_mystery_shopper_lands_on_a_page_for_shoppers_not_a_bare_403(cast, client):
    client.force_login(cast.shopper)
    page = client.get("/")
    assert page.status_code == 200 and "mystery-shopping assignments" in page.content.decode()
    refused = client.get("/dashboard/")
    assert refused.status_code == 403 and "No access" in refused.content.decode()


def test_signing_in_leads_home(cast, client):
    page = client.post("/login/", {"username": "sofie", "password": "pw-sofie"})
    assert page["Location"] == "/"
