"""Small builders for recovery tests."""

from datetime import timedelta

from django.utils import timezone

from exceed.feedback.services import response_submit
from exceed.recovery.models import CaseCategory
from exceed.recovery.services import case_open


def low_response(cast, *, email="kunde@example.com", consent=True, location=None, when=None, survey=None, transaction_ref="", **answers):
    raw = {"return": "3", "expectation": "below", "difference": "Wrong sandwich, and nobody said sorry."}
    raw.update(answers)
    if consent:
        raw["contact"] = "yes"
    return response_submit(
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


def staff_case(cast, *, location=None, hours_ago=0, summary="Wrong order at the counter", **kwargs):
    return case_open(
        location=location or cast.cph,
        category=CaseCategory.objects.get(code=kwargs.pop("category", "wrong-order")),
        summary=summary,
        touchpoint=cast.in_store,
        opened_at=timezone.now() - timedelta(hours=hours_ago),
        **kwargs,
    )
