"""Demo recovery cases for `exceed demo`: a realistic spread of states over the demo's low responses.

Bulk inserts only (a few thousand rows in well under a second); no alerts are sent.
"""

import random
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from exceed.feedback.models import Response
from exceed.recovery.defaults import DEADLINE_HOURS, FOLLOWUP_SURVEY_SLUG
from exceed.recovery.identity import customer_hash
from exceed.recovery.models import (
    CaseCategory,
    CaseSource,
    CaseStatus,
    CaseStatusChange,
    RecoveryCase,
    RecoveryStep,
    StepKind,
    TillVisit,
)
from exceed.recovery.returns import returns_rebuild
from exceed.recovery.services import categories_install

MAX_CASES = 600
GESTURES = [
    ("Free dessert", "4.50"),
    ("€10 voucher", "10.00"),
    ("Free coffee", "3.20"),
    ("Free delivery", "9.00"),
    ("Chocolate cake", "4.00"),
]
NOTES = {
    StepKind.ACKNOWLEDGE: "Saw it at once and told the customer we would put it right.",
    StepKind.APOLOGISE: "“I'm sorry for the mix-up.” No excuses.",
    StepKind.FIX: "Replaced it on the spot.",
    StepKind.FOLLOW_UP: "Manager came by and asked how everything was now.",
}


def _pick_status(rng: random.Random, age: timedelta) -> str:
    if age < timedelta(days=2):
        return rng.choice([CaseStatus.OPEN, CaseStatus.OPEN, CaseStatus.IN_PROGRESS])
    roll = rng.random()
    if roll < 0.08:
        return CaseStatus.OPEN  # forgotten: overdue in the lists
    if roll < 0.2:
        return CaseStatus.IN_PROGRESS
    return CaseStatus.CLOSED


@transaction.atomic
def seed_demo_cases(*, rng: random.Random) -> int:
    """Create a realistic set of recovery cases over the demo chain's responses; returns how many."""
    categories_install()
    categories = list(CaseCategory.objects.filter(active=True))
    low = (
        Response.objects.filter(Q(expectation=-1) | Q(return_likelihood__lte=4), recovery_case__isnull=True)
        .exclude(survey__slug=FOLLOWUP_SURVEY_SLUG)
        .select_related("location")
        .only(
            "pk", "location", "touchpoint_id", "submitted_at", "comment", "contact_consent", "contact_email", "language"
        )
    )
    ids = list(low.values_list("pk", flat=True))
    chosen = set(rng.sample(ids, min(MAX_CASES, len(ids))))
    now = timezone.now()
    cases, plans = [], []
    for response in low.filter(pk__in=chosen).order_by("pk"):
        age = now - response.submitted_at
        status = _pick_status(rng, age)
        comment = " ".join(response.comment.split())
        ref = f"demo-customer-{response.pk}"
        cases.append(
            RecoveryCase(
                source=CaseSource.SURVEY,
                response_id=response.pk,
                location=response.location,
                touchpoint_id=response.touchpoint_id,
                category=rng.choice(categories),
                severity=rng.choice(["low", "medium", "medium", "high"]),
                summary=(comment[:197] + "…" if len(comment) > 200 else comment) or "Low rating without a comment",
                description=response.comment,
                contact_consent=response.contact_consent,
                contact_email=response.contact_email if response.contact_consent else "",
                contact_hash=customer_hash(response.contact_email) if response.contact_consent else "",
                customer_ref_hash=customer_hash(ref),
                language=response.language,
                status=status,
                opened_at=response.submitted_at,
                opened_date=response.submitted_at.astimezone(response.location.zone).date(),
                alerted_at=response.submitted_at,
            )
        )
        plans.append((status, ref))
    RecoveryCase.objects.bulk_create(cases, batch_size=500)
    steps, changes, visits = [], [], []
    for case, (status, ref) in zip(cases, plans):
        _plan_case(rng, case, status, ref, now, steps, changes, visits)
    RecoveryStep.objects.bulk_create(steps, batch_size=1000)
    CaseStatusChange.objects.bulk_create(changes, batch_size=1000)
    TillVisit.objects.bulk_create(visits, batch_size=1000)
    RecoveryCase.objects.bulk_update(
        cases,
        [
            "acknowledge_seconds",
            "closed_at",
            "close_seconds",
            "outcome_at",
            "outcome_rating",
            "outcome_distributive",
            "outcome_procedural",
            "outcome_interactional",
            "outcome_return_likelihood",
            "impressed",
            "impressed_text",
            "double_deviation",
            "status",
        ],
        batch_size=500,
    )
    # Bulk writes pass no service: whether each customer came back is computed once for all.
    returns_rebuild()
    return len(cases)


