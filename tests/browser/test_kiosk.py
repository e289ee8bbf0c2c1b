from exceed.feedback.models import Response
from tests.browser.conftest import screenshot


def test_the_store_tablet_returns_to_a_fresh_survey_after_each_answer(live_server, browser, cast):
    tablet = browser.new_context(viewport={"width": 1024, "height": 768}, locale="en-GB").new_page()
    kiosk = f"{live_server.url}/k/{cast.cph_kiosk.slug}/"
    tablet.goto(f"{kiosk}?key={cast.cph_kiosk.kiosk_key}")
    # The key is moved into the session and out of the address bar.
    assert tablet.url == kiosk

    for score in ("10", "4"):
        tablet.locator("label.scale-point", has_text=score).first.click()
        tablet.locator("input[name=q_expectation][value=met]").check()
        tablet.get_by_role("button", name="Send").click()
        assert tablet.locator("#next-customer").is_visible()
        if score == "10":
            screenshot(tablet, "kiosk-thanks")
        # No one touches the tablet: it goes back to an empty survey by itself.
        tablet.wait_for_selector("form.survey-form", timeout=10000)
        assert tablet.url == kiosk
        assert tablet.locator("input[name=q_return]:checked").count() == 0

    assert sorted(Response.objects.values_list("return_likelihood", flat=True)) == [4, 10]
    assert set(Response.objects.values_list("channel_kind", flat=True)) == {"kiosk"}
    tablet.context.close()
