"""The pages work under their Content-Security-Policy: nothing is refused, the chart is drawn, the
language menu and the poster's print button still act."""

from tests.browser.test_owner_dashboard import _answers, _sign_in


def _watch_for_refusals(page) -> list[str]:
    refused = []
    page.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )
    return refused


def test_staff_pages_run_under_the_policy_with_nothing_refused(live_server, page, cast):
    """Reproducer: with `script-src 'self'; style-src 'self'` the language menu's onchange, the
    poster's <style> and onclick, and htmx's own indicator <style> were refused."""
    refused = _watch_for_refusals(page)
    _answers(cast)
    _sign_in(page, live_server.url, "olivia")
    page.wait_for_url("**/dashboard/**")
    page.wait_for_load_state("load")
    assert page.evaluate("() => Boolean(window.Chart && Chart.getChart(document.getElementById('trend-chart')))")

    page.select_option("#ui-language", "fr")  # submits itself, from exceed.js
    page.wait_for_selector("html[lang='fr']", state="attached")

    page.goto(f"{live_server.url}/channels/{cast.cph_link.slug}/poster/")
    page.evaluate("window.print = () => { document.body.dataset.printed = 'yes'; }")
    page.locator("[data-print]").click()
    assert page.evaluate("document.body.dataset.printed") == "yes"
    assert (
        page.locator(".poster h1").evaluate("element => getComputedStyle(element).fontSize") == "40px"
    )  # 30pt, poster.css

    page.goto(f"{live_server.url}/surveys/{cast.survey.slug}/")
    page.goto(f"{live_server.url}/account/two-factor/")
    assert page.locator(".qr svg").is_visible()
    page.goto(f"{live_server.url}/admin/")
    assert refused == []
