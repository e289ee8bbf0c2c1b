"""Issue 8's "done when", in Chromium: an owner starts from an empty installation with nothing but
the owner that `exceed createadmin` made, and through the product's pages alone (never /admin/)
adds a region, a store and two employees, gives one a login, builds a survey in English and Danish
and previews it, prints the store's poster, sends three invitations that a real SMTP server
receives, and sees the customers' answers. Every staff page on the way passes the axe audit at a
laptop's 1366×768 and a phone's 390×844."""

import re

from django.contrib.auth.models import User

from exceed.cli import main
from exceed.feedback.models import InvitationStatus, Response, Survey
from exceed.org.models import Location, Person, Region
from tests.browser.audit import LARGE, PHONE, axe_violations, blocking, overflow

OWNER, PASSWORD = "ingrid", "a-long-owner-passphrase-8"


class Audit:
    """The axe audit and the width check of each staff page the owner reaches, at both sizes."""

    def __init__(self, page):
        self.page = page
        self.found: dict = {}
        self.pages: list[str] = []

    def __call__(self, name: str, *, page=None) -> None:
        page = page or self.page
        self.pages.append(name)
        for size_name, size in (("1366x768", LARGE), ("390x844", PHONE)):
            page.set_viewport_size(size)
            # Folded parts (filters on a phone, tables behind a summary) are audited unfolded too.
            page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
            if problems := blocking(axe_violations(page)):
                self.found[(name, size_name, "axe")] = problems
            if extra := overflow(page):
                self.found[(name, size_name, "px too wide")] = extra
        page.set_viewport_size(LARGE)


