from datetime import timedelta

from django.utils import timezone

from exceed.feedback.services import response_submit
from tests.browser.conftest import screenshot


def _answers(cast):
    """Twelve answers over three weeks: Copenhagen mostly delighted, Paris mostly let down."""
    now = timezone.now()
    plan = [
        (cast.cph, 10, "exceeded", "Anders fandt præcis det, jeg ledte efter.", [cast.anders]),
        (cast.cph, 9, "exceeded", "Hurtig og venlig betjening.", [cast.birgitte]),
        (cast.cph, 8, "met", "", []),
        (cast.cph, 10, "exceeded", "", [cast.anders]),
        (cast.aar, 7, "met", "Fint nok.", []),
        (cast.aar, 9, "exceeded", "", []),
        (cast.par, 3, "below", "Trop d'attente à la caisse.", [cast.claire]),
        (cast.par, 5, "below", "", []),
        (cast.par, 9, "met", "Claire a été très aimable.", [cast.claire]),
    ]
    for index, (location, score, expectation, comment, people) in enumerate(plan):
        response_submit(
            survey=cast.survey,
            location=location,
            raw_answers={"return": score, "expectation": expectation, "difference": comment},
            people=people,
            language=location.default_language,
            channel_kind="link",
            touchpoint=cast.in_store,
            submitted_at=now - timedelta(days=index * 2),
        )


def _sign_in(page, url, username):
    page.goto(f"{url}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(f"pw-{username}")
    page.get_by_role("button", name="Sign in").click()


def test_an_owner_signs_in_and_reads_the_dashboard(live_server, page, cast):
    _answers(cast)
    _sign_in(page, live_server.url, "olivia")
    page.wait_for_url("**/dashboard/**")
    body = page.locator("main")
    # 9 responses in all: 5 promoters (≥9), 2 detractors (≤6) → return score (5−2)/9 = +33.
    headline = body.inner_text()
    assert "+33" in headline and "n = 9" in headline
    for location in ("Copenhagen", "Aarhus", "Paris"):
        assert body.get_by_role("rowheader", name=location).first.is_visible()
    assert body.get_by_text("Trop d'attente à la caisse.").is_visible()
    page.wait_for_timeout(300)  # let the chart finish its animation for the screenshot
    screenshot(page, "dashboard")


def test_a_store_manager_sees_only_their_store(live_server, page, cast):
    _answers(cast)
    _sign_in(page, live_server.url, "mette")
    page.wait_for_url("**/dashboard/**")
    text = page.locator("main").inner_text()
    assert "Anders fandt præcis det" in text
    assert "Trop d'attente" not in text and "Paris" not in text
