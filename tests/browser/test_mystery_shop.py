"""A mystery shop from the emailed sign-in link to a manager's dispute, in Chromium on a phone."""

import io
import re
from datetime import timedelta

from django.utils import timezone
from PIL import Image

from exceed.mystery.models import Assignment, Dispute
from exceed.mystery.services.assignments import assignments_generate
from exceed.mystery.services.programmes import programme_create
from exceed.mystery.services.scorecards import scorecard_from_definition
from exceed.mystery.services.shoppers import shopper_invite
from tests.browser.conftest import screenshot
from tests.mystery.factories import DEFINITION


def _sign_in(page, url, username, password):
    page.goto(url + "/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_a_shopper_on_a_phone_reports_the_owner_returns_and_approves_and_the_manager_disputes(
    live_server,
    browser,
    page,
    cast,
    smtp_inbox,
    immediate_tasks,
    settings,
):
    settings.BASE_URL = live_server.url
    # Shops every 30 days from today, at any hour, so "now" is always inside one.
    programme_create(
        name="Monthly store visit",
        touchpoint=cast.in_store,
        scorecard=scorecard_from_definition(definition=DEFINITION),
        locations=[cast.cph],
        rhythm="every_n_days",
        interval_days=30,
        reward_amount="20",
        expense_cap="15",
    )
    assignments_generate()
    shopper_invite(email="lea@example.com", name="Lea", by=cast.owner, known_at=[cast.aar])
    link = re.search(r"http://\S+/mystery/signin/\S+/", smtp_inbox.text_of(smtp_inbox.messages[-1])).group(0)

    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="en-GB"
    )
    phone = context.new_page()
    phone.set_default_timeout(15000)
    phone.goto(link)
    phone.get_by_role("button", name="Sign in").click()
    phone.get_by_label("I accept these terms").check()
    phone.get_by_role("button", name="Continue").click()
    phone.get_by_role("button", name="Claim this shop").first.click()
    assert phone.get_by_text("The shop is yours").is_visible()

    zone = cast.cph.zone
    visit = (timezone.now() - timedelta(minutes=30)).astimezone(zone)
    phone.get_by_label("Time in", exact=False).fill(visit.strftime("%Y-%m-%dT%H:%M"))
    phone.get_by_label("Time out").fill((visit + timedelta(minutes=15)).strftime("%Y-%m-%dT%H:%M"))
    phone.locator("#item-greeted").get_by_label("Yes").check()
    phone.locator("#item-wait input[name=v_wait]").fill("20")
    phone.locator("#item-asked").get_by_label("4").check()
    phone.locator("#item-returns").get_by_label("Not applicable").check()
    screenshot(phone, "mystery-report-phone")
    phone.get_by_role("button", name="Save draft").click()
    assert phone.get_by_text("Draft saved.").is_visible()

    photo = io.BytesIO()
    Image.new("RGB", (20, 20), (10, 120, 10)).save(photo, format="JPEG")
    phone.locator("input[type=file]").set_input_files(
        {"name": "receipt.jpg", "mimeType": "image/jpeg", "buffer": photo.getvalue()}
    )
    phone.get_by_label("This is the receipt").check()
    phone.get_by_role("button", name="Upload").click()
    assert phone.get_by_text("Photo added.").is_visible()

    phone.get_by_label("How likely are you to come back", exact=False).select_option("9")
    phone.get_by_label("Exceeded").check()
    phone.get_by_role("button", name="Submit").click()
    assert phone.get_by_text("your report is submitted for review").is_visible()
    screenshot(phone, "mystery-shopper-phone")
    assignment = Assignment.objects.get(status="submitted")

    # The owner returns it for a missing comment; the shopper revises; the owner approves.
    _sign_in(page, live_server.url, "olivia", "pw-olivia")
    page.goto(f"{live_server.url}/mystery/reports/{assignment.pk}/")
    page.get_by_label("Comment (required to return or reject)").fill("Please say who greeted you.")
    page.get_by_role("button", name="Return for revision").click()
    assert page.get_by_text("Review saved.").is_visible()

    phone.goto(f"{live_server.url}/mystery/shop/{assignment.pk}/")
    assert phone.get_by_text("Please say who greeted you.").is_visible()
    phone.locator("#people").fill("A tall man in a green apron at the till")
    phone.get_by_role("button", name="Submit").click()
    assert phone.get_by_text("your report is submitted for review").is_visible()

    page.reload()
    page.get_by_role("button", name="Approve", exact=True).click()
    assert page.get_by_text("Review saved.").is_visible()

    # The Copenhagen manager sees the score, not the shopper, and disputes an item.
    page.context.clear_cookies()
    _sign_in(page, live_server.url, "mette", "pw-mette")
    page.goto(f"{live_server.url}/mystery/reports/{assignment.pk}/")
    assert page.get_by_text("not to be the sole ground for discipline", exact=False).is_visible()
    assert page.get_by_text("Lea").count() == 0
    page.get_by_label("Dispute an item").select_option("wait")
    page.get_by_label("Reason").fill("Our camera shows 10 seconds.")
    page.get_by_role("button", name="Dispute", exact=True).click()
    assert page.get_by_text("Your dispute is with the owner.").is_visible()
    assert Dispute.objects.get().reason == "Our camera shows 10 seconds."
    context.close()