def test_an_owner_runs_the_chain_from_an_empty_installation_without_the_django_admin(
    live_server, browser, smtp_inbox, settings, immediate_tasks
):
    settings.BASE_URL = live_server.url
    assert main(["createadmin", "--username", OWNER, "--email", "ingrid@example.com", "--password", PASSWORD]) == 0
    assert list(User.objects.values_list("username", flat=True)) == [OWNER]
    assert not (Region.objects.exists() or Location.objects.exists() or Person.objects.exists())
    assert not Survey.objects.exists()

    context = browser.new_context(viewport=LARGE, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15000)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    audit = Audit(page)

    page.goto(live_server.url + "/login/")
    page.get_by_label("Username").fill(OWNER)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/dashboard/**")
    audit("dashboard, empty")

    # A region.
    page.get_by_role("link", name="Stores", exact=True).click()
    page.wait_for_url("**/stores/")
    audit("stores, empty")
    page.get_by_role("link", name="Regions").click()
    page.wait_for_url("**/regions/")
    page.get_by_label("Code").fill("north")
    page.get_by_label("Name", exact=True).fill("North")
    page.get_by_role("button", name="Add").click()
    page.get_by_text("The region North was created.").wait_for()
    audit("regions")

    # A store, which gets its survey link and poster at once; the poster printed.
    page.get_by_role("link", name="Stores").first.click()
    page.get_by_role("link", name="Add a store").click()
    page.wait_for_url("**/stores/new/")
    audit("new store")
    page.get_by_label("Code").fill("odense")
    page.get_by_label("Name", exact=True).fill("Odense")
    page.get_by_label("Region").select_option(label="North")
    page.get_by_label("Time zone").select_option("Europe/Copenhagen")
    page.get_by_label("Default language").select_option("da")
    page.get_by_role("button", name="Add").click()
    page.wait_for_url("**/stores/odense/")
    assert page.get_by_text("The store Odense was created with its survey link and poster.").is_visible()
    audit("store")
    page.get_by_role("link", name="Poster").click()
    page.wait_for_url("**/poster/")
    audit("poster")
    page.emulate_media(media="print")
    assert page.locator(".qr svg").is_visible()
    assert page.pdf(format="A4").startswith(b"%PDF")
    page.emulate_media(media="screen")
    page.go_back()  # the poster is a page of its own, without the menu
    page.wait_for_url("**/stores/odense/")

    # Two employees at the new store.
    page.get_by_role("link", name="People", exact=True).click()
    page.wait_for_url("**/people/")
    for name, number, email in [("Jonas Berg", "ODE-001", ""), ("Maja Holm", "ODE-002", "maja@example.com")]:
        page.get_by_role("link", name="Add a person").click()
        page.wait_for_url("**/people/new/")
        if audit.pages[-1] != "new person":
            audit("new person")
        page.get_by_label("Name", exact=True).fill(name)
        page.get_by_label("Odense").check()
        page.get_by_label("Job role").fill("Sales associate")
        page.get_by_label("Employee number").fill(number)
        if email:
            page.get_by_label("Email").fill(email)
        page.get_by_role("button", name="Add").click()
        page.wait_for_url("**/people/")
        assert page.locator("tr", has_text=name).get_by_text("Odense").is_visible()
    audit("people")
    page.locator("tr", has_text="Maja Holm").get_by_role("link").first.click()
    page.wait_for_url("**/people/*/")
    audit("person")

    # A login for Maja, as the Odense manager; she chooses her password from the email.
    page.get_by_role("link", name="Logins").click()
    page.wait_for_url("**/logins/")
    audit("logins")
    page.get_by_role("link", name="Invite a login").click()
    page.get_by_label("Username").fill("maja")
    page.get_by_label("Email", exact=True).fill("maja@example.com")
    page.get_by_label("Role").select_option("location_manager")
    page.get_by_label("Odense").check()
    page.get_by_label("Person").select_option(label="Maja Holm")
    audit("new login")
    page.get_by_role("button", name="Invite").click()
    page.wait_for_url("**/logins/")
    assert page.get_by_text("An invitation to choose a password was sent to maja@example.com.").is_visible()
    welcome = re.search(r"http://\S+/welcome/\S+/", smtp_inbox.text_of(smtp_inbox.messages[-1])).group(0)
    maja = browser.new_context(locale="da-DK").new_page()
    maja.goto(welcome)
    maja.locator("input[type=password]").nth(0).fill("majas-own-passphrase-8")
    maja.locator("input[type=password]").nth(1).fill("majas-own-passphrase-8")
    maja.locator("form button[type=submit]").click()
    maja.wait_for_url("**/login/")
    assert Person.objects.get(name="Maja Holm").user == User.objects.get(username="maja")
    maja.context.close()

    # A survey in English and Danish, translated side by side, previewed on a phone, published.
    page.get_by_role("link", name="Surveys").click()
    page.wait_for_url("**/surveys/")
    audit("surveys")
    page.get_by_role("link", name="New survey").click()
    audit("new survey")
    page.get_by_label("Name", exact=True).fill("After delivery")
    page.get_by_label("Dansk").check()
    page.get_by_role("button", name="Create the survey").click()
    page.wait_for_url("**/surveys/after-delivery/")
    page.get_by_label("Kind of question").select_option("csat")
    page.get_by_role("button", name="Add a question").click()
    page.get_by_label("Question (English)").fill("How satisfied are you with the delivery?")
    audit("new question")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url("**/surveys/after-delivery/")
    page.get_by_label("Kind of question").select_option("choice")
    page.get_by_role("button", name="Add a question").click()
    page.get_by_label("Question (English)").fill("Did it come on time?")
    page.get_by_label("Code of option 1").fill("on_time")
    page.get_by_label("Text (English) 1").fill("On time")
    page.get_by_label("Code of option 2").fill("late")
    page.get_by_label("Text (English) 2").fill("Late")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url("**/surveys/after-delivery/")
    audit("survey")
    page.locator("#completeness-da").get_by_role("link", name="Translate").click()
    page.wait_for_url("**/translations/**")
    page.get_by_label("Title (Dansk)").fill("Efter leveringen")
    page.get_by_label('Question "csat" (Dansk)').fill("Hvor tilfreds er du med leveringen?")
    page.get_by_label('Question "choice" (Dansk)').fill("Kom den til tiden?")
    page.get_by_label('Option "on_time" of "choice" (Dansk)').fill("Til tiden")
    page.get_by_label('Option "late" of "choice" (Dansk)').fill("For sent")
    page.get_by_role("button", name="Save the translations").click()
    page.get_by_text("The translations were saved.").wait_for()
    audit("survey translations")
    page.goto(live_server.url + "/surveys/after-delivery/")
    page.get_by_role("link", name="Preview on a phone").click()
    page.get_by_role("link", name="Dansk").click()
    page.wait_for_url("**/phone/?lang=da")
    page.frame_locator("iframe").get_by_text("Kom den til tiden?").wait_for()
    assert page.frame_locator("iframe").get_by_text("For sent").is_visible()
    audit("survey on a phone")
    page.goto(live_server.url + "/surveys/after-delivery/")
    page.get_by_role("button", name="Publish").click()
    page.get_by_text("The survey is published").wait_for()
    survey = Survey.objects.get(slug="after-delivery")
    assert survey.active and not Response.objects.exists()

    # Three invitations, previewed and sent; the SMTP server receives them; each customer answers.
    page.get_by_role("link", name="Invitations", exact=True).click()
    page.wait_for_url("**/invitations/")
    audit("invitations, none yet")
    page.get_by_role("link", name="Send invitations").first.click()
    page.wait_for_url("**/invitations/new/")
    audit("new invitations")
    page.get_by_label("Survey").select_option(str(survey.pk))
    page.get_by_label("Location").select_option(label="Odense")
    page.get_by_label("Or paste addresses").fill("ana@example.com, da\nbo@example.com, en\ncai@example.com")
    page.get_by_role("button", name="Preview the email").click()
    page.get_by_role("heading", name="The email in each language").wait_for()
    audit("invitation preview")
    page.get_by_role("button", name="Send", exact=True).click()
    page.wait_for_url("**/invitations/*/")
    assert page.get_by_text("3 invitations are being sent.").is_visible()
    audit("invitation batch")

    invited = [message for message in smtp_inbox.messages if message["To"] != "maja@example.com"]
    assert sorted(message["To"] for message in invited) == ["ana@example.com", "bo@example.com", "cai@example.com"]
    for score, message in zip(("5", "4", "2"), invited, strict=True):
        link = re.search(r"http://\S+/i/[\w-]+/", smtp_inbox.text_of(message)).group(0)
        customer = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
        customer.goto(link)
        if score == "5":  # the customer's page passes the same audit
            audit("invitation survey", page=customer)
        customer.locator(f"label.scale-point:has(input[value='{score}'])").first.click()
        customer.locator("label.option:has(input[value='on_time'])").click()
        customer.locator("form button[type=submit]").last.click()
        customer.locator("section.thanks").wait_for()
        customer.context.close()

    # The owner sees them answered: on the invitations list and among the responses.
    page.get_by_role("link", name="Invitations", exact=True).click()
    page.wait_for_url("**/invitations/")
    row = page.locator("tbody tr").first
    assert row.locator("td").nth(6).inner_text() == "3"  # answered
    assert "100" in row.inner_text()
    audit("invitations")
    page.get_by_role("link", name="Responses", exact=True).click()
    page.wait_for_url("**/responses/**")
    assert page.locator("tbody tr").count() == 3
    audit("responses")
    page.get_by_role("link", name="Dashboard", exact=True).click()
    page.wait_for_url("**/dashboard/**")
    audit("dashboard")
    context.close()

    assert survey.invitations.filter(status=InvitationStatus.ANSWERED).count() == 3
    assert Response.objects.filter(survey=survey, location__code="odense").count() == 3
    assert [url for url in requested if "/admin/" in url] == []
    assert audit.found == {}, audit.found
