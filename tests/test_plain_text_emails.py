"""Issue 7, item 9: plain-text emails say what was typed, not its HTML escape."""

from exceed.feedback.mail import invitation_email_send
from exceed.feedback.services import invitation_create
from exceed.recovery.mail import alert_send
from tests.recovery.factories import staff_case


def test_an_invitations_text_and_subject_keep_apostrophes_and_ampersands(cast, smtp_inbox):
    """Reproducer: the invitation to « Chez Marie & Fils » read "Chez Marie &amp; Fils" and the
    French text "n&#x27;était" in its plain-text part."""
    cast.par.name = "Chez l'Ami & Fils"
    cast.par.save()
    cast.survey.intro = {"fr": "Votre avis n'était jamais aussi précieux."}
    cast.survey.save()
    invitation = invitation_create(survey=cast.survey, location=cast.par, email="k@example.com", language="fr")
    assert invitation_email_send(invitation=invitation) == "sent"
    message = smtp_inbox.messages[0]
    text = smtp_inbox.text_of(message)
    assert "Chez l'Ami & Fils" in text and "n'était jamais" in text
    assert "&#x27;" not in text and "&amp;" not in text
    assert "&amp;" not in message["Subject"] and "&#x27;" not in message["Subject"]
    # The HTML part still escapes what it shows.
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "&amp; Fils" in html


def test_a_case_alert_keeps_the_summary_as_typed(cast, smtp_inbox):
    """Reproducer: a case "Le client n'était pas content <vite>" was mailed as
    "n&#x27;était pas content &lt;vite&gt;"."""
    case = staff_case(cast, summary="Le client n'était pas content <vite>")
    assert alert_send(case=case) >= 1
    text = smtp_inbox.text_of(smtp_inbox.messages[-1])
    assert "Le client n'était pas content <vite>" in text
