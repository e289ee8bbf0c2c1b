"""Reactions to stored feedback: open a case, record a follow-up's outcome, remember who came back.

Runs after the response's commit. A failure here is logged, never raised: the customer's answer
is already stored and their thank-you page must not turn into an error.
"""

import logging

from django.dispatch import receiver

from exceed.feedback.services import response_stored

logger = logging.getLogger(__name__)


@receiver(response_stored, dispatch_uid="recovery.on_response_stored")
def on_response_stored(sender, response, **kwargs):
    from exceed.recovery.followup import followup_record_outcome
    from exceed.recovery.services import case_open_from_response
    from exceed.recovery.visits import customer_contact_record

    try:
        if response.invitation_id is not None and followup_record_outcome(response=response) is not None:
            return
        customer_contact_record(response=response)
        case_open_from_response(response=response)
    except Exception:  # noqa: BLE001 - see the module docstring
        logger.exception("recovery could not process response %s", response.pk)
