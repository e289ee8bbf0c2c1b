"""Overdue steps reach the escalation level as one digest per person per period (issue 8, item 5)."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import formats, timezone, translation

from exceed.errors import DomainError
from exceed.recovery.deadlines import steps_mark_overdue
from exceed.recovery.models import RecoverySettings, RecoveryStep
from exceed.recovery.services import settings_get, settings_update
from tests.recovery.factories import staff_case


def _to(inbox, address):
    return [message for message in inbox.messages if message["To"] == address]


def test_many_overdue_steps_make_one_digest_per_recipient_per_period(cast, smtp_inbox):
    settings_update(followup_delay_hours=168, loyalty_window_days=90, digest_minutes=30)
    # Three Copenhagen cases and one in Aarhus, each with its five steps overdue: 20 steps.
    for hours in (72, 60, 50):
        staff_case(cast, hours_ago=hours)
    staff_case(cast, location=cast.aar, hours_ago=80, summary="Queue out of the door")
    paris = staff_case(cast, location=cast.par, hours_ago=80, summary="Rupture de stock")
    now = timezone.now()

    assert steps_mark_overdue(now=now) == 25
    # The north's regional manager hears of the 20 northern steps in one mail; the south has no
    # regional manager, so its 5 steps go to the owner, also in one mail.
    assert len(smtp_inbox.messages) == 2
    [regional] = _to(smtp_inbox, "rasmus@example.com")
    [owner] = _to(smtp_inbox, "olivia@example.com")
    assert "20" in regional["Subject"]
    body = smtp_inbox.text_of(regional)
    assert body.count("http://") + body.count("https://") == 4  # one link per case
    assert "Queue out of the door" in body and "Rupture de stock" not in body
    assert "Rupture de stock" in smtp_inbox.text_of(owner)

    # Within the period nothing more is sent, though a new step falls due.
    staff_case(cast, hours_ago=5, summary="Cold coffee")
    assert steps_mark_overdue(now=now + timedelta(minutes=29)) == 0
    assert len(smtp_inbox.messages) == 2
    # The next period brings the new case's steps, once, to its one recipient.
    assert steps_mark_overdue(now=now + timedelta(minutes=31)) == 2  # acknowledge and apologise
    assert len(smtp_inbox.messages) == 3
    assert "Cold coffee" in smtp_inbox.text_of(_to(smtp_inbox, "rasmus@example.com")[-1])
    assert steps_mark_overdue(now=now + timedelta(minutes=90)) == 0
    assert not RecoveryStep.objects.filter(case=paris, escalated_at__isnull=True).exists()


def test_the_digest_is_in_the_readers_language_with_the_stores_time(cast, smtp_inbox):
    from exceed.org.models import Membership

    Membership.objects.filter(user=cast.regional).update(language="fi")
    case = staff_case(cast, hours_ago=1.5)  # acknowledge, due an hour after opening, is overdue
    assert steps_mark_overdue(now=timezone.now()) == 1
    message = smtp_inbox.messages[0]
    body = smtp_inbox.text_of(message)
    assert " ".join(message["Subject"].split()) == "Myöhässä olevat palveluvirheiden korjausvaiheet: 1"
    assert f"Tapaus nro {case.pk}" in body  # Finnish, though Copenhagen's language is Danish
    due = case.steps.get(kind="acknowledge").due_at.astimezone(ZoneInfo("Europe/Copenhagen"))
    # Copenhagen's wall-clock time and zone, never UTC; the date as a Finn writes it (30.11.2026).
    assert "UTC" not in body and due.strftime("%Z") in body
    with translation.override("fi"):
        finnish = formats.date_format(due, "DATETIME_FORMAT")
    with translation.override("en"):
        english = formats.date_format(due, "DATETIME_FORMAT")
    assert finnish in body and english not in body


def test_the_store_language_is_used_when_the_reader_chose_none(cast, smtp_inbox):
    case = staff_case(cast, hours_ago=1.5)
    steps_mark_overdue(now=timezone.now())
    body = smtp_inbox.text_of(smtp_inbox.messages[0])
    assert f"Sag nr. {case.pk}" in body  # Copenhagen's language: Danish


@pytest.mark.parametrize("minutes", [0, -5, 24 * 60 + 1])
def test_a_digest_period_of_zero_is_refused_and_nothing_changes(cast, minutes):
    before = settings_get().digest_minutes
    with pytest.raises(DomainError) as refused:
        settings_update(followup_delay_hours=24, loyalty_window_days=30, digest_minutes=minutes)
    assert refused.value.field == "digest_minutes"
    row = RecoverySettings.objects.get()
    assert (row.digest_minutes, row.followup_delay_hours) == (before, settings_get().followup_delay_hours)
    assert row.followup_delay_hours != 24


def test_the_rules_page_refuses_a_zero_digest_period_in_the_owners_language(cast, client):
    client.force_login(cast.owner)
    response = client.post(
        "/recovery/rules/",
        {"form": "settings", "followup_delay_hours": 24, "loyalty_window_days": 30, "digest_minutes": 0},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 400
    assert "digest" in response.content.decode() or "récapitulatif" in response.content.decode()
    assert settings_get().digest_minutes == 60


def test_a_new_case_alerts_each_store_manager_once_in_their_own_language(cast, smtp_inbox):
    from django.contrib.auth.models import User

    from exceed.org.models import Membership, Role
    from exceed.recovery.mail import alert_send

    Membership.objects.filter(user=cast.manager).update(language="fr")
    second = User.objects.create_user("magnus", email="magnus@example.com")
    Membership.objects.create(user=second, role=Role.LOCATION_MANAGER).locations.set([cast.cph])
    case = staff_case(cast)

    assert alert_send(case=case) == 2
    by_address = {message["To"]: message for message in smtp_inbox.messages}
    assert sorted(by_address) == ["magnus@example.com", "mette@example.com"]  # one each, no one else
    assert "Nouveau dossier d'incident" in by_address["mette@example.com"]["Subject"]
    assert f"sag nr. {case.pk}" in by_address["magnus@example.com"]["Subject"].lower()  # the store's Danish
