"""The dashboard on a phone and a laptop: folded filters, the first figure in view, breakdown rows
that lead to their responses, and the change on the previous period (issue 8, item 7)."""

import re

from tests.browser.audit import LARGE, PHONE
from tests.browser.test_staff_pages_audit import _chain, _owner_page


def test_on_a_phone_the_filters_fold_away_and_the_first_figure_is_in_view(live_server, browser, cast):
    _chain(cast)
    phone = _owner_page(browser, live_server, PHONE)
    disclosure = phone.locator("details.filter-disclosure")
    assert not disclosure.evaluate("d => d.open")
    first = phone.locator(".headline .value").first.bounding_box()
    assert first["y"] + first["height"] <= PHONE["height"]

    # Opened and used, the filters stay open while htmx swaps the figures below them.
    disclosure.locator("summary").click()
    phone.locator("select[name=location]").select_option(label="Paris")
    phone.wait_for_url(re.compile(r"location="))
    phone.wait_for_selector("details.filter-disclosure[open] summary >> text=(1 chosen)")
    phone.context.close()


def test_on_a_laptop_the_filters_are_open_and_the_headline_compares_with_the_previous_period(
    live_server, browser, cast
):
    _chain(cast)
    page = _owner_page(browser, live_server, LARGE)
    assert page.locator("details.filter-disclosure").evaluate("d => d.open")
    headline = page.locator(".headline").inner_text()
    assert "on the previous period" in headline
    assert "noise" in headline
    page.context.close()


def test_a_breakdown_row_leads_to_the_responses_behind_it_by_link_or_by_row(live_server, browser, cast):
    _chain(cast)
    page = _owner_page(browser, live_server, LARGE)
    location_table = page.locator(".breakdown-location")
    counted = int(location_table.locator("tbody tr", has_text="Paris").locator("td").last.inner_text())
    # The name is a real link: the keyboard follows it.
    location_table.get_by_role("link", name="Paris").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/responses/\?location={cast.par.pk}$"))
    listed = page.locator("table.responses tbody tr")
    assert listed.count() == counted > 0
    assert page.locator("select[name=location]").evaluate("s => s.selectedOptions[0].textContent") == "Paris"

    # A click anywhere on a row does the same (an enhancement).
    page.go_back()
    page.locator(".breakdown-location tbody tr", has_text="Aarhus").locator("td").last.click()
    page.wait_for_url(re.compile(rf"/responses/\?location={cast.aar.pk}$"))
    page.context.close()


def test_a_wide_table_on_a_phone_scrolls_inside_its_box_by_keyboard(live_server, browser, cast):
    _chain(cast)
    phone = _owner_page(browser, live_server, PHONE)
    phone.goto(f"{live_server.url}/responses/")
    region = phone.get_by_role("region", name="Responses")
    assert region.evaluate("r => r.scrollWidth > r.clientWidth")  # wider than the phone
    region.focus()
    # Arrow keys scroll the focused box; press until it moves no further.
    previous = -1
    for _ in range(80):
        phone.keyboard.press("ArrowRight")
        phone.wait_for_timeout(30)
        now = region.evaluate("r => r.scrollLeft")
        if now == previous:
            break
        previous = now
    assert previous > 0
    # The last column is now in view, and the page itself never moved sideways.
    last = phone.locator("table.responses thead th").last.bounding_box()
    assert last["x"] + last["width"] <= PHONE["width"] + 1
    assert phone.evaluate("window.scrollX") == 0
    phone.context.close()


def test_on_a_phone_the_case_list_shows_a_case_before_its_folded_filters_are_opened(live_server, browser, cast):
    _chain(cast)
    phone = _owner_page(browser, live_server, PHONE)
    phone.goto(f"{live_server.url}/recovery/")
    assert not phone.locator("details.filter-disclosure").evaluate("d => d.open")
    first = phone.locator("table.cases tbody tr").first.bounding_box()
    assert first["y"] < PHONE["height"]
    # Filters in use stay in sight.
    phone.goto(f"{live_server.url}/recovery/?location={cast.par.pk}")
    assert phone.locator("details.filter-disclosure").evaluate("d => d.open")
    phone.context.close()
