"""Alert and escalation emails to the managers responsible for a case's location."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import translation

from exceed.org.selectors import managers_of_location
from exceed.plaintext import render_text
from exceed.recovery.models import RecoveryCase, RecoveryStep


def _emails(users) -> list[str]:
    return sorted({user.email for user in users if user.email})


def location_managers(case: RecoveryCase) -> list[str]:
    return _emails(managers_of_location(case.location, level="location"))


def regional_managers(case: RecoveryCase) -> list[str]:
    return _emails(managers_of_location(case.location, level="region"))


def owners(case: RecoveryCase) -> list[str]:
    return _emails(managers_of_location(case.location, level="chain"))


def _send(*, recipients: list[str], template: str, context: dict, language: str) -> None:
    with translation.override(language):
        subject = render_text(f"recovery/email/{template}_subject.txt", context).strip()
        body = render_text(f"recovery/email/{template}.txt", context)
    EmailMessage(subject=subject, body=body, to=recipients).send()


def alert_send(*, case: RecoveryCase) -> int:
    """One email to the location's managers (or, where it has none, the region's, then the owners)."""
    recipients = location_managers(case) or regional_managers(case) or owners(case)
    if not recipients:
        return 0
    context = {
        "case": case,
        "link": settings.BASE_URL + reverse("recovery:case_detail", args=[case.pk]),
        "steps": case.steps.all(),
    }
    _send(recipients=recipients, template="alert", context=context, language=case.location.default_language)
    return len(recipients)


def escalation_send(*, step: RecoveryStep) -> int:
    """An overdue step goes to the regional manager (the owners where the region has none)."""
    case = step.case
    recipients = regional_managers(case) or owners(case)
    if not recipients:
        return 0
    context = {"case": case, "step": step, "link": settings.BASE_URL + reverse("recovery:case_detail", args=[case.pk])}
    _send(recipients=recipients, template="escalation", context=context, language=case.location.default_language)
    return len(recipients)


def double_deviation_send(*, case: RecoveryCase) -> int:
    """The customer rated the recovery itself 1–2: the location's managers hear at once, the
    region's too, since failing twice loses the customer unless someone senior steps in."""
    recipients = sorted(set(location_managers(case)) | set(regional_managers(case))) or owners(case)
    if not recipients:
        return 0
    context = {"case": case, "link": settings.BASE_URL + reverse("recovery:case_detail", args=[case.pk])}
    _send(recipients=recipients, template="double_deviation", context=context, language=case.location.default_language)
    return len(recipients)
