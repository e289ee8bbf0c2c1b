from datetime import timedelta

import pytest
from django.utils import timezone

from exceed.errors import DomainError
from exceed.org.models import Membership
from exceed.org.scopes import scope_for
from exceed.standards import services
from exceed.standards.mail import acknowledgement_remind, acknowledgement_reminders_send, review_reminders_send
from exceed.standards.models import AcknowledgementReminder, PlaybookEntry


def test_no_reminder_within_the_grace_period_then_one_email_listing_what_is_pending(cast, playbook, smtp_inbox):
    now = timezone.now()
    assert acknowledgement_reminders_send(now=now) == 0
    assert smtp_inbox.messages == []
    services.acknowledgement_create(user=cast.associate, version=playbook.late_v1)
    assert acknowledgement_reminders_send(now=now + timedelta(days=8)) == 1
    [message] = smtp_inbox.messages
    assert message["To"] == "anders@example.com"
    body = smtp_inbox.text_of(message)
    assert "Out of stock" in body and "Late delivery" not in body
    assert f"/standards/entries/{playbook.stock_all.pk}/" in body
    # Not again the next hour; again a week later.
    assert acknowledgement_reminders_send(now=now + timedelta(days=8, hours=1)) == 0
    assert acknowledgement_reminders_send(now=now + timedelta(days=15, hours=1)) == 1


def test_a_reminder_is_written_in_the_readers_language(cast, playbook, smtp_inbox):
    Membership.objects.filter(user=cast.associate).update(language="fi")
    acknowledgement_reminders_send(now=timezone.now() + timedelta(days=8))
    [message] = smtp_inbox.messages
    body = smtp_inbox.text_of(message)
    assert "Myöhästynyt toimitus" in body and "Loppuunmyyty" in body


def test_a_store_manager_reminds_their_store_at_once_and_a_double_click_sends_one(cast, playbook, smtp_inbox):
    sent = acknowledgement_remind(scope=scope_for(cast.manager), by=cast.manager, location_id=cast.cph.pk)
    assert sent == 1
    assert acknowledgement_remind(scope=scope_for(cast.manager), by=cast.manager, location_id=cast.cph.pk) == 0
    [message] = smtp_inbox.messages
    assert "mette" in smtp_inbox.text_of(message)
    assert AcknowledgementReminder.objects.filter(by=cast.manager).count() == 2


def test_a_manager_cannot_remind_another_store(cast, playbook, smtp_inbox):
    for role in ("manager", "associate", "shopper"):
        with pytest.raises(DomainError) as error:
            acknowledgement_remind(scope=scope_for(cast.roles[role]), by=cast.roles[role], location_id=cast.par.pk)
        assert error.value.status == 403
    assert smtp_inbox.messages == []


def test_an_entry_owner_hears_once_when_the_review_date_passes(cast, playbook, smtp_inbox):
    today = timezone.localdate()
    PlaybookEntry.objects.filter(pk=playbook.late_phone.pk).update(review_on=today)
    assert review_reminders_send(now=timezone.now()) == 0
    later = timezone.now() + timedelta(days=2)
    assert review_reminders_send(now=later) == 1
    [message] = smtp_inbox.messages
    assert message["To"] == "olivia@example.com"
    assert "Late delivery" in smtp_inbox.text_of(message)
    assert review_reminders_send(now=later) == 0


def test_a_failed_email_is_not_recorded_as_sent(cast, playbook, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    assert acknowledgement_reminders_send(now=timezone.now() + timedelta(days=8)) == 0
    assert not AcknowledgementReminder.objects.exists()
