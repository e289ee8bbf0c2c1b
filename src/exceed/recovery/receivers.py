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
    from exceed.recovery.followup import followup_record_outcome, is_followup_survey
    from exceed.recovery.services import case_open_from_response
    from exceed.recovery.visits import customer_contact_record

    try:
        # Only a follow-up survey's answer can be a case's outcome (followups_send_due invites
        # with that survey), so other invited answers skip the locking look-up.
        if (
            response.invitation_id is not None
            and is_followup_survey(response.survey)
            and followup_record_outcome(response=response) is not None
        ):
            return
        customer_contact_record(response=response, fresh=True)
        case_open_from_response(response=response, fresh=True)
    except Exception:
        logger.exception("recovery could not process response %s", response.pk)
