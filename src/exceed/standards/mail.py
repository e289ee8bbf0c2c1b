"""Reminder emails: to people who have not acknowledged what applies to them, and to entry owners
whose review date has passed. Each in its reader's language (standards.selectors.person_language).

The automatic reminder waits ``GRACE`` after a publication, then repeats at most every
``REMIND_EVERY`` per version; a manager's reminder goes at once (but not twice within an hour,
so a double click sends one email).
"""

import logging
from collections import defaultdict
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from exceed.org.models import Person
from exceed.org.scopes import COMMAND_LINE, Scope
from exceed.plaintext import render_text
from exceed.standards.models import AcknowledgementReminder, Charter, EntryStatus, EntryVersion, PlaybookEntry
from exceed.standards.selectors import entry_title, pending_in_scope, person_language

logger = logging.getLogger(__name__)

GRACE = timedelta(days=7)
REMIND_EVERY = timedelta(days=7)
MANAGER_REPEAT = timedelta(hours=1)


def _entry_link(entry: PlaybookEntry) -> str:
    return settings.BASE_URL + reverse("standards:entry", args=[entry.pk])


def _address(person: Person) -> str:
    return (person.user.email if person.user_id and person.user.email else "") or person.email


def _send(*, to: str, template: str, context: dict, language: str) -> None:
    with translation.override(language):
        subject = render_text(f"standards/email/{template}_subject.txt", context).strip()
        body = render_text(f"standards/email/{template}.txt", context)
    EmailMessage(subject=subject, body=body, to=[to]).send()


def _remind(*, pending: dict[Person, list[EntryVersion]], by=None, sender: str = "", now: datetime) -> int:
    """One email per person listing their versions; a reminder row per version sent. Returns emails sent."""
    sent = 0
    for person, versions in pending.items():
        address = _address(person)
        # Without an active login the link in the email leads nowhere: their manager sees them as
        # "no login" on the coverage page instead.
        if not address or not versions or person.user is None or not person.user.is_active:
            continue
        language = person_language(person)
        with translation.override(language):
            items = [
                {"version": v, "title": entry_title(v.entry, language), "link": _entry_link(v.entry)} for v in versions
            ]
        context = {"person": person, "items": items, "count": len(items), "sender": sender}
        try:
            with transaction.atomic():
                # Recorded first and rolled back if the server refuses, so a failed email is tried again.
                AcknowledgementReminder.objects.bulk_create(
                    [AcknowledgementReminder(version=v, person=person, by=by, at=now) for v in versions]
                )
                _send(to=address, template="acknowledge", context=context, language=language)
        except OSError:
            # One refused address must not stop the others; the next sweep tries it again.
            logger.exception("acknowledgement reminder to person %s failed", person.pk)
            continue
        sent += 1
    return sent


def _recently_reminded(pending: dict[Person, list[EntryVersion]], since: datetime) -> set[tuple[int, int]]:
    return set(
        AcknowledgementReminder.objects.filter(
            person__in=list(pending), version__in={v.pk for vs in pending.values() for v in vs}, at__gte=since
        ).values_list("person_id", "version_id")
    )


def acknowledgement_reminders_send(*, now: datetime | None = None) -> int:
    """The periodic sweep: everyone with a version in force for longer than GRACE, unacknowledged
    and not reminded of it within REMIND_EVERY. Returns the number of emails sent."""
    now = now or timezone.now()
    pending = pending_in_scope(scope=COMMAND_LINE)
    recent = _recently_reminded(pending, now - REMIND_EVERY)
    due = {
        person: [v for v in versions if v.published_at <= now - GRACE and (person.pk, v.pk) not in recent]
        for person, versions in pending.items()
    }
    return _remind(pending={p: vs for p, vs in due.items() if vs}, now=now)


def acknowledgement_remind(
    *, scope: Scope, by, location_id: int, version_id: int | None = None, now: datetime | None = None
) -> int:
    """A manager reminds the people at ``location_id`` (in their scope) of what they have not
    acknowledged, at once. Returns the number of emails sent."""
    from django.utils.translation import gettext as _

    from exceed.errors import DomainError

    if not scope.may_remind_at(location_id):
        raise DomainError(_("You may not send reminders for this location."), field="location", status=403)
    now = now or timezone.now()
    pending = pending_in_scope(scope=scope, location_id=location_id, version_id=version_id)
    recent = _recently_reminded(pending, now - MANAGER_REPEAT)
    due = {p: [v for v in vs if (p.pk, v.pk) not in recent] for p, vs in pending.items()}
    sender = (by.get_full_name() or by.username) if by is not None else ""
    return _remind(pending={p: vs for p, vs in due.items() if vs}, by=by, sender=sender, now=now)


def review_reminders_send(*, now: datetime | None = None) -> int:
    """Entry owners hear once per passed review date, one email listing their entries."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    entries = (
        PlaybookEntry.objects.exclude(status=EntryStatus.RETIRED)
        .filter(review_on__lt=today, owner__isnull=False, owner__is_active=True)
        .select_related("situation", "touchpoint", "owner__membership")
    )
    by_owner: dict[int, list[PlaybookEntry]] = defaultdict(list)
    owners = {}
    for entry in entries:
        if entry.review_reminded_for != entry.review_on and entry.owner.email:
            by_owner[entry.owner_id].append(entry)
            owners[entry.owner_id] = entry.owner
    sent = 0
    for owner_id, their_entries in by_owner.items():
        owner = owners[owner_id]
        membership = getattr(owner, "membership", None)
        language = (membership.language if membership else "") or settings.LANGUAGE_CODE[:2]
        with translation.override(language):
            items = [
                {"title": entry_title(e, language), "review_on": e.review_on.isoformat(), "link": _entry_link(e)}
                for e in their_entries
            ]
        _send(to=owner.email, template="review", context={"items": items}, language=language)
        for entry in their_entries:
            PlaybookEntry.objects.filter(pk=entry.pk).update(review_reminded_for=entry.review_on)
        sent += 1
    charter = Charter.objects.filter(pk=1, review_on__lt=today).select_related("owner").first()
    if (
        charter is not None
        and charter.owner
        and charter.owner.email
        and charter.review_reminded_for != charter.review_on
    ):
        membership = getattr(charter.owner, "membership", None)
        language = (membership.language if membership else "") or settings.LANGUAGE_CODE[:2]
        link = settings.BASE_URL + reverse("standards:charter")
        from django.utils.translation import gettext as _

        with translation.override(language):
            items = [{"title": _("Experience charter"), "review_on": charter.review_on.isoformat(), "link": link}]
        _send(to=charter.owner.email, template="review", context={"items": items}, language=language)
        Charter.objects.filter(pk=1).update(review_reminded_for=charter.review_on)
        sent += 1
    return sent


def standards_tick_run(*, now: datetime) -> dict:
    """The periodic job (registered in StandardsConfig.ready)."""
    return {
        "acknowledgement_reminders": acknowledgement_reminders_send(now=now),
        "review_reminders": review_reminders_send(now=now),
    }
