"""An owner builds a survey in Chromium: two questions in English and Danish, sees Danish
incomplete and publishing refused, fills it side by side, previews it on a phone, publishes."""

from playwright.sync_api import expect

from exceed.feedback.models import Response, Survey
from tests.browser.conftest import screenshot
from tests.browser.test_content_security_policy import _watch_for_refusals
from tests.browser.test_owner_dashboard import _sign_in


def test_an_owner_builds_a_two_language_survey_previews_it_on_a_phone_and_publishes_it(live_server, page, cast):
    refused = _watch_for_refusals(page)
    _sign_in(page, live_server.url, "olivia")
    page.wait_for_url("**/dashboard/**")

    page.goto(live_server.url + "/surveys/")
    page.get_by_role("link", name="New survey").click()
    page.get_by_label("Name", exact=True).fill("After delivery")
    page.get_by_label("Dansk").check()
    page.get_by_role("button", name="Create the survey").click()
    page.wait_for_url("**/surveys/after-delivery/")

    page.get_by_label("Kind of question").select_option("csat")
    page.get_by_role("button", name="Add a question").click()
    page.get_by_label("Question (English)").fill("How satisfied are you with the delivery?")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url("**/surveys/after-delivery/")

    page.get_by_label("Kind of question").select_option("choice")
    page.get_by_role("button", name="Add a question").click()
    page.get_by_label("Question (English)").fill("Did it come on time?")
    page.get_by_label("Code of option 1").fill("on_time")
    page.get_by_label("Text (English) 1").fill("On time")
    page.get_by_label("Code of option 2").fill("late")
    page.get_by_label("Text (English) 2").fill("Late")
    screenshot(page, "survey-question")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url("**/surveys/after-delivery/")

    # Danish is incomplete: the title, two questions and two options are all in English only.
    assert "0 of 5 texts translated" in page.locator("#completeness-da").inner_text()
    page.get_by_role("button", name="Publish").click()
    # The page comes back at the same address: wait for the message, not for the URL.
    page.get_by_text('Missing in Danish: Title, Question "csat", Question "choice"').wait_for()
    assert Survey.objects.get(slug="after-delivery").active is False

    # Reordered in place by htmx: the choice question moves above the satisfaction question.
    page.get_by_role("button", name="Move choice up").click()
    expect(page.locator(".question-list tbody tr").first).to_have_id("question-choice")
    screenshot(page, "survey-builder")

    page.locator("#completeness-da").get_by_role("link", name="Translate").click()
    page.wait_for_url("**/translations/**")
    page.get_by_label("Title (Dansk)").fill("Efter leveringen")
    page.get_by_label('Question "choice" (Dansk)').fill("Kom den til tiden?")
    page.get_by_label('Option "on_time" of "choice" (Dansk)').fill("Til tiden")
    page.get_by_label('Option "late" of "choice" (Dansk)').fill("For sent")
    page.get_by_label('Question "csat" (Dansk)').fill("Hvor tilfreds er du med leveringen?")
    page.get_by_role("button", name="Save the translations").click()
    page.get_by_text("The translations were saved.").wait_for()
    screenshot(page, "survey-translations")
    assert page.get_by_text("5 of 5 texts translated").count() == 2

    page.goto(live_server.url + "/surveys/after-delivery/")
    page.get_by_role("link", name="Preview on a phone").click()
    page.get_by_role("link", name="Dansk").click()
    page.wait_for_url("**/phone/?lang=da")
    frame = page.frame_locator("iframe")
    frame.get_by_text("Kom den til tiden?").wait_for()
    assert frame.get_by_text("For sent").is_visible()
    assert frame.locator("html").get_attribute("lang") == "da"
    # The frame is a phone's width, and the respondent page fits it without sideways scrolling.
    assert frame.locator("html").evaluate("() => window.innerWidth") == 390
    assert frame.locator("body").evaluate("body => body.scrollWidth <= window.innerWidth")
    screenshot(page, "survey-phone-preview")
    assert not Response.objects.exists()

    page.goto(live_server.url + "/surveys/after-delivery/")
    page.get_by_role("button", name="Publish").click()
    page.get_by_text("The survey is published").wait_for()
    assert Survey.objects.get(slug="after-delivery").active is True
    assert refused == []
