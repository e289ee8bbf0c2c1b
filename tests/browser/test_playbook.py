"""The playbook at the point of work, in Chromium: an associate on a phone finds "late delivery",
reads it in Finnish and acknowledges it; the owner publishes a new version; the store's coverage
drops; the store manager sends a reminder, which arrives by email."""

from exceed.standards.models import Acknowledgement, EntryStatus, PlaybookEntry
from tests.browser.conftest import screenshot
from tests.standards.conftest import playbook  # noqa: F401  (the fixture)


def _sign_in(page, url, username):
    page.goto(f"{url}/login/?next=/standards/")
    page.fill("#id_username", username)
    page.fill("#id_password", f"pw-{username}")
    page.locator("button[type=submit]").click()
    page.wait_for_url(f"{url}/standards/")


def test_an_associate_acknowledges_on_a_phone_and_a_new_version_asks_again(
    live_server,
    browser,
    phone,
    page,
    cast,
    playbook,  # noqa: F811  (the fixture imported above)
    smtp_inbox,
    settings,
):
    settings.BASE_URL = live_server.url
    entry = playbook.late_phone

    # The associate, on a phone, in Finnish.
    _sign_in(phone, live_server.url, "anders")
    phone.select_option("#ui-language", "fi")
    phone.wait_for_load_state()
    phone.fill("#id_q", "late delivery")
    phone.keyboard.press("Enter")
    phone.wait_for_url("**q=late+delivery**")
    phone.get_by_role("link", name="Myöhästynyt toimitus").click()  # tap 1: the answer
    assert phone.get_by_text("Kerro uusi aika").is_visible()
    screenshot(phone, "playbook-phone")
    phone.get_by_role("button", name="Olen lukenut tämän").click()  # tap 2: acknowledged
    assert phone.get_by_text("Olet lukenut tämän version").is_visible()
    assert Acknowledgement.objects.filter(person=cast.anders, version=playbook.late_v1).exists()

    # The manager sees Copenhagen at 25 %: Anders read one of his two entries, Birgitte none.
    manager = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB").new_page()
    _sign_in(manager, live_server.url, "mette")
    manager.goto(f"{live_server.url}/standards/coverage/")
    assert manager.locator("#coverage-cph .coverage-percent").inner_text().strip() == "25 %"

    # The owner changes the entry and publishes version 2.
    _sign_in(page, live_server.url, "olivia")
    page.goto(f"{live_server.url}/standards/manage/entries/{entry.pk}/")
    page.fill("#id_steps_en", "Say sorry\nGive a new time\nOffer free delivery next time")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_role("button", name="Send for review").click()
    page.fill("#id_change_note", "Free delivery next time")
    page.get_by_role("button", name="Publish", exact=True).click()
    assert page.get_by_text("Version 2 published.").is_visible()
    entry.refresh_from_db()
    assert entry.status == EntryStatus.PUBLISHED and entry.published_version.number == 2

    # Coverage drops to 0 % for the store, and the manager reminds the store's people.
    manager.goto(f"{live_server.url}/standards/coverage/")
    assert manager.locator("#coverage-cph .coverage-percent").inner_text().strip() == "0 %"
    manager.select_option("#id_location", str(cast.cph.pk))
    manager.get_by_role("button", name="Remind everyone who has not read it").click()
    assert manager.get_by_text("1 reminders sent to people at Copenhagen.").is_visible()
    [message] = smtp_inbox.messages
    assert message["To"] == "anders@example.com"
    assert f"/standards/entries/{entry.pk}/" in smtp_inbox.text_of(message)
    assert PlaybookEntry.objects.get(pk=entry.pk).versions.count() == 2
