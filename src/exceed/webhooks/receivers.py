"""The events, heard from the apps below (feedback's ``response_stored``, recovery's signals) and
turned into queued messages. A failure here is logged and never raised: the answer or the case
matters more than its notification, and the savepoint keeps the caller's transaction usable.

Payloads carry ids, codes and scores, never the customer's contact details or comment: a webhook
leaves the installation for another system's endpoint and logs. A receiver that needs more asks
the API (``GET /api/v1/responses/{id}``, ``GET /api/v1/cases/{id}``) with a token of its own.
"""

import logging

from django.db import transaction
from django.dispatch import receiver

from exceed.core.measures import Outcome
from exceed.feedback.services import response_stored
from exceed.recovery.signals import case_closed, case_opened, step_overdue
from exceed.webhooks.services import event_publish

logger = logging.getLogger(__name__)


def _publish(event: str, build) -> None:
    try:
        if not transaction.get_connection().in_atomic_block:
            # After a response's commit: event_publish writes in a transaction of its own only when
            # someone subscribed. A transaction around its read would, on SQLite, take the write
            # lock (BEGIN IMMEDIATE) for every answer only to find no subscription (issue 11).
            event_publish(event=event, data=build())
            return
        with transaction.atomic():
            event_publish(event=event, data=build())
    except Exception:
        logger.exception("webhook event %s was not queued", event)


def _response_data(response) -> dict:
    return {
        "id": response.pk,
        "survey": response.survey.slug,
        "location": response.location.code,
        "touchpoint": response.touchpoint.code if response.touchpoint_id else None,
        "channel": response.channel_kind,
        "submitted_at": response.submitted_at,
        "local_date": response.local_date,
        "external_id": response.external_id,
        "transaction_ref": response.transaction_ref,
        "return_likelihood": response.return_likelihood,
        "expectation": Outcome.WORDS.get(response.expectation),
        "csat": response.csat,
    }


def _case_data(case) -> dict:
    return {
        "id": case.pk,
        "status": case.status,
        "source": case.source,
        "location": case.location.code,
        "touchpoint": case.touchpoint.code if case.touchpoint_id else None,
        "category": case.category.code,
        "severity": case.severity,
        "summary": case.summary,
        "response_id": case.response_id,
        "opened_at": case.opened_at,
        "closed_at": case.closed_at,
    }


@receiver(response_stored, dispatch_uid="webhooks.on_response_stored")
def on_response_stored(sender, response, **kwargs):
    _publish("response.stored", lambda: _response_data(response))


@receiver(case_opened, dispatch_uid="webhooks.on_case_opened")
def on_case_opened(sender, case, **kwargs):
    _publish("case.opened", lambda: _case_data(case))


@receiver(case_closed, dispatch_uid="webhooks.on_case_closed")
def on_case_closed(sender, case, **kwargs):
    _publish("case.closed", lambda: _case_data(case))


@receiver(step_overdue, dispatch_uid="webhooks.on_step_overdue")
def on_step_overdue(sender, step, **kwargs):
    _publish(
        "step.overdue",
        lambda: {
            "case": _case_data(step.case),
            "step": step.kind,
            "round": step.round,
            "due_at": step.due_at,
        },
    )
