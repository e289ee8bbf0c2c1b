"""What recovery does with each stored response, done by the worker from feedback's outbox.

A response is stored with a PendingEvaluation row in the same transaction (feedback). Here the
worker claims that row, does recovery's work (a follow-up's outcome, the remembered contact, the
case a rule calls for) and deletes the row, in one transaction. So a process that dies anywhere
leaves either the row (the work is still to come) or the work done and the row gone, and two
workers on two machines never both do it: on PostgreSQL the claim is ``SELECT … FOR UPDATE SKIP
LOCKED``, on SQLite every write transaction is ``BEGIN IMMEDIATE`` and so runs alone.

Two paths lead here: a task queued after the response commits (exceed.recovery.receivers; the
case opens within a second or two), and the periodic sweep of `exceed worker`, which finds
whatever no task saw and retries failures.
"""

import logging
import time

from django.db import transaction
from django.db.models import F

from exceed.feedback.models import PendingEvaluation, Response
from exceed.recovery.followup import followup_record_outcome, is_followup_survey
from exceed.recovery.rules import _active_rules, cannot_match_any_rule, rule_and_category
from exceed.recovery.services import case_open_from_response
from exceed.recovery.visits import customer_contact_record

logger = logging.getLogger(__name__)

# A response whose evaluation failed this often is left alone (and logged) until someone looks.
MAX_ATTEMPTS = 5
# Rows read per round of the sweep; those with work are claimed and evaluated CLAIM_BATCH to a
# transaction: fewer commits and, on SQLite, fewer hand-overs of the one write lock, while a
# transaction stays short enough (tens of milliseconds) not to hold up the answers being stored.
BATCH = 500
CLAIM_BATCH = 20


def response_evaluate(*, response: Response) -> None:
    """Recovery's reaction to one stored response; the caller holds its PendingEvaluation claim.

    ``fresh=True`` below skips the look-ups for an earlier case or contact: the claim says this
    response was never evaluated, and the unique constraints refuse a second one regardless.
    """
    # Only a follow-up survey's answer can be a case's outcome (followups_send_due invites with
    # that survey), so other invited answers skip the locking look-up.
    if (
        response.invitation_id is not None
        and is_followup_survey(response.survey)
        and followup_record_outcome(response=response) is not None
    ):
        return
    customer_contact_record(response=response, fresh=True)
    case_open_from_response(response=response, fresh=True)


def has_work(response: Response, *, rules: list | None = None) -> bool:
    """Whether response_evaluate would write anything for this response: when not, its row is
    simply deleted, in bulk, which is most responses (those that open no case) at the cost of one
    statement. ``rules``: the active rules, read once for a batch."""
    return (
        response.invitation_id is not None
        or (response.contact_consent and bool(response.contact_email or response.contact_phone))
        or rule_and_category(response, rules=rules) is not None
    )


def is_urgent(response: Response) -> bool:
    """Whether a live answer should be evaluated now rather than by the next sweep: it opens a case
    (the managers' alert waits on it) or is a follow-up's outcome. Read-only, in the request."""
    if response.invitation_id is not None and is_followup_survey(response.survey):
        return True
    return rule_and_category(response) is not None


def may_be_urgent(response: Response) -> bool:
    """``is_urgent`` decided from the response alone, without reading the rules: False only where
    ``is_urgent`` is False too. The request asks this after its commit; reading the rules there was
    one more statement for most answers (issue 11). A True that the rules do not bear out costs a
    task that finds nothing urgent, at most one per process per receivers.WINDOW_SECONDS."""
    if response.invitation_id is not None and is_followup_survey(response.survey):
        return True
    return not cannot_match_any_rule(response)


def pending_evaluations_process(
    *, response_ids: list[int] | None = None, after: int = 0, limit: int = BATCH, retry_failed: bool = True
) -> tuple[int, int | None]:
    """Evaluate up to ``limit`` pending responses (those of ``response_ids``, or the oldest after
    the id ``after``; with ``retry_failed``, those that failed before too); returns how many rows
    this call removed and the last id it looked at (None: none left). Rows claimed by another
    worker meanwhile are skipped."""
    rows = PendingEvaluation.objects.filter(attempts__lt=MAX_ATTEMPTS if retry_failed else 1, pk__gt=after)
    if response_ids is not None:
        rows = rows.filter(pk__in=response_ids)
    ids = list(rows.order_by("pk").values_list("pk", flat=True)[:limit])
    if not ids:
        return 0, None
    responses = (
        Response.objects.filter(pk__in=ids)
        .select_related("survey")
        .only(
            "pk",
            "invitation_id",
            "contact_consent",
            "contact_email",
            "contact_phone",
            "return_likelihood",
            "expectation",
            "csat",
            "survey_id",
            "location_id",
            "survey__slug",
        )
    )
    rules = _active_rules()
    idle = [response.pk for response in responses if not has_work(response, rules=rules)]
    work = sorted(set(ids) - set(idle))
    done = 0
    for start in range(0, max(len(work), 1), CLAIM_BATCH):
        # The first transaction also deletes the idle rows: one write lock less on SQLite.
        done += _claim_and_evaluate(work[start : start + CLAIM_BATCH], idle=idle if start == 0 else [])
    return done, ids[-1]


def _claim_and_evaluate(response_ids: list[int], *, idle: list[int]) -> int:
    """One transaction: delete the idle rows, claim these (skipping rows another worker holds),
    evaluate each in a savepoint, delete the evaluated rows; returns how many rows went."""
    with transaction.atomic():
        # Nothing to do for these, whoever deletes them: no claim needed, one statement.
        done = PendingEvaluation.objects.filter(pk__in=idle).delete()[0] if idle else 0
        if not response_ids:
            return done
        claimed = list(
            PendingEvaluation.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("response__survey", "response__location", "response__touchpoint")
            .filter(pk__in=response_ids, attempts__lt=MAX_ATTEMPTS)
            .order_by("pk")
        )
        evaluated = []
        for row in claimed:
            try:
                with transaction.atomic():
                    response_evaluate(response=row.response)
            except Exception as error:
                logger.exception("recovery could not evaluate response %s", row.pk)
                PendingEvaluation.objects.filter(pk=row.pk).update(
                    attempts=F("attempts") + 1, last_error=f"{type(error).__name__}: {error}"[:2000]
                )
            else:
                evaluated.append(row.pk)
        if evaluated:
            done += PendingEvaluation.objects.filter(pk__in=evaluated).delete()[0]
        return done


def pending_evaluations_sweep(*, seconds: float = 30, retry_failed: bool = True) -> tuple[int, bool]:
    """Evaluate pending responses, oldest first, each at most once per sweep, for about
    ``seconds``; returns (how many, whether any are left), so that a large import does not hold up
    the clock's other work. The tasks queued after answers leave failed ones to the periodic
    sweep (``retry_failed``), so a failure is tried again once a minute, not at every answer."""
    deadline = time.monotonic() + seconds
    total, after = 0, 0
    while True:
        done, after = pending_evaluations_process(after=after, retry_failed=retry_failed)
        total += done
        if after is None:
            return total, False
        if time.monotonic() >= deadline:
            left = PendingEvaluation.objects.filter(attempts__lt=MAX_ATTEMPTS if retry_failed else 1, pk__gt=after)
            return total, left.exists()
