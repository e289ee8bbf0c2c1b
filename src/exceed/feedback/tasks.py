"""Background work for feedback: sending email invitations.

A task fetches its row and calls a service; the worker (`exceed worker`) runs it. Sending is
idempotent per invitation: an invitation already sent is not sent again when a task is retried.
"""

from django.db import transaction
from django_tasks import task

from exceed.feedback.mail import invitation_email_send
from exceed.feedback.models import Invitation, InvitationStatus


@task()
def invitation_send(invitation_id: int) -> str:
    invitation = (
        Invitation.objects.select_related("survey", "location", "touchpoint", "person").filter(pk=invitation_id).first()
    )
    if invitation is None:
        return "missing"
    if invitation.status not in (InvitationStatus.PENDING, InvitationStatus.FAILED):
        return invitation.status
    return invitation_email_send(invitation=invitation)


def invitation_send_after_commit(invitation_id: int) -> None:
    """Queue the email once the invitation is committed, so a worker never picks up a rolled-back one."""
    transaction.on_commit(lambda: invitation_send.enqueue(invitation_id))