def _plan_case(rng, case, status, ref, now, steps, changes, visits) -> None:
    """Steps done on a realistic clock for the chosen status, then outcome and a possible return."""
    opened = case.opened_at
    done_kinds = {
        CaseStatus.OPEN: [],
        CaseStatus.IN_PROGRESS: StepKind.values[: rng.randint(1, 3)],
        CaseStatus.CLOSED: StepKind.values if rng.random() < 0.85 else StepKind.values[:3],
    }[status]
    changes.append(CaseStatusChange(case=case, to_status=CaseStatus.OPEN, at=opened))
    clock = opened
    for kind in StepKind.values:
        due = opened + timedelta(hours=DEADLINE_HOURS[kind])
        step = RecoveryStep(case=case, kind=kind, due_at=due)
        if kind in done_kinds:
            late = rng.random() < 0.15
            clock = max(clock, opened) + timedelta(minutes=rng.randint(2, 40) if not late else rng.randint(90, 3000))
            if clock > now:
                clock = now
            step.done_at, step.note = clock, NOTES.get(kind, "")
            if kind == StepKind.GESTURE:
                step.gesture_given, value = rng.choice(GESTURES)
                step.gesture_value = Decimal(value)
            if kind == StepKind.ACKNOWLEDGE:
                case.acknowledge_seconds = int((clock - opened).total_seconds())
        steps.append(step)
    if status == CaseStatus.IN_PROGRESS:
        changes.append(
            CaseStatusChange(case=case, from_status=CaseStatus.OPEN, to_status=CaseStatus.IN_PROGRESS, at=opened)
        )
    if status != CaseStatus.CLOSED:
        return
    closed = min(now, clock + timedelta(hours=rng.randint(1, 30)))
    case.closed_at, case.close_seconds = closed, int((closed - opened).total_seconds())
    if len(done_kinds) < 5:
        case.close_reason = "Customer left before we could offer anything more."
    changes.append(
        CaseStatusChange(case=case, from_status=CaseStatus.IN_PROGRESS, to_status=CaseStatus.CLOSED, at=closed)
    )
    if rng.random() < 0.6 and closed + timedelta(days=7) < now:
        rating = rng.choices([1, 2, 3, 4, 5], weights=[4, 5, 14, 37, 40])[0]
        case.outcome_at = closed + timedelta(days=7, hours=rng.randint(1, 60))
        case.outcome_rating = rating
        case.outcome_distributive = max(1, min(5, rating + rng.choice([-1, 0, 0, 1])))
        case.outcome_procedural = max(1, min(5, rating + rng.choice([-1, 0, 0])))
        case.outcome_interactional = max(1, min(5, rating + rng.choice([0, 0, 1])))
        case.outcome_return_likelihood = max(0, min(10, rating * 2 + rng.randint(-1, 1)))
        case.impressed = rating >= 4 and rng.random() < 0.6
        case.impressed_text = "The manager called me himself." if case.impressed else ""
        case.double_deviation = rating <= 2
        if case.double_deviation:
            case.status = CaseStatus.REOPENED
            changes.append(
                CaseStatusChange(
                    case=case,
                    from_status=CaseStatus.CLOSED,
                    to_status=CaseStatus.REOPENED,
                    at=case.outcome_at,
                    note="double deviation",
                )
            )
    if rng.random() < (0.55 if (case.outcome_rating or 3) >= 4 else 0.2):
        visited = opened + timedelta(days=rng.randint(3, 80))
        if visited < now:
            visits.append(
                TillVisit(
                    external_id=f"demo-visit-{ref}",
                    location=case.location,
                    visited_at=visited,
                    amount=Decimal(rng.randint(500, 9000)) / 100,
                    customer_hash=customer_hash(ref),
                )
            )
