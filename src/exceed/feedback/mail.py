"""The invitation email, in the customer's language, with a single-use link."""

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from exceed.feedback.models import Invitation, translated
from exceed.feedback.services import invitation_issue_token, invitation_mark_sent
from exceed.plaintext import render_text


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


def invitation_email_render(
    *, invitation: Invitation, link: str, language: str, reminder: bool = False
) -> RenderedEmail:
    """The email exactly as sent; the back office previews it through this same function."""
    survey = invitation.survey
    with translation.override(language):
        context = {
            "invitation": invitation,
            "link": link,
            "location": invitation.location,
            "title": translated(survey.title, language, survey.default_language),
            "intro": translated(survey.intro, language, survey.default_language),
            "language": language,
            "reminder": reminder,
        }
        subject = render_text("feedback/email/invitation_subject.txt", context).strip()
        text = render_text("feedback/email/invitation.txt", context)
        html = render_to_string("feedback/email/invitation.html", context)
    return RenderedEmail(subject, text, html)


def invitation_email_send(*, invitation: Invitation, reminder: bool = False) -> str:
    """Issue a fresh token, send the email, record the outcome. Returns the new status.

    A reminder carries a token of its own (only hashes are kept, so the first cannot be sent
    again); the first email's link keeps working.
    """
    token = invitation_issue_token(invitation=invitation, reminder=reminder)
    language = invitation.language or invitation.location.default_language
    link = settings.BASE_URL + reverse("feedback:invitation", args=[token])
    email = invitation_email_render(invitation=invitation, link=link, language=language, reminder=reminder)
    message = EmailMultiAlternatives(subject=email.subject, body=email.text, to=[invitation.email])
    message.attach_alternative(email.html, "text/html")
    try:
        message.send()
    except Exception as exc:
        if reminder:
            return "failed"  # the first mail did arrive; the invitation keeps its status
        invitation_mark_sent(invitation=invitation, error=f"{type(exc).__name__}: {exc}")
        return "failed"
    if reminder:
        return "reminded"
    invitation_mark_sent(invitation=invitation)
    return "sent"
