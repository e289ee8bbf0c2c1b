"""Every staff page at a laptop's 1366×768 and a phone's 390×844: no sideways scrolling of the page
(wide tables scroll inside their own box), no serious or critical axe-core violation, and a focus
ring of at least 3:1 on every element the keyboard reaches. The customer's survey on a phone and
the store's kiosk are audited too (issue 8, item 7)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from exceed.feedback.models import Response
from exceed.feedback.services import response_submit
from exceed.recovery.models import CaseCategory
from exceed.recovery.services import case_open, categories_install
from tests.browser.audit import LARGE, PHONE, axe_violations, blocking, focus_ring_problems, overflow

SIZES = {"1366x768": LARGE, "390x844": PHONE}


def _chain(cast) -> dict:
    """Answers over five weeks at three stores and one open recovery case; the pages' addresses."""
    now = timezone.now()
    plan = [
        (cast.cph, 10, "exceeded", "Anders fandt præcis det, jeg ledte efter.", [cast.anders]),
        (cast.cph, 9, "exceeded", "Hurtig og venlig betjening, og en meget lang kommentar " * 3, [cast.birgitte]),
        (cast.cph, 8, "met", "", []),
        (cast.aar, 7, "met", "Fint nok.", []),
        (cast.par, 3, "below", "Trop d'attente à la caisse.", [cast.claire]),
        (cast.par, 9, "met", "Claire a été très aimable.", [cast.claire]),
    ]
    for index, (location, score, expectation, comment, people) in enumerate(plan * 2):
        response_submit(
            survey=cast.survey,
            location=location,
            raw_answers={"return": score, "expectation": expectation, "difference": comment},
            people=people,
            language=location.default_language,
            channel_kind="link",
            touchpoint=cast.in_store,
            submitted_at=now - timedelta(days=index * 3),
        )
    categories_install()
    case = case_open(
        location=cast.par,
        category=CaseCategory.objects.first(),
        summary="Waited twenty minutes at the till",
        touchpoint=cast.in_store,
        owner=cast.claire,
    )
    response = Response.objects.order_by("pk").first()
    return {
        "dashboard": "/dashboard/",
        "monthly report": "/dashboard/report/",
        "report recipients": "/dashboard/report/recipients/",
        "responses": "/responses/",
        "response": f"/responses/{response.pk}/",
        "recovery cases": "/recovery/",
        "recovery case": f"/recovery/{case.pk}/",
        "recovery measures": "/recovery/dashboard/",
        "recovery rules": "/recovery/rules/",
        "recovery capture": "/recovery/capture/",
        "surveys": "/surveys/",
        "survey": f"/surveys/{cast.survey.slug}/",
        "stores": "/stores/",
        "new store": "/stores/new/",
        "regions": "/regions/",
        "people": "/people/",
        "new person": "/people/new/",
        "touchpoints": "/touchpoints/",
        "links and kiosks": "/channels/",
        "link": f"/channels/{cast.cph_link.slug}/",
        "invitations": "/invitations/",
        "new invitations": "/invitations/new/",
        "touchpoint": f"/touchpoints/{cast.in_store.pk}/",
        "store": f"/stores/{cast.cph.code}/",
        "region": f"/regions/{cast.north.pk}/",
        "person": f"/people/{cast.claire.pk}/",
        "question": f"/surveys/{cast.survey.slug}/questions/{cast.survey.questions.order_by('position').first().pk}/",
        "poster": f"/channels/{cast.cph_link.slug}/poster/",
        "logins": "/logins/",
        "login": f"/logins/{cast.manager.pk}/",
        "two-factor sign-in": "/account/two-factor/",
        "page not found": "/no-such-page/",
        "tokens": "/tokens/",
        "webhooks": "/webhooks/",
    }


