"""A store manager sends three invitations from the back office in Chromium; the customers receive
them on a real SMTP server and one answers."""

import re

from exceed.feedback.models import InvitationStatus
from tests.browser.conftest import screenshot


def test_a_manager_previews_and_sends_three_invitations_and_sees_one_answered(
    live_server, page, cast, smtp_inbox, settings, immediate_tasks
):
    settings.BASE_URL = live_server.url
    page.goto(live_server.url + "/login/")
    page.get_by_label("Username").fill("mette")
    page.get_by_label("Password").fill("pw-mette")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Invitations").click()
    page.get_by_role("link", name="Send invitations").first.click()

    page.get_by_label("Survey").select_option(str(cast.survey.pk))
    page.get_by_label("Location").select_option(str(cast.cph.pk))
    page.get_by_label("Touchpoint").select_option(str(cast.phone.pk))
    page.get_by_label("Or paste addresses").fill("ana@example.com, fr\nbo@example.com\ncai@example.com, fi")
    page.get_by_label("Remind after (days)").fill("3")
    page.get_by_role("button", name="Preview the email").click()
    assert page.get_by_role("heading", name="The email in each language").is_visible()
    assert "Dit besøg – Copenhagen" in page.content()
    # The framed HTML email loads (under its own policy, which allows the email's inline styles).
    assert page.frame_locator('iframe[title="The email in Suomi"]').get_by_role("link").first.inner_text() != ""
    screenshot(page, "invitations-preview")
    page.get_by_role("button", name="Send", exact=True).click()
    page.wait_for_url("**/invitations/*/")
    assert page.get_by_text("3 invitations are being sent.").is_visible()

    assert sorted(message["To"] for message in smtp_inbox.messages) == [
        "ana@example.com",
        "bo@example.com",
        "cai@example.com",
    ]
    message = next(message for message in smtp_inbox.messages if message["To"] == "bo@example.com")
    link = re.search(r"http://\S+/i/[\w-]+/", smtp_inbox.text_of(message)).group(0)
    customer = page.context.browser.new_page(locale="da-DK")
    customer.goto(link)
    customer.locator("label.scale-point", has_text="10").first.click()
    customer.get_by_text("Bedre end forventet").click()
    customer.get_by_role("button", name="Send").click()
    assert customer.get_by_text("Tak! Vi har modtaget dit svar.").is_visible()
    customer.close()

    page.goto(live_server.url + "/invitations/")
    row = page.locator("tbody tr").first
    assert row.locator("td").nth(6).inner_text() == "1"  # answered
    assert "33.3 %" in row.inner_text()
    screenshot(page, "invitations-list")
    assert cast.cph.invitations.filter(status=InvitationStatus.ANSWERED).count() == 1
