"""Reads for mystery shopping, always given a Scope (org/scopes.py).

Anonymity (issue 10 §5) is decided here: open and upcoming shops, and who shopped, are the
owner's alone; a location's managers see approved reports of their locations, never the shopper;
a shopper sees their own shops and the open ones they may claim; everyone else sees nothing.
"""

from datetime import datetime

from django.db.models import Avg, Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from exceed.bounds import MAX_DB_INT
from exceed.core.measures import RETURN_DETRACTOR_MAX, RETURN_PROMOTER_MIN, Figure, Outcome, net_score
from exceed.mystery.models import (
    Assignment,
    AssignmentStatus,
    Dispute,
    Programme,
    Report,
    RewardEntry,
    Scorecard,
    Shopper,
)
from exceed.mystery.services.assignments import claim_problem
from exceed.mystery.workflow import DONE
from exceed.org.scopes import Scope

S = AssignmentStatus


def shopper_of(user) -> Shopper | None:
    return Shopper.objects.filter(user=user).first() if user is not None and user.is_authenticated else None


def programmes_visible(scope: Scope) -> QuerySet[Programme]:
    if not scope.runs_mystery_shopping:
        return Programme.objects.none()
    return Programme.objects.select_related("touchpoint", "scorecard")


def scorecards_visible(scope: Scope) -> QuerySet[Scorecard]:
    return Scorecard.objects.all() if scope.runs_mystery_shopping else Scorecard.objects.none()


def assignments_visible(scope: Scope, *, user=None) -> QuerySet[Assignment]:
    """Every assignment for the owner; a shopper's own; for managers only the done ones of their
    locations (never open, upcoming or in review); nothing for anyone else."""
    base = Assignment.objects.select_related("programme", "location")
    if scope.runs_mystery_shopping:
        return base
    if scope.is_mystery_shopper:
        return base.filter(shopper__user_id=scope.user_id or 0)
    if scope.sees_mystery_reports:
        done = base.filter(status__in=DONE)
        return done if scope.location_ids is None else done.filter(location_id__in=scope.location_ids)
    return base.none()


def reports_visible(scope: Scope) -> QuerySet[Report]:
    base = Report.objects.select_related("assignment__programme", "assignment__location", "version__scorecard")
    if scope.runs_mystery_shopping:
        return base.filter(submitted_at__isnull=False)
    if scope.is_mystery_shopper:
        return base.filter(shopper__user_id=scope.user_id or 0)
    if scope.sees_mystery_reports:
        done = base.filter(assignment__status__in=DONE)
        return done if scope.location_ids is None else done.filter(assignment__location_id__in=scope.location_ids)
    if scope.sees_reports_naming_them:
        return base.filter(assignment__status__in=DONE, people__person_id=scope.person_id or 0).distinct()
    return base.none()


def id_possible(pk: int) -> None:
    """A 404 for an id no row can have (past bigint), before any query overflows on SQLite."""
    if not 0 < pk <= MAX_DB_INT:
        raise Http404


def report_get(scope: Scope, assignment_id: int) -> Report:
    if not 0 < assignment_id <= MAX_DB_INT:
        raise Http404  # past bigint: no such row, and SQLite would overflow
    report = reports_visible(scope).filter(assignment_id=assignment_id).first()
    if report is None:
        raise Http404
    return report


def shows_shopper(scope: Scope) -> bool:
    """Only the owner (and the shopper themselves) ever see who shopped."""
    return scope.runs_mystery_shopping or scope.is_mystery_shopper


def shop_list_for(shopper: Shopper, *, now: datetime | None = None) -> tuple[list[Assignment], list[Assignment]]:
    """The shopper's own shops, and the open ones they may claim now (rules: claim_problem)."""
    now = now or timezone.now()
    own = list(
        Assignment.objects.filter(shopper=shopper)
        .exclude(status__in=(S.EXPIRED, S.REJECTED))
        .select_related("programme", "location")
        .order_by("window_end")
    )
    candidates = (
        Assignment.objects.filter(status=S.OPEN, window_end__gt=now)
        .filter(Q(reserved_for__isnull=True) | Q(reserved_for=shopper))
        .exclude(location__in=shopper.excluded_locations.all())
        .select_related("programme", "location", "calibration_of")
        .order_by("window_start")
    )
    open_ = [a for a in candidates[:200] if claim_problem(assignment=a, shopper=shopper, now=now) is None]
    return own, open_


