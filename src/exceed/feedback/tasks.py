"""Background work for feedback: sending email invitations, scheduled ones and their one reminder.

A task fetches its row and calls a service; the worker (`exceed worker`) runs it. Sending is
idempotent per invitation: an invitation already sent is not sent again when a task is retried.
"""

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from exceed.feedback import services
from exceed.feedback.mail import invitation_email_send
from exceed.feedback.models import Invitation, InvitationBatch, InvitationStatus


@task()
def invitation_send(invitation_id: int) -> str:
    invitation = (
        Invitation.objects.select_related("survey", "location", "touchpoint", "person").filter(pk=invitation_id).first()
    )
    if invitation is None:
        return "missing"
    if not invitation.email:
        return "erased"  # at the customer's request, after it was queued (exceed.privacy)
    if invitation.status not in (InvitationStatus.PENDING, InvitationStatus.FAILED):
        return invitation.status
    return invitation_email_send(invitation=invitation)


def invitation_send_after_commit(invitation_id: int) -> None:
    """Queue the email once the invitation is committed, so a worker never picks up a rolled-back one."""
    transaction.on_commit(lambda: invitation_send.enqueue(invitation_id))


@task()
def invitation_remind(invitation_id: int) -> str:
    invitation = (
        Invitation.objects.select_related("survey", "location")
        .filter(pk=invitation_id, answered_at__isnull=True)
        .first()
    )
    if invitation is None:
        return "answered or missing"
    if not invitation.email:
        return "erased"
    return invitation_email_send(invitation=invitation, reminder=True)


@task()
def invitation_batch_queue(batch_id: int) -> int:
    """Queue a batch sent "now" from the back office, off the request: each invitation is claimed first."""
    batch = InvitationBatch.objects.filter(pk=batch_id).first()
    return invitations_queue_due(now=timezone.now(), batch=batch) if batch is not None else 0


def invitations_queue_due(*, now, batch=None) -> int:
    """Queue the invitations whose send time has come (claimed first, so each is queued once)."""
    claimed = services.invitations_claim_due(now=now, batch=batch)
    for pk in claimed:
        transaction.on_commit(lambda pk=pk: invitation_send.enqueue(pk))
    return len(claimed)


def invitations_periodic_run(*, now) -> str:
    """The worker's minute job: scheduled invitations whose time has come, then due reminders."""
    queued = invitations_queue_due(now=now)
    reminders = services.invitations_claim_reminders(now=now)
    for pk in reminders:
        transaction.on_commit(lambda pk=pk: invitation_remind.enqueue(pk))
    return f"{queued} invitations queued, {len(reminders)} reminders queued"
