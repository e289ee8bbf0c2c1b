"""An owner adds a store and an employee in Chromium, prints the new store's poster, and the
organisation pages fit a phone without sideways scrolling (tables scroll inside themselves)."""

from tests.browser.conftest import screenshot


def _fits_the_width(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_an_owner_adds_a_store_and_an_employee_and_prints_the_new_stores_poster(live_server, page, cast):
    page.goto(live_server.url + "/login/")
    page.get_by_label("Username").fill("olivia")
    page.get_by_label("Password").fill("pw-olivia")
    page.get_by_role("button", name="Sign in").click()

    page.get_by_role("link", name="Stores", exact=True).click()
    page.get_by_role("link", name="Add a store").click()
    page.get_by_label("Code").fill("odense")
    page.get_by_label("Name", exact=True).fill("Odense")
    page.get_by_label("Region").select_option(label="North")
    page.get_by_label("Time zone").select_option("Europe/Copenhagen")
    page.get_by_label("Default language").select_option("da")
    page.get_by_role("button", name="Add").click()
    page.wait_for_url("**/stores/odense/")
    assert page.get_by_text("The store Odense was created with its survey link and poster.").is_visible()
    screenshot(page, "store-new")
    page.get_by_role("link", name="Poster").click()
    page.wait_for_url("**/poster/")

    page.goto(live_server.url + "/people/")
    page.get_by_role("link", name="Add a person").click()
    page.get_by_label("Name", exact=True).fill("Jonas Berg")
    page.get_by_label("Odense").check()
    page.get_by_label("Employee number").fill("ODE-001")
    page.get_by_role("button", name="Add").click()
    page.wait_for_url("**/people/")
    assert page.locator("tr", has_text="Jonas Berg").get_by_text("Odense").is_visible()

    page.set_viewport_size({"width": 390, "height": 844})
    for path in ("/stores/", "/people/", "/touchpoints/", "/stores/odense/"):
        page.goto(live_server.url + path)
        assert _fits_the_width(page), path
