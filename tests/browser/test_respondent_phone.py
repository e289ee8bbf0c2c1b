from exceed.feedback.models import Response
from tests.browser.conftest import screenshot


def test_a_customer_answers_in_danish_on_a_phone(live_server, phone, cast):
    phone.goto(f"{live_server.url}/s/{cast.cph_link.slug}/")
    # The phone asks for Danish (locale da-DK), so the survey speaks Danish.
    assert phone.get_by_text("Hvor sandsynligt er det, at du kommer igen").is_visible()
    phone.locator("label.scale-point", has_text="9").first.click()
    phone.get_by_text("Bedre end forventet").click()
    phone.locator("textarea").fill("Anders fandt den rigtige størrelse til mig.")
    phone.get_by_label("Anders Holm").check()
    screenshot(phone, "survey-phone-da")
    phone.get_by_role("button", name="Send").click()
    phone.wait_for_url("**/thanks/**")
    assert phone.get_by_text("Tak! Vi har modtaget dit svar.").is_visible()
    response = Response.objects.get()
    assert (response.language, response.return_likelihood, response.expectation) == ("da", 9, 1)
    assert list(response.people.all()) == [cast.anders]