def _owner_page(browser, live_server, size: dict, *, username: str = "olivia"):
    # A phone is emulated as one (is_mobile): the page's viewport meta decides its layout width.
    phone = size["width"] < 600
    context = browser.new_context(viewport=size, locale="en-GB", is_mobile=phone, has_touch=phone)
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(f"pw-{username}")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/dashboard/**")
    return page


@pytest.mark.parametrize("size", SIZES, ids=list(SIZES))
def test_no_staff_page_scrolls_sideways_at_a_laptop_or_phone_size(live_server, browser, cast, size):
    pages = _chain(cast)
    page = _owner_page(browser, live_server, SIZES[size])
    wide = {}
    for name, path in pages.items():
        page.goto(live_server.url + path)
        if extra := overflow(page):
            wide[name] = extra
    page.context.close()
    assert wide == {}, f"pages wider than {size} (px too wide): {wide}"


@pytest.mark.parametrize("size", SIZES, ids=list(SIZES))
def test_every_staff_page_passes_the_axe_audit(live_server, browser, cast, size):
    pages = _chain(cast)
    page = _owner_page(browser, live_server, SIZES[size])
    found = {}
    for name, path in pages.items():
        page.goto(live_server.url + path)
        # Folded parts (the filters on a phone, the trend as a table) are audited unfolded too.
        page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
        if problems := blocking(axe_violations(page)):
            found[name] = problems
    page.context.close()
    assert found == {}, found


@pytest.mark.parametrize("size", SIZES, ids=list(SIZES))
def test_every_element_the_keyboard_reaches_shows_a_focus_ring_of_3_to_1(live_server, browser, cast, size):
    pages = _chain(cast)
    page = _owner_page(browser, live_server, SIZES[size])
    weak, stops = {}, 0
    for name, path in pages.items():
        page.goto(live_server.url + path)
        checked, problems = focus_ring_problems(page)
        stops += checked
        if problems:
            weak[name] = problems
    page.context.close()
    assert stops > 5 * len(pages)  # the keyboard really walked the pages
    assert weak == {}, weak


def test_the_sign_in_the_customers_survey_on_a_phone_and_the_store_kiosk_pass_the_same_checks(
    live_server, browser, cast
):
    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="da-DK").new_page()
    for path in ("/login/", "/password-reset/"):
        phone.goto(live_server.url + path)
        assert overflow(phone) == 0
        assert blocking(axe_violations(phone)) == []
    phone.goto(f"{live_server.url}/s/{cast.cph_link.slug}/")
    assert overflow(phone) == 0
    assert blocking(axe_violations(phone)) == []
    checked, problems = focus_ring_problems(phone)
    assert checked > 10 and problems == []
    phone.context.close()

    for size in SIZES.values():
        tablet = browser.new_context(viewport=size, locale="en-GB").new_page()
        tablet.goto(f"{live_server.url}/k/{cast.cph_kiosk.slug}/?key={cast.cph_kiosk.kiosk_key}")
        assert tablet.locator("form.survey-form").is_visible()
        assert overflow(tablet) == 0
        assert blocking(axe_violations(tablet)) == []
        checked, problems = focus_ring_problems(tablet)
        assert checked > 10 and problems == []
        tablet.context.close()


def test_the_posters_qr_code_scales_to_a_phone_whole_and_square(live_server, browser, cast):
    phone = _owner_page(browser, live_server, PHONE)
    phone.goto(f"{live_server.url}/channels/{cast.cph_link.slug}/poster/")
    qr = phone.locator(".qr svg")
    # A viewBox, so the drawing scales with its box instead of being cut at the box's edge.
    assert qr.get_attribute("viewBox")
    box = qr.bounding_box()
    assert 200 < box["width"] <= PHONE["width"] and abs(box["width"] - box["height"]) < 1
    assert overflow(phone) == 0
    phone.context.close()


@pytest.mark.parametrize("size", SIZES, ids=list(SIZES))
def test_a_store_manager_and_an_associate_see_their_pages_fit_and_pass_the_audit(live_server, browser, cast, size):
    pages = _chain(cast)
    found = {}
    for username, names in [
        ("mette", ["dashboard", "responses", "response", "recovery cases", "recovery capture", "links and kiosks"]),
        ("anders", ["dashboard", "responses"]),
    ]:
        page = _owner_page(browser, live_server, SIZES[size], username=username)
        for name in names:
            page.goto(live_server.url + pages[name])
            page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
            if extra := overflow(page):
                found[(username, name, "too wide")] = extra
            if problems := blocking(axe_violations(page)):
                found[(username, name, "axe")] = problems
        page.context.close()
    assert found == {}, found
