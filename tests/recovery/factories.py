"""Small builders for recovery tests."""

from datetime import timedelta

from django.utils import timezone

from exceed.feedback.services import response_submit
from exceed.recovery.evaluation import pending_evaluations_sweep
from exceed.recovery.models import CaseCategory
from exceed.recovery.services import case_open


def low_response(
    cast,
    *,
    email="kunde@example.com",
    consent=True,
    location=None,
    when=None,
    survey=None,
    transaction_ref="",
    evaluated=True,
    **answers,
):
    """A low answer through the real writer; ``evaluated``: then recovery's evaluation of it, as the
    worker does a moment after the commit (open its case, remember its contact)."""
    raw = {"return": "3", "expectation": "below", "difference": "Wrong sandwich, and nobody said sorry."}
    raw.update(answers)
    if consent:
        raw["contact"] = "yes"
    response = response_submit(
        survey=survey or cast.survey,
        location=location or cast.cph,
        touchpoint=cast.in_store,
        raw_answers=raw,
        contact={"email": email} if consent else None,
        language="da",
        channel_kind="link",
        submitted_at=when,
        transaction_ref=transaction_ref,
    )
    if evaluated:
        evaluate_pending()
    return response


def evaluate_pending() -> int:
    """What `exceed worker` does with stored responses: evaluate every pending one."""
    return pending_evaluations_sweep()[0]


def staff_case(cast, *, location=None, hours_ago=0, summary="Wrong order at the counter", alerted=True, **kwargs):
    """A case opened by staff. ``alerted``: its alert went out as it opened (a test's transaction
    never runs the commit callback that queues it, and the tick would otherwise send it late)."""
    case = case_open(
        location=location or cast.cph,
        category=CaseCategory.objects.get(code=kwargs.pop("category", "wrong-order")),
        summary=summary,
        touchpoint=cast.in_store,
        opened_at=timezone.now() - timedelta(hours=hours_ago),
        **kwargs,
    )
    if alerted:
        case.alerted_at = case.opened_at
        type(case).objects.filter(pk=case.pk).update(alerted_at=case.alerted_at)
    return case
