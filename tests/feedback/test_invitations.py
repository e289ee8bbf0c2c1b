import re

import pytest
from django.core.management import call_command

from exceed.feedback.models import Invitation, InvitationStatus, Response
from exceed.feedback.services import invitation_create
from exceed.feedback.tasks import invitation_send


def _invite(cast, **kwargs):
    kwargs.setdefault("email", "kunde@example.com")
    return invitation_create(survey=cast.survey, location=cast.cph, touchpoint=cast.phone, person=cast.anders, **kwargs)


def _link_in(inbox, message) -> str:
    return re.search(r"http://\S+/i/[\w-]+/", inbox.text_of(message)).group(0)


# The worker closes its database connection between tasks, as a long-running process should;
# that needs a real (transactional) test database rather than one wrapped in a transaction.
# serialized_rollback restores the migrations' rows (touchpoints, recovery rules) afterwards; every
# transactional test outside tests/browser must ask for it, or the next one that does fails on
# content types recreated by the flush.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_sends_an_invitation_through_smtp_and_the_answer_is_attributed(cast, smtp_inbox, client):
    invitation = _invite(cast, language="da", transaction_ref="ORD-1001")
    invitation_send.enqueue(invitation.pk)
    # The real database worker, as `exceed worker` runs it, processes the queue once.
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)

    assert len(smtp_inbox.messages) == 1
    message = smtp_inbox.messages[0]
    assert message["To"] == "kunde@example.com"
    assert "Copenhagen" in message["Subject"]
    link = _link_in(smtp_inbox, message)
    path = link.split("127.0.0.1:8000", 1)[-1]

    page = client.get(path)
    assert page.status_code == 200
    assert "Hvor sandsynligt" in page.content.decode()  # the invitation's language, Danish
    answered = client.post(path, {"q_return": "10", "q_expectation": "exceeded"})
    assert answered.status_code == 200

    response = Response.objects.get()
    assert (response.location, response.touchpoint, response.channel_kind) == (cast.cph, cast.phone, "email")
    assert list(response.people.all()) == [cast.anders]
    assert response.transaction_ref == "ORD-1001"
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ANSWERED and invitation.opened_at is not None


def test_an_invitation_answered_twice_keeps_the_first_answer(cast, smtp_inbox, client, immediate_tasks):
    invitation_send.enqueue(_invite(cast, language="en").pk)
    path = "/i/" + _link_in(smtp_inbox, smtp_inbox.messages[0]).rsplit("/i/", 1)[1]
    client.post(path, {"q_return": "3", "q_expectation": "below"})
    second = client.post(path, {"q_return": "10", "q_expectation": "exceeded"})
    assert second.status_code == 200
    assert "already answered" in second.content.decode()
    assert list(Response.objects.values_list("return_likelihood", flat=True)) == [3]


def test_an_unknown_invitation_token_is_not_found(cast, client):
    assert client.get("/i/not-a-real-token/").status_code == 404


def test_a_failed_delivery_is_recorded_and_retried_later(cast, settings, immediate_tasks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens on the discard port
    invitation = _invite(cast)
    invitation_send.enqueue(invitation.pk)
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.FAILED and invitation.error
    assert Invitation.objects.get().token_hash  # a token was issued, but the mail never left


def test_the_language_switcher_works_on_an_invitation_in_another_language(cast, smtp_inbox, client, immediate_tasks):
    invitation_send.enqueue(_invite(cast, language="da").pk)
    path = "/i/" + _link_in(smtp_inbox, smtp_inbox.messages[0]).rsplit("/i/", 1)[1]
    assert "Hvor sandsynligt" in client.get(path).content.decode()
    assert "Kuinka todennäköisesti" in client.get(path + "?lang=fi").content.decode()
    client.post(path + "?lang=fi", {"q_return": "9", "q_expectation": "met", "lang": "fi"})
    assert Response.objects.get().language == "fi"


def test_the_invitation_email_thanks_the_customer_once(cast, smtp_inbox):
    from exceed.feedback.mail import invitation_email_send

    for language, thanks in (("da", "Tak"), ("en", "Thank you"), ("fr", "Merci"), ("fi", "Kiitos"), ("et", "Aitäh")):
        smtp_inbox.messages.clear()
        invitation_email_send(invitation=_invite(cast, language=language))
        message = smtp_inbox.messages[0]
        text = smtp_inbox.text_of(message)
        html = message.get_body(preferencelist=("html",)).get_content()
        assert text.count(thanks) == 1, (language, text)
        assert html.count(thanks) == 1, (language, html)
