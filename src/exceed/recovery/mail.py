"""Alert and escalation emails to the managers responsible for a case's location.

Each email is written in its reader's language (the login's preferred language, else the store's)
with times in the store's zone (the templates' ``timezone`` blocks) and dates in the reader's
locale formats. Overdue steps reach the escalation level as one digest per person per period.
"""

from collections import defaultdict
from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import translation

from exceed.org.models import Location
from exceed.org.selectors import managers_of_location
from exceed.plaintext import render_text
from exceed.recovery.models import RecoveryCase, RecoveryStep


def recipient_language(user, location: Location) -> str:
    """The login's own language where it chose one; otherwise the store's the email is about."""
    membership = getattr(user, "membership", None)
    return (membership.language if membership is not None else "") or location.default_language


def _by_language(users, location: Location) -> dict[str, list[str]]:
    """The recipients' addresses grouped by the language each reads: one message per group."""
    groups: dict[str, set[str]] = defaultdict(set)
    for user in users:
        if user.email:
            groups[recipient_language(user, location)].add(user.email)
    return {language: sorted(emails) for language, emails in sorted(groups.items())}


def _managers(location: Location, level: str) -> list:
    return list(managers_of_location(location, level=level).select_related("membership"))


def _link(case: RecoveryCase) -> str:
    return settings.BASE_URL + reverse("recovery:case_detail", args=[case.pk])


def _send(*, recipients: list[str], template: str, context: dict, language: str) -> None:
    with translation.override(language):
        subject = render_text(f"recovery/email/{template}_subject.txt", context).strip()
        body = render_text(f"recovery/email/{template}.txt", context)
    EmailMessage(subject=subject, body=body, to=recipients).send()


def _send_by_language(*, users, location: Location, template: str, context: dict) -> int:
    sent = 0
    for language, recipients in _by_language(users, location).items():
        _send(recipients=recipients, template=template, context=context, language=language)
        sent += len(recipients)
    return sent


def alert_send(*, case: RecoveryCase) -> int:
    """One email per case to the location's managers (or, where it has none, the region's, then
    the owners), each in the language they read."""
    location = case.location
    users = (
        [u for u in _managers(location, "location") if u.email]
        or [u for u in _managers(location, "region") if u.email]
        or _managers(location, "chain")
    )
    context = {"case": case, "link": _link(case), "steps": case.steps.all()}
    return _send_by_language(users=users, location=location, template="alert", context=context)


def escalation_recipients(location: Location) -> list:
    """Who hears of overdue steps: the region's managers, the owners where the region has none."""
    return [u for u in _managers(location, "region") if u.email] or [u for u in _managers(location, "chain") if u.email]


def overdue_digests_send(*, steps: list[RecoveryStep], now: datetime) -> set[int]:
    """One email per escalation recipient listing every overdue step of theirs, by case.

    Returns the ids of the steps whose digest failed to reach someone, for the caller to offer
    again next period.
    """
    recipients_of: dict[int, list] = {}
    users: dict[int, object] = {}
    steps_of: dict[int, list[RecoveryStep]] = defaultdict(list)
    for step in steps:
        location = step.case.location
        if location.pk not in recipients_of:
            recipients_of[location.pk] = escalation_recipients(location)
        for user in recipients_of[location.pk]:
            users[user.pk] = user
            steps_of[user.pk].append(step)
    failed: set[int] = set()
    for user_pk, their_steps in steps_of.items():
        user = users[user_pk]
        cases: dict[int, dict] = {}
        for step in sorted(their_steps, key=lambda s: (s.due_at, s.pk)):
            entry = cases.setdefault(step.case_id, {"case": step.case, "link": _link(step.case), "steps": []})
            entry["steps"].append(step)
        context = {"cases": list(cases.values()), "count": len(their_steps), "now": now}
        # The store of the most pressing case names the language when the login chose none.
        language = recipient_language(user, their_steps[0].case.location)
        try:
            _send(recipients=[user.email], template="overdue_digest", context=context, language=language)
        except Exception:
            failed.update(step.pk for step in their_steps)
    return failed


def double_deviation_send(*, case: RecoveryCase) -> int:
    """The customer rated the recovery itself 1–2: the location's managers hear at once, the
    region's too, since failing twice loses the customer unless someone senior steps in."""
    location = case.location
    users = [u for u in _managers(location, "location") + _managers(location, "region") if u.email] or _managers(
        location, "chain"
    )
    context = {"case": case, "link": _link(case)}
    return _send_by_language(users=users, location=location, template="double_deviation", context=context)
