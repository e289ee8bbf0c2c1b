"""A recovery case from the manager's email alert to closed, in Chromium."""

import re

from exceed.feedback.services import response_submit
from exceed.recovery.models import CaseStatus, RecoveryCase, RecoveryRule, StepKind
from exceed.recovery.services import categories_install, rule_save
from tests.browser.conftest import screenshot


def test_a_manager_walks_a_case_from_the_alert_to_closed(
    live_server, page, cast, smtp_inbox, immediate_tasks, settings
):
    settings.BASE_URL = live_server.url
    categories_install()  # the live server's database is flushed between tests, data migrations included
    if not RecoveryRule.objects.filter(active=True).exists():
        rule_save(expectation_below=True, return_at_most=6)

    # A customer answers "below expectations", return likelihood 3, and consents to contact.
    response_submit(
        survey=cast.survey,
        location=cast.cph,
        touchpoint=cast.in_store,
        language="en",
        channel_kind="link",
        raw_answers={"return": 3, "expectation": "below", "difference": "I got the wrong sandwich.", "contact": "yes"},
        contact={"email": "customer@example.com"},
    )
    assert len(smtp_inbox.messages) == 1
    link = re.search(r"http://\S+/recovery/\d+/", smtp_inbox.text_of(smtp_inbox.messages[0])).group(0)

    page.goto(link)  # not signed in yet: the login comes first, then the case
    page.get_by_label("Username").fill("mette")
    page.get_by_label("Password").fill("pw-mette")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(link)
    assert page.get_by_text("I got the wrong sandwich.").first.is_visible()
    assert page.get_by_text("No excuses, no justification, no blame", exact=False).is_visible()
    screenshot(page, "recovery-case")

    for kind, label in [
        ("acknowledge", "Acknowledge"),
        ("apologise", "Apologise"),
        ("fix", "Fix"),
        ("gesture", "Gesture"),
        ("follow_up", "Follow up"),
    ]:
        step = page.locator(f"#step-{kind}")
        step.get_by_label("Note").fill(f"{label} done")
        if kind == "gesture":
            step.get_by_label("What was given").fill("Chocolate cake")
            step.get_by_label("Value").fill("4.50")
        step.get_by_role("button", name=f"Record “{label}”").click()
        page.wait_for_url(f"**#step-{kind}")
        assert page.locator(f"#step-{kind}").get_by_text("Done", exact=True).first.is_visible()

    page.get_by_role("button", name="Close case").click()
    assert page.get_by_text("The case is closed.").is_visible()
    assert page.get_by_text("The follow-up survey will be sent at", exact=False).is_visible()

    case = RecoveryCase.objects.get()
    assert case.status == CaseStatus.CLOSED and case.close_reason == ""
    assert case.steps.filter(done_at__isnull=False).count() == len(StepKind.values)
    assert case.steps.get(kind=StepKind.GESTURE).gesture_given == "Chocolate cake"

    page.goto(f"{live_server.url}/recovery/")
    row = page.locator("tr", has_text="I got the wrong sandwich.")
    assert row.get_by_role("cell", name="Closed").is_visible()
