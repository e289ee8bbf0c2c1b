"""The back office's invitations: a manager sends a batch (pasted or uploaded), previews it, sends it
now or later, sees what became of it, and the worker reminds the unanswered once."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from exceed.feedback.models import Invitation, InvitationBatch, InvitationStatus
from exceed.feedback.services import invitation_batch_create, response_submit
from exceed.feedback.tasks import invitations_periodic_run


@pytest.fixture
def manager(cast, client):
    client.force_login(cast.manager)  # Mette manages Copenhagen only
    return client


def _send(client, cast, django_capture_on_commit_callbacks, **data):
    form = {"survey": cast.survey.pk, "location": cast.cph.pk, "touchpoint": cast.phone.pk, "send": "1"}
    form.update(data)
    with django_capture_on_commit_callbacks(execute=True):
        return client.post("/invitations/new/", form)


def _link_in(inbox, message) -> str:
    return re.search(r"/i/[\w-]+/", inbox.text_of(message)).group(0)


def test_pasted_addresses_are_sent_in_their_languages_through_smtp_and_answered(
    cast, manager, smtp_inbox, immediate_tasks, django_capture_on_commit_callbacks
):
    answer = _send(
        manager,
        cast,
        django_capture_on_commit_callbacks,
        addresses="ana@example.com, fr\n\nbo@example.com\n",
        person=cast.anders.pk,
    )

    assert answer.status_code == 302
    subjects = sorted(
        " ".join(message["Subject"].split()) for message in smtp_inbox.messages
    )  # French spaces are non-breaking
    assert subjects == ["Dit besøg – Copenhagen", "Votre visite – Copenhagen"]  # the survey's title, in each language
    batch = InvitationBatch.objects.get()
    assert (batch.location, batch.touchpoint, batch.person, batch.created_by) == (
        cast.cph,
        cast.phone,
        cast.anders,
        cast.manager,
    )
    assert set(batch.invitations.values_list("status", flat=True)) == {InvitationStatus.SENT}

    path = _link_in(smtp_inbox, smtp_inbox.messages[0])
    with django_capture_on_commit_callbacks(execute=True):
        manager.post(path, {"q_return": "9", "q_expectation": "met"})
    listing = manager.get("/invitations/").content.decode()
    assert "50.0 %" in listing  # one of two sent invitations answered
    detail = manager.get(f"/invitations/{batch.pk}/").content.decode()
    assert "ana@example.com" in detail and "bo@example.com" in detail


def test_an_invitation_csv_with_a_bad_address_on_line_17_is_refused_naming_line_17_and_nothing_is_stored(
    cast, manager, django_capture_on_commit_callbacks
):
    lines = (
        ["email,language"]
        + [f"customer{number}@example.com,da" for number in range(2, 17)]
        + ["not-an-address,da", "last@example.com,fi"]
    )
    upload = SimpleUploadedFile("customers.csv", "\n".join(lines).encode(), content_type="text/csv")

    answer = _send(manager, cast, django_capture_on_commit_callbacks, file=upload)

    assert answer.status_code == 200
    page = answer.content.decode()
    assert "customers.csv line 17, column email" in page and "not-an-address" in page
    assert "line 16" not in page and "line 18" not in page
    assert not Invitation.objects.exists() and not InvitationBatch.objects.exists()


def test_a_pasted_line_with_an_unknown_language_names_its_line(cast, manager, django_capture_on_commit_callbacks):
    answer = _send(
        manager, cast, django_capture_on_commit_callbacks, addresses="ana@example.com\nbo@example.com, klingon"
    )
    assert "pasted addresses line 2, column language" in answer.content.decode()
    assert not Invitation.objects.exists()


def test_a_store_outside_the_managers_scope_is_refused(cast, manager, django_capture_on_commit_callbacks):
    answer = _send(manager, cast, django_capture_on_commit_callbacks, location=cast.par.pk, addresses="ana@example.com")
    assert answer.status_code == 200 and "Select a valid choice" in answer.content.decode()

    # A CSV naming another store on one of its rows is refused too, naming the line.
    upload = SimpleUploadedFile("mixed.csv", b"email,location\nana@example.com,cph\nbo@example.com,par\n")
    answer = _send(manager, cast, django_capture_on_commit_callbacks, file=upload)
    assert "mixed.csv line 3, column location: par is outside the stores you manage" in answer.content.decode()
    assert not Invitation.objects.exists() and not InvitationBatch.objects.exists()


def test_nothing_to_send_is_a_form_error(cast, manager, django_capture_on_commit_callbacks):
    answer = _send(manager, cast, django_capture_on_commit_callbacks, addresses="  \n ")
    assert "Upload a CSV file or paste addresses." in answer.content.decode()
    assert not InvitationBatch.objects.exists()


def test_the_preview_renders_the_email_in_each_language_and_stores_nothing(cast, manager, smtp_inbox):
    answer = manager.post("/invitations/new/", {"survey": cast.survey.pk, "location": cast.cph.pk, "preview": "1"})
    page = answer.content.decode()
    for subject in (
        "Your visit – Copenhagen",
        "Dit besøg – Copenhagen",
        "Votre visite – Copenhagen",
        "Käyntisi – Copenhagen",
    ):
        assert subject in page
    assert "Teie külastus – Copenhagen" in page
    assert not Invitation.objects.exists() and smtp_inbox.messages == []


def test_a_scheduled_batch_waits_for_the_stores_time_and_the_worker_sends_it_once(
    cast, manager, smtp_inbox, immediate_tasks, django_capture_on_commit_callbacks
):
    answer = _send(
        manager, cast, django_capture_on_commit_callbacks, addresses="ana@example.com", send_at="2036-06-01T09:30"
    )
    assert answer.status_code == 302 and smtp_inbox.messages == []
    batch = InvitationBatch.objects.get()
    # 09:30 in Copenhagen (summer time) is 07:30 UTC.
    assert batch.send_after == datetime(2036, 6, 1, 9, 30, tzinfo=ZoneInfo("Europe/Copenhagen"))

    with django_capture_on_commit_callbacks(execute=True):
        assert invitations_periodic_run(now=batch.send_after - timedelta(minutes=1)).startswith("0 invitations")
    assert smtp_inbox.messages == []
    with django_capture_on_commit_callbacks(execute=True):
        invitations_periodic_run(now=batch.send_after)
        invitations_periodic_run(now=batch.send_after + timedelta(minutes=1))
    assert len(smtp_inbox.messages) == 1
    assert Invitation.objects.get().status == InvitationStatus.SENT


def test_the_worker_reminds_unanswered_invitations_once_after_n_days(
    cast, client, smtp_inbox, immediate_tasks, django_capture_on_commit_callbacks
):
    start = timezone.now()
    rows = [
        {"email": address, "language": "en"}
        for address in ("quiet@example.com", "opened@example.com", "answered@example.com")
    ]
    batch = invitation_batch_create(survey=cast.survey, location=cast.cph, rows=rows, reminder_days=3, send_after=start)
    with django_capture_on_commit_callbacks(execute=True):
        invitations_periodic_run(now=start)
    assert len(smtp_inbox.messages) == 3
    first_links = {message["To"]: _link_in(smtp_inbox, message) for message in smtp_inbox.messages}
    invitations = {invitation.email: invitation for invitation in batch.invitations.all()}
    Invitation.objects.filter(pk=invitations["opened@example.com"].pk).update(
        status=InvitationStatus.OPENED, opened_at=start
    )
    response_submit(
        survey=cast.survey,
        location=cast.cph,
        language="en",
        channel_kind="email",
        invitation=invitations["answered@example.com"],
        raw_answers={"return": 9, "expectation": "met"},
    )
    smtp_inbox.messages.clear()

    with django_capture_on_commit_callbacks(execute=True):
        invitations_periodic_run(now=start + timedelta(days=2))
    assert smtp_inbox.messages == []
    with django_capture_on_commit_callbacks(execute=True):
        invitations_periodic_run(now=start + timedelta(days=3, minutes=1))
        invitations_periodic_run(now=start + timedelta(days=9))
    assert sorted(message["To"] for message in smtp_inbox.messages) == ["opened@example.com", "quiet@example.com"]
    assert all(message["Subject"] == "Reminder: how was your visit to Copenhagen?" for message in smtp_inbox.messages)
    # Both the first email's link and the reminder's open the survey; the answer counts once.
    reminder = next(message for message in smtp_inbox.messages if message["To"] == "quiet@example.com")
    assert client.get(first_links["quiet@example.com"]).status_code == 200
    assert client.get(_link_in(smtp_inbox, reminder)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_link_in(smtp_inbox, reminder), {"q_return": "8", "q_expectation": "met"})
    assert "already answered" in client.get(first_links["quiet@example.com"]).content.decode()
    assert Invitation.objects.get(email="quiet@example.com").status == InvitationStatus.ANSWERED


def test_a_regional_manager_sees_only_the_batches_of_their_region(cast, client):
    invitation_batch_create(survey=cast.survey, location=cast.par, rows=[{"email": "paris@example.fr"}])
    north = invitation_batch_create(survey=cast.survey, location=cast.aar, rows=[{"email": "aarhus@example.dk"}])
    client.force_login(cast.regional)
    listing = client.get("/invitations/").content.decode()
    assert f"/invitations/{north.pk}/" in listing and "Paris" not in listing
    assert client.get(f"/invitations/{InvitationBatch.objects.get(location=cast.par).pk}/").status_code == 404


def test_an_associate_may_not_open_the_invitation_pages(cast, client):
    client.force_login(cast.associate)
    assert client.get("/invitations/").status_code == 403
    assert client.get("/invitations/new/").status_code == 403


def test_a_reminder_wait_outside_one_to_sixty_days_is_refused(cast, manager, django_capture_on_commit_callbacks):
    answer = _send(manager, cast, django_capture_on_commit_callbacks, addresses="ana@example.com", reminder_days="0")
    assert answer.status_code == 200 and not InvitationBatch.objects.exists()


def test_the_owner_sees_the_paris_batch_so_the_scope_test_marker_can_leak(cast, client):
    from tests.feedback.scope_objects import PARIS_INVITEE

    batch = invitation_batch_create(survey=cast.survey, location=cast.par, rows=[{"email": PARIS_INVITEE}])
    client.force_login(cast.owner)
    assert PARIS_INVITEE in client.get(f"/invitations/{batch.pk}/").content.decode()
    assert f"/invitations/{batch.pk}/" in client.get("/invitations/").content.decode()


def test_the_worker_clock_runs_the_invitations_job(
    cast, smtp_inbox, immediate_tasks, django_capture_on_commit_callbacks
):
    from exceed.core.periodic import periodic_run_due

    start = timezone.now()
    invitation_batch_create(
        survey=cast.survey, location=cast.cph, rows=[{"email": "due@example.com"}], send_after=start
    )
    with django_capture_on_commit_callbacks(execute=True):
        results = periodic_run_due(now=start + timedelta(seconds=1))
    assert results["feedback.invitations"] == "1 invitations queued, 0 reminders queued"
    assert [message["To"] for message in smtp_inbox.messages] == ["due@example.com"]


def test_the_framed_preview_shows_the_emails_html_with_its_inline_styles_for_stores_in_scope_only(cast, manager):
    answer = manager.get("/invitations/preview/", {"survey": cast.survey.pk, "location": cast.cph.pk, "language": "da"})
    assert answer.status_code == 200
    assert "Besvar spørgeskemaet" in answer.content.decode() and 'style="' in answer.content.decode()
    assert (
        "'unsafe-inline'" in answer["Content-Security-Policy"]
        and "script-src 'self'" in answer["Content-Security-Policy"]
    )
    assert answer["X-Frame-Options"] == "SAMEORIGIN"
    assert (
        manager.get(
            "/invitations/preview/", {"survey": cast.survey.pk, "location": cast.par.pk, "language": "fr"}
        ).status_code
        == 404
    )
    assert (
        manager.get(
            "/invitations/preview/", {"survey": cast.survey.pk, "location": cast.cph.pk, "language": "xx"}
        ).status_code
        == 404
    )


def test_in_french_an_opened_invitation_reads_ouverte_and_the_counts_agree_with_invitations(cast, manager):
    batch = invitation_batch_create(
        survey=cast.survey, location=cast.cph, rows=[{"email": "ana@example.com", "language": "fr"}]
    )
    batch.invitations.update(status=InvitationStatus.OPENED, sent_at=timezone.now())

    listing = manager.get("/invitations/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    detail = manager.get(f"/invitations/{batch.pk}/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    for label in ("Envoyées", "Ouvertes", "Avec réponse", "Rejetées"):
        assert label in listing and label in detail
    assert "<td>Ouverte</td>" in detail and "Envoyée le" in detail
    # The case list's "Opened" column keeps its own word.
    assert "Ouverte" not in manager.get("/recovery/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
