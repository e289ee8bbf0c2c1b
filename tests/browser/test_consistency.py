"""The Consistency page in a browser: reached from the menu, the funnel switched to touchpoints by
htmx, both charts drawn as SVG under the Content-Security-Policy, and readable on a phone."""

from tests.browser.conftest import screenshot
from tests.browser.test_content_security_policy import _watch_for_refusals
from tests.browser.test_owner_dashboard import _answers, _sign_in


def test_an_owner_opens_consistency_and_compares_touchpoints(live_server, page, cast):
    refused = _watch_for_refusals(page)
    _answers(cast)
    _sign_in(page, live_server.url, "olivia")
    page.wait_for_url("**/dashboard/**")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Consistency").click()
    page.wait_for_url("**/consistency/**")
    assert page.locator("svg.funnel-chart circle").count() == 3  # Copenhagen, Aarhus, Paris
    assert page.locator("svg.control circle").count() >= 2
    assert "n = 9" in page.locator("#icc").inner_text()

    page.locator("#funnel").get_by_role("link", name="Touchpoints").click()
    page.wait_for_url("**funnel=touchpoint**")
    assert page.locator("svg.funnel-chart circle").count() == 1  # every answer was in store
    # The filter form keeps the grouping: a new period still compares touchpoints.
    page.get_by_role("navigation", name="Period").get_by_role("link", name="Last 90 days").click()
    page.wait_for_url("**period=90**")
    assert "funnel=touchpoint" in page.url
    assert refused == []
    screenshot(page, "consistency")  # last: Playwright's screenshot adds a <style> the policy refuses


def test_the_page_fits_a_phone(live_server, phone, cast):
    _answers(cast)
    # The phone reads Danish: sign in by the fields' names rather than their labels.
    phone.goto(f"{live_server.url}/login/")
    phone.locator("input[name=username]").fill("olivia")
    phone.locator("input[name=password]").fill("pw-olivia")
    phone.locator("form button[type=submit]").last.click()
    phone.wait_for_url("**/dashboard/**")
    phone.goto(f"{live_server.url}/consistency/")
    assert phone.locator("svg.funnel-chart").bounding_box()["width"] <= 390
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
