"""Reactions to stored feedback: start evaluating a response as soon as it commits.

The work itself (a case, a remembered contact, a follow-up's outcome) is done by the worker from
feedback's PendingEvaluation rows (exceed.recovery.evaluation), not here in the respondent's
request. This receiver only queues a task so that a case opens within seconds rather than at the
next periodic sweep. A failure here is logged, never raised: the answer is stored, its row is
stored with it, and the sweep will find it.
"""

import logging

from django.dispatch import receiver

from exceed.feedback.services import evaluations_pending

logger = logging.getLogger(__name__)


@receiver(evaluations_pending, dispatch_uid="recovery.on_evaluations_pending")
def on_evaluations_pending(sender, response=None, count=0, **kwargs):
    from exceed.recovery.evaluation import is_urgent
    from exceed.recovery.tasks import pending_evaluations_run, response_evaluation_run

    try:
        if response is None:
            pending_evaluations_run.enqueue()  # an import's batch: the sweep takes them in order
        elif is_urgent(response):
            response_evaluation_run.enqueue(response.pk)
        # Otherwise (a good answer, a contact to remember) the minute's sweep is soon enough.
    except Exception:  # noqa: BLE001 - see the module docstring
        logger.exception("recovery could not queue the evaluation of %s", response.pk if response else f"{count} responses")
