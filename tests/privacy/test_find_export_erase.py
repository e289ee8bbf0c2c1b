"""Finding, exporting and erasing one customer across responses, invitations, cases and visits."""

import json

import pytest
from django.db.models import Q

from exceed.api.models import ApiToken
from exceed.feedback.models import Answer, DailyMeasure, Invitation, Response
from exceed.feedback.rollup import rollup_rebuild
from exceed.feedback.selectors import FeedbackFilter, measures
from exceed.feedback.services import invitations_claim_due
from exceed.insights.selectors import dashboard_breakdowns
from exceed.org.scopes import scope_for
from exceed.privacy.identifiers import customer_identifier
from exceed.privacy.models import PrivacyAudit
from exceed.privacy.selectors import customer_holdings
from exceed.recovery.measures import recovery_measures
from exceed.recovery.models import CustomerContact, RecoveryCase, TillVisit
from tests.privacy.customers import COMMENT, EMAIL, PHONE, STRANGER_COMMENT, STRANGER_EMAIL

KIRSTEN = {"email": EMAIL, "phone": PHONE}


def _figures(cast) -> dict:
    """What the dashboard and the recovery page show the owner, and the rollup's rows."""
    scope = scope_for(cast.owner)
    return {
        "headline": measures(scope, FeedbackFilter()),
        "breakdowns": [(b.dimension, b.rows) for b in dashboard_breakdowns(scope, FeedbackFilter(), sort="name")],
        "recovery": recovery_measures(scope, group_by=["location"]),
        "recovery_total": recovery_measures(scope),
        "rollup": sorted(DailyMeasure.objects.values_list()),
        "invitations": list(Invitation.objects.order_by("pk").values_list("status", "sent_at", "answered_at")),
    }


def _rows(figures):
    return sorted(tuple(row[1:]) for row in figures["rollup"])


def test_the_owner_finds_the_customer_in_all_four_sources_by_email_and_phone_written_any_way(cast, held):
    holdings = customer_holdings(scope_for(cast.owner), customer_identifier(**KIRSTEN))
    assert set(holdings.responses) == {held.by_email.pk, held.by_phone.pk, held.by_invitation.pk}
    assert holdings.invitations == [held.invitation.pk]
    assert set(holdings.cases) == {held.case_from_answer.pk, held.staff_case.pk}
    assert holdings.visits == [held.visit.pk]
    assert held.stranger.pk not in holdings.responses


def test_the_phone_alone_finds_the_answer_and_the_case_written_with_its_00_prefix(cast, held):
    holdings = customer_holdings(scope_for(cast.owner), customer_identifier(phone="0045-12 34 56 78"))
    assert holdings.responses == [held.by_phone.pk]
    assert holdings.cases == [held.staff_case.pk]


def test_the_page_lists_what_was_found_with_counts_and_records_the_search(client, cast, held):
    client.force_login(cast.owner)
    page = client.post("/privacy/", KIRSTEN)
    assert page.status_code == 200
    body = page.content.decode()
    assert 'id="count-responses">3<' in body
    assert 'id="count-invitations">1<' in body
    assert 'id="count-cases">2<' in body
    assert 'id="count-visits">1<' in body
    record = PrivacyAudit.objects.get()
    assert (record.action, record.by, record.via) == ("find", cast.owner, "page")
    assert record.counts == {"responses": 3, "invitations": 1, "cases": 2, "visits": 1}


def test_the_export_is_a_json_download_of_everything_held_and_nothing_about_anyone_else(client, cast, held):
    client.force_login(cast.owner)
    download = client.post("/privacy/export/", {"email": EMAIL.upper()})
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    found = json.loads(download.content)
    assert {r["id"] for r in found["responses"]} >= {held.by_email.pk, held.by_invitation.pk}
    by_email = next(r for r in found["responses"] if r["id"] == held.by_email.pk)
    assert by_email["comment"] == COMMENT
    assert any(answer["text"] == COMMENT for answer in by_email["answers"])
    assert by_email["consent"]["version"] == 1
    assert found["invitations"][0]["email"] == EMAIL.upper()
    case = next(c for c in found["recovery_cases"] if c["id"] == held.case_from_answer.pk)
    assert "Called Kirsten, she accepted the apology" in [step["note"] for step in case["steps"]]
    assert [visit["external_id"] for visit in found["visits"]] == ["TILL-77"]
    assert STRANGER_EMAIL not in download.content.decode()
    assert STRANGER_COMMENT not in download.content.decode()
    assert PrivacyAudit.objects.get().action == "export"


def test_erasing_asks_for_confirmation_first_and_changes_nothing_until_then(client, cast, held):
    client.force_login(cast.owner)
    page = client.post("/privacy/erase/", KIRSTEN)
    assert page.status_code == 200
    assert 'name="confirm"' in page.content.decode()
    held.by_email.refresh_from_db()
    assert held.by_email.contact_email == EMAIL.lower()
    assert not PrivacyAudit.objects.filter(action="erase").exists()


