"""The invitation email, in the customer's language, with a single-use link."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from exceed.feedback.models import Invitation, translated
from exceed.feedback.services import invitation_issue_token, invitation_mark_sent
from exceed.plaintext import render_text


def invitation_email_send(*, invitation: Invitation) -> str:
    """Issue a fresh token, send the email, record the outcome. Returns the new status."""
    token = invitation_issue_token(invitation=invitation)
    language = invitation.language or invitation.location.default_language
    link = settings.BASE_URL + reverse("feedback:invitation", args=[token])
    survey = invitation.survey
    with translation.override(language):
        context = {
            "invitation": invitation,
            "link": link,
            "location": invitation.location,
            "title": translated(survey.title, language, survey.default_language),
            "intro": translated(survey.intro, language, survey.default_language),
            "language": language,
        }
        subject = render_text("feedback/email/invitation_subject.txt", context).strip()
        text = render_text("feedback/email/invitation.txt", context)
        html = render_to_string("feedback/email/invitation.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[invitation.email])
    message.attach_alternative(html, "text/html")
    try:
        message.send()
    except Exception as exc:
        invitation_mark_sent(invitation=invitation, error=f"{type(exc).__name__}: {exc}")
        return "failed"
    invitation_mark_sent(invitation=invitation)
    return "sent"
