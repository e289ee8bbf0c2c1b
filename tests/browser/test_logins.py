"""An owner invites a login in Chromium; the invited person chooses a password from the email."""

import re

from django.contrib.auth.models import User

from tests.browser.conftest import screenshot


def test_an_owner_invites_a_store_manager_who_signs_in_with_the_password_they_chose(
    live_server, page, cast, smtp_inbox, settings
):
    settings.BASE_URL = live_server.url
    page.goto(live_server.url + "/login/")
    page.get_by_label("Username").fill("olivia")
    page.get_by_label("Password").fill("pw-olivia")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Logins").click()
    page.get_by_role("link", name="Invite a login").click()

    page.get_by_label("Username").fill("lene")
    page.get_by_label("Email", exact=True).fill("lene@example.com")
    page.get_by_label("Role").select_option("location_manager")
    # Only the scope the role uses is shown.
    assert page.locator('[data-field="locations"]').is_visible()
    assert not page.locator('[data-field="regions"]').is_visible()
    page.get_by_label("Aarhus").check()
    screenshot(page, "login-invite")
    page.get_by_role("button", name="Invite").click()
    page.wait_for_url("**/logins/")
    assert page.get_by_text("An invitation to choose a password was sent to lene@example.com.").is_visible()
    assert page.locator("tr", has_text="lene").get_by_text("invited").is_visible()

    link = re.search(r"http://\S+/welcome/\S+/", smtp_inbox.text_of(smtp_inbox.messages[0])).group(0)
    page.get_by_role("button", name="Sign out").click()
    page.goto(link)
    page.get_by_label("New password", exact=True).fill("a-long-passphrase-42")
    page.get_by_label("New password confirmation").fill("a-long-passphrase-42")
    page.get_by_role("button", name="Set password").click()
    page.wait_for_url("**/login/")
    page.get_by_label("Username").fill("lene")
    page.get_by_label("Password").fill("a-long-passphrase-42")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/dashboard/**")
    assert User.objects.get(username="lene").membership.locations.get() == cast.aar