def review_queue(scope: Scope) -> QuerySet[Assignment]:
    if not scope.runs_mystery_shopping:
        return Assignment.objects.none()
    return Assignment.objects.filter(status=S.SUBMITTED).select_related("programme", "location", "shopper")


def disputes_open(scope: Scope) -> QuerySet[Dispute]:
    if not scope.runs_mystery_shopping:
        return Dispute.objects.none()
    return Dispute.objects.filter(status="open").select_related("report__assignment__location", "item")


def rewards_visible(scope: Scope) -> QuerySet[RewardEntry]:
    if not scope.runs_mystery_shopping:
        return RewardEntry.objects.none()
    return RewardEntry.objects.select_related("shopper", "assignment__location", "assignment__programme")


def leniency_index(scope: Scope) -> list[dict]:
    """Each shopper's average score against the other shoppers' average at the same locations:
    a friend who scores every store 15 points higher shows as +15 (issue 10 §3)."""
    if not scope.runs_mystery_shopping:
        return []
    rows: list[dict] = [
        dict(row)
        for row in Report.objects.filter(counts=True, score__isnull=False)
        .values("shopper_id", "shopper__display_name", "assignment__location_id")
        .annotate(total=Avg("score"), n=Count("pk"))
    ]
    by_location: dict[int, list[dict]] = {}
    for row in rows:
        by_location.setdefault(row["assignment__location_id"], []).append(row)
    result: dict[int, dict] = {}
    for row in rows:
        others = [o for o in by_location[row["assignment__location_id"]] if o["shopper_id"] != row["shopper_id"]]
        n_others = sum(o["n"] for o in others)
        if not n_others:
            continue
        others_mean = sum(o["total"] * o["n"] for o in others) / n_others
        entry = result.setdefault(row["shopper_id"], {"shopper": row["shopper__display_name"], "diff": 0.0, "n": 0})
        entry["diff"] += (row["total"] - others_mean) * row["n"]
        entry["n"] += row["n"]
    return sorted(
        ({"shopper": e["shopper"], "index": round(e["diff"] / e["n"], 1), "n": e["n"]} for e in result.values()),
        key=lambda e: -e["index"],
    )


def calibration_gaps(scope: Scope) -> list[dict]:
    """How far apart the two shoppers of each calibration pair scored (both reports submitted)."""
    if not scope.runs_mystery_shopping:
        return []
    gaps = []
    twins = Assignment.objects.filter(calibration_of__isnull=False).select_related(
        "location", "calibration_of__report", "report"
    )
    for twin in twins:
        first = getattr(twin.calibration_of, "report", None)
        second = getattr(twin, "report", None)
        if first and second and first.score is not None and second.score is not None:
            gaps.append(
                {
                    "location": twin.location,
                    "period": twin.period,
                    "first": first.score,
                    "second": second.score,
                    "gap": round(abs(first.score - second.score), 1),
                }
            )
    return gaps


def shop_measures(scope: Scope, *, location_id: int | None = None) -> dict[str, Figure]:
    """The return score and expectation index of the counted shops, with their n and interval.

    The shoppers' own answers to the two questions every customer is asked, measured with the
    chain's definitions (core.measures) but from these rows only: kept apart from customers'
    answers by construction, never summed with them.
    """
    rows = reports_visible(scope).filter(counts=True)
    if location_id is not None:
        rows = rows.filter(assignment__location_id=location_id)
    counts = rows.aggregate(
        return_n=Count("pk", filter=Q(return_likelihood__isnull=False)),
        promoters=Count("pk", filter=Q(return_likelihood__gte=RETURN_PROMOTER_MIN)),
        detractors=Count("pk", filter=Q(return_likelihood__lte=RETURN_DETRACTOR_MAX)),
        expectation_n=Count("pk", filter=Q(expectation__isnull=False)),
        exceeded=Count("pk", filter=Q(expectation=Outcome.EXCEEDED)),
        below=Count("pk", filter=Q(expectation=Outcome.BELOW)),
    )
    return {
        "return_score": net_score(counts["return_n"], counts["promoters"], counts["detractors"]),
        "expectation_index": net_score(counts["expectation_n"], counts["exceeded"], counts["below"]),
    }