def test_erasing_removes_every_trace_of_the_customer_and_keeps_the_measures_exact(client, cast, held):
    before = _figures(cast)
    hashes_before = set(TillVisit.objects.values_list("customer_hash", flat=True))
    client.force_login(cast.owner)
    done = client.post("/privacy/erase/", {**KIRSTEN, "confirm": "on"})
    assert done.status_code == 302

    after = _figures(cast)
    assert after == before
    # The rollup is still what a rebuild from the responses gives.
    rollup_rebuild()
    assert _rows(_figures(cast)) == _rows(before)

    for response in Response.objects.filter(pk__in=[held.by_email.pk, held.by_phone.pk, held.by_invitation.pk]):
        assert (response.contact_email, response.contact_phone, response.comment, response.transaction_ref) == (
            "",
            "",
            "",
            "",
        )
        assert response.return_likelihood is not None
    assert not Answer.objects.filter(response=held.by_email).exclude(text="").exists()
    held.invitation.refresh_from_db()
    assert (held.invitation.email, held.invitation.token_hash, held.invitation.status) == ("", None, "answered")
    for case in RecoveryCase.objects.filter(pk__in=[held.case_from_answer.pk, held.staff_case.pk]):
        assert (case.contact_name, case.contact_email, case.contact_phone) == ("", "", "")
    # The visit's identity is a new random one, still the same as its case's: loyalty unchanged.
    held.visit.refresh_from_db()
    assert held.visit.customer_hash not in hashes_before
    assert RecoveryCase.objects.filter(contact_hash=held.visit.customer_hash).exists()
    assert CustomerContact.objects.filter(contact_hash=held.visit.customer_hash).exists()
    # Nothing is found any more; the stranger is untouched.
    assert not customer_holdings(scope_for(cast.owner), customer_identifier(**KIRSTEN))
    held.stranger.refresh_from_db()
    assert (held.stranger.contact_email, held.stranger.comment) == (STRANGER_EMAIL, STRANGER_COMMENT)
    assert customer_holdings(scope_for(cast.owner), customer_identifier(email=STRANGER_EMAIL)).visits == [
        held.stranger_visit.pk
    ]
    assert not Response.objects.filter(Q(comment__contains="Kirsten") | Q(contact_email__iexact=EMAIL)).exists()


def test_the_erasure_is_audited_with_a_keyed_hash_and_never_the_address(client, cast, held):
    client.force_login(cast.owner)
    client.post("/privacy/erase/", {**KIRSTEN, "confirm": "on"})
    record = PrivacyAudit.objects.get(action="erase")
    assert (record.by, record.by_username, record.via) == (cast.owner, cast.owner.username, "page")
    assert record.counts == {"responses": 3, "invitations": 1, "cases": 2, "visits": 1}
    assert len(record.identifier_hash) == 64
    assert record.identifier_hash == customer_identifier(email=EMAIL.lower(), phone="+4512345678").audit_hash()
    stored = json.dumps(list(PrivacyAudit.objects.values()), default=str).lower()
    assert "kirsten" not in stored and "12345678" not in stored


def test_an_erased_invitation_waiting_to_be_sent_is_never_sent(cast):
    from django.utils import timezone

    from exceed.feedback.services import invitation_batch_create
    from exceed.privacy.services import customer_erase

    invitation_batch_create(survey=cast.survey, location=cast.cph, rows=[{"email": "later@example.com"}])
    customer_erase(
        scope=scope_for(cast.owner),
        identifier=customer_identifier(email="later@example.com"),
        by=cast.owner,
        via="page",
    )
    assert invitations_claim_due(now=timezone.now()) == []


@pytest.mark.parametrize("role", ["regional", "manager", "associate", "shopper", "outsider"])
def test_no_one_but_an_owner_finds_exports_or_erases_nor_sees_the_link(client, cast, held, role):
    user = cast.roles[role]
    client.force_login(user)
    assert "/privacy/" not in client.get("/", follow=True).content.decode()
    for url in ("/privacy/", "/privacy/export/", "/privacy/erase/", "/privacy/retention/"):
        assert client.post(url, {**KIRSTEN, "confirm": "on"}).status_code == 403
    token = ApiToken.issue(user=user)[1]
    for operation in ("find", "export", "erase"):
        answer = client.post(
            f"/api/v1/privacy/{operation}",
            {**KIRSTEN, "confirm": True},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
        assert answer.status_code == 403
    held.by_email.refresh_from_db()
    assert held.by_email.contact_email == EMAIL.lower()
    assert not PrivacyAudit.objects.exists()


def test_the_owner_sees_the_link(client, cast):
    client.force_login(cast.owner)
    assert 'href="/privacy/"' in client.get("/", follow=True).content.decode()
