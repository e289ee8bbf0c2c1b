"""Retention periods per kind of data, and the periodic purge that keeps the measures exact."""

from datetime import timedelta

from axes.models import AccessAttempt, AccessLog
from django.utils import timezone

from exceed.core.periodic import periodic_jobs
from exceed.feedback.models import Answer, Invitation, Response
from exceed.feedback.services import invitation_create, invitation_mark_sent
from exceed.privacy.models import PrivacyAudit, RetentionPeriod
from exceed.privacy.services import login_records_purge, retention_apply
from exceed.recovery.models import RecoveryCase
from tests.privacy.customers import STRANGER_EMAIL
from tests.privacy.test_find_export_erase import _figures


def test_the_owner_sets_days_per_kind_and_blank_keeps(client, cast):
    client.force_login(cast.owner)
    page = client.get("/privacy/retention/")
    assert page.status_code == 200
    answer = client.post("/privacy/retention/", {"contact": "30", "comments": "", "invitation_addresses": "365"})
    assert answer.status_code == 302
    assert dict(RetentionPeriod.objects.values_list("kind", "days")) == {
        "contact": 30,
        "comments": None,
        "invitation_addresses": 365,
    }


def test_a_retention_of_zero_or_words_is_refused_and_nothing_saved(client, cast):
    client.force_login(cast.owner)
    answer = client.post(
        "/privacy/retention/",
        {"contact": "0", "comments": "lots", "invitation_addresses": "5"},
        HTTP_ACCEPT_LANGUAGE="da",
    )
    assert answer.status_code == 400
    assert set(answer.context["form"].errors) == {"contact", "comments"}
    assert not RetentionPeriod.objects.exists()


def test_the_purge_clears_what_is_older_in_batches_and_the_measures_stay_exact(cast, held):
    old_invitation = invitation_create(survey=cast.survey, location=cast.cph, email="old@example.com")
    invitation_mark_sent(invitation=old_invitation)
    Invitation.objects.filter(pk=old_invitation.pk).update(created_at=timezone.now() - timedelta(days=40))
    waiting = invitation_create(survey=cast.survey, location=cast.cph, email="waiting@example.com")
    Invitation.objects.filter(pk=waiting.pk).update(created_at=timezone.now() - timedelta(days=40))
    for kind in ("contact", "comments", "invitation_addresses"):
        RetentionPeriod.objects.create(kind=kind, days=1 if kind != "invitation_addresses" else 30)
    before = _figures(cast)

    # A batch of one: every row still gets cleared, one short transaction at a time.
    cleared = retention_apply(batch=1)

    assert _figures(cast) == before
    # Older than a day: the three-day-old answers (Kirsten's and the stranger's) and the staff case.
    held.by_email.refresh_from_db()
    held.stranger.refresh_from_db()
    assert (held.by_email.contact_email, held.by_email.comment) == ("", "")
    assert (held.stranger.contact_email, held.stranger.comment) == ("", "")
    assert not Answer.objects.filter(response=held.stranger).exclude(text="").exists()
    assert RecoveryCase.objects.get(pk=held.staff_case.pk).contact_phone == ""
    # Younger than a day: kept.
    held.by_invitation.refresh_from_db()
    assert held.by_invitation.comment == "Kirsten again, via the mail"
    # The sent invitation lost its address; the one still waiting to go out keeps it.
    assert Invitation.objects.get(pk=old_invitation.pk).email == ""
    assert Invitation.objects.get(pk=waiting.pk).email == "waiting@example.com"
    assert cleared["contact"] >= 3 and cleared["comments"] >= 2 and cleared["invitation_addresses"] == 1
    purges = dict(PrivacyAudit.objects.filter(action="purge").values_list("kind", "counts"))
    assert purges["invitation_addresses"] == {"items": 1}
    assert not Response.objects.filter(contact_email=STRANGER_EMAIL).exists()


def test_nothing_is_purged_without_a_period(cast, held):
    retention_apply()
    held.by_email.refresh_from_db()
    assert held.by_email.comment != ""
    assert not PrivacyAudit.objects.exists()


def test_the_purge_is_periodic_work_of_the_worker(cast):
    assert "privacy.retention" in {job.name for job in periodic_jobs()}


def test_sign_in_records_older_than_the_setting_are_deleted(cast, settings):
    settings.EXCEED_LOGIN_RECORD_DAYS = 30
    old = AccessLog.objects.create(username="olivia", ip_address="192.0.2.1", user_agent="x")
    AccessLog.objects.filter(pk=old.pk).update(attempt_time=timezone.now() - timedelta(days=31))
    recent = AccessLog.objects.create(username="olivia", ip_address="192.0.2.1", user_agent="x")
    attempt = AccessAttempt.objects.create(
        username="rasmus", ip_address="192.0.2.2", user_agent="x", failures_since_start=3
    )
    AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=timezone.now() - timedelta(days=40))

    assert login_records_purge() == 2
    assert list(AccessLog.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not AccessAttempt.objects.exists()

    settings.EXCEED_LOGIN_RECORD_DAYS = 0
    AccessLog.objects.filter(pk=recent.pk).update(attempt_time=timezone.now() - timedelta(days=400))
    assert login_records_purge() == 0
