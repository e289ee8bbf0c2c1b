"""The owner's review and rewards pages, and the manager's dispute form."""

from datetime import timedelta

from django.utils import timezone

from exceed.mystery.models import RewardEntry
from exceed.mystery.services.review import report_approve
from tests.mystery.factories import VISIT, programme, shopper, submitted


def test_the_owner_returns_a_report_from_its_page_and_a_return_without_comment_is_refused(cast, client):
    assignment = submitted(programme(cast), cast.cph, shopper())
    client.force_login(cast.owner)
    refused = client.post(f"/mystery/reports/{assignment.pk}/review/", {"action": "return", "comment": ""}, follow=True)
    assert "Please say what the shopper should revise." in refused.content.decode()
    assignment.refresh_from_db()
    assert assignment.status == "submitted"
    client.post(f"/mystery/reports/{assignment.pk}/review/", {"action": "return", "comment": "Add the receipt"})
    assignment.refresh_from_db()
    assert assignment.status == "returned"


def test_payments_due_are_a_csv_and_a_recorded_payment_leaves_it(cast, client):
    assignment = submitted(programme(cast), cast.cph, shopper("=Sofie"))
    report_approve(assignment=assignment, by=cast.owner, now=VISIT + timedelta(days=1))
    client.force_login(cast.owner)
    csv = b"".join(
        client.get("/mystery/rewards.csv").streaming_content if False else [client.get("/mystery/rewards.csv").content]
    ).decode()
    lines = csv.strip().splitlines()
    assert lines[0].startswith("shopper,email,programme")
    assert len(lines) == 3  # the reward and the refunded purchases
    assert lines[1].startswith("'=Sofie")  # a name cannot become a spreadsheet formula
    entry = RewardEntry.objects.get(kind="reward")
    client.post(f"/mystery/rewards/{entry.pk}/pay/", {"method": "MobilePay", "reference": "x1"})
    assert len(client.get("/mystery/rewards.csv").content.decode().strip().splitlines()) == 2
    client.force_login(cast.manager)
    assert client.get("/mystery/rewards.csv").status_code == 403


def test_the_manager_disputes_from_the_report_page_once_per_item(cast, client):
    assignment = submitted(programme(cast), cast.cph, shopper())
    report_approve(assignment=assignment, by=cast.owner, now=timezone.now())  # the dispute's days start now
    client.force_login(cast.manager)
    first = client.post(
        f"/mystery/reports/{assignment.pk}/dispute/", {"item": "wait", "reason": "Shorter"}, follow=True
    )
    assert "Your dispute is with the owner." in first.content.decode()
    again = client.post(f"/mystery/reports/{assignment.pk}/dispute/", {"item": "wait", "reason": "Again"}, follow=True)
    assert "being disputed already" in again.content.decode()
