"""Reads for mystery shopping, always given a Scope (org/scopes.py).

Anonymity (issue 10 §5) is decided here: open and upcoming shops, and who shopped, are the
owner's alone; a location's managers see approved reports of their locations, never the shopper;
a shopper sees their own shops and the open ones they may claim; everyone else sees nothing.
"""

import math
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Avg, Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils import timezone

from exceed.bounds import MAX_DB_INT
from exceed.core.measures import (
    RETURN_DETRACTOR_MAX,
    RETURN_PROMOTER_MIN,
    Figure,
    Outcome,
    change,
    mean_score,
    net_score,
    share,
)
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
    rows = one_per_calibration_pair(reports_visible(scope).filter(counts=True))
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


# --- Results (issue 10 §8) ---------------------------------------------------------------------
#
# Every figure is an SQL aggregate over the counted reports (approved, not excluded) in the
# reader's scope: n, Σscore and Σscore² per group give the mean and its interval
# (core.measures.mean_score); failure and N/A counts per item give shares. No result names a
# shopper, whoever reads it.


def one_per_calibration_pair(rows: QuerySet[Report]) -> QuerySet[Report]:
    """A calibration pair counts as one shop: the primary assignment's report, or the twin's
    where the primary's does not count (rejected, excluded, never approved).

    Agencies running SASSIE-style programmes treat the second shopper of a calibration (or
    "validation") visit as a check on the shoppers, not as a second observation of the store: the
    client's reports carry the scheduled shop. A pair's mean instead would be a figure of a
    different precision from every other shop mixed into the same n and interval, and the twin
    alone would reward whichever shopper was sent second. The calibration page still shows both
    scores and their gap, and the leniency index uses both (it is about the shoppers)."""
    return rows.exclude(assignment__calibration_of__report__counts=True)


def results_readable(scope: Scope) -> bool:
    return scope.runs_mystery_shopping or scope.sees_mystery_reports


def programmes_for_results(scope: Scope) -> QuerySet[Programme]:
    """The programmes a reader has results of: all for the owner; for managers those with a
    location in their scope (the name of a programme is no secret to a shopped store)."""
    if scope.runs_mystery_shopping:
        return Programme.objects.all()
    if not scope.sees_mystery_reports:
        return Programme.objects.none()
    if scope.location_ids is None:
        return Programme.objects.all()
    return Programme.objects.filter(locations__in=scope.location_ids).distinct()


def results_reports(
    scope: Scope, *, programme_id: int, since: date | None = None, until: date | None = None
) -> QuerySet[Report]:
    """The counted reports of one programme in the scope, visited between ``since`` and ``until``."""
    if not results_readable(scope):
        return Report.objects.none()
    rows = one_per_calibration_pair(
        reports_visible(scope).filter(counts=True, score__isnull=False, assignment__programme_id=programme_id)
    )
    if since is not None:
        rows = rows.filter(visit_date__gte=since)
    if until is not None:
        rows = rows.filter(visit_date__lte=until)
    return rows


def _score_sums(field: str = "score") -> dict:
    return {"n": Count(field), "total": Sum(field), "squares": Sum(F(field) * F(field))}


def _rows(rows) -> list[dict[str, Any]]:
    """A values() queryset's rows as plain dicts: their keys come from annotations the type
    checker cannot follow."""
    return [dict(row) for row in rows]


def _mean(row: dict[str, Any]) -> Figure:
    return mean_score(row["n"] or 0, row["total"] or 0.0, row["squares"] or 0.0)


@dataclass
class LocationResult:
    location_id: int
    code: str
    name: str
    region: str
    overall: Figure
    sections: dict[str, Figure]
    ranked: bool
    rank: int | None = None
    na_rate: Figure = field(default_factory=lambda: Figure(None, 0))
    # The heat map's row: each section in the scorecard's order, with its shade band.
    cells: list[dict] = field(default_factory=list)


# The heat map's bands (lower bounds on 0–100): below 50 is band 0, 90 and above band 4.
HEAT_BANDS = (50, 65, 80, 90)


def heat_band(value: float | None) -> str:
    if value is None:
        return "none"
    return str(sum(value >= bound for bound in HEAT_BANDS))


@dataclass
class Results:
    programme: Programme
    minimum: int
    overall: Figure
    sections: list[tuple[str, str]]  # (code, title), in the scorecard's order
    section_overall: dict[str, Figure]
    section_cells: list[dict]
    locations: list[LocationResult]
    regions: list[dict]
    trend: list[dict]
    items: list[dict]
    separation: list[dict]
    people: list[dict]


def _section_titles(programme: Programme) -> list[tuple[str, str]]:
    from django.utils.translation import get_language

    from exceed.core.texts import translated
    from exceed.mystery.models import Section

    language = get_language() or "en"
    latest = (
        Section.objects.filter(version__scorecard_id=programme.scorecard_id)
        .order_by("-version__number", "position", "pk")
        .values("code", "title", "version__number")
    )
    found: dict[str, str] = {}
    newest = None
    for row in latest:
        newest = newest or row["version__number"]
        if row["version__number"] == newest:
            found.setdefault(row["code"], translated(row["title"], language) or row["code"])
    return list(found.items())


def _item_texts(programme: Programme) -> dict[str, str]:
    """Each item code's question in the reader's language, from the newest version that has it."""
    from django.utils.translation import get_language

    from exceed.core.texts import translated
    from exceed.mystery.models import Item

    language = get_language() or "en"
    texts: dict[str, str] = {}
    for row in (
        Item.objects.filter(section__version__scorecard_id=programme.scorecard_id)
        .order_by("-section__version__number")
        .values("code", "text")
    ):
        texts.setdefault(row["code"], translated(row["text"], language) or row["code"])
    return texts


def results_for(scope: Scope, *, programme: Programme, since: date | None = None, until: date | None = None) -> Results:
    """Everything the results page, its exports and the API show, for one programme."""
    from exceed.mystery.models import ReportAnswer, ReportPerson, ReportSectionScore

    reports = results_reports(scope, programme_id=programme.pk, since=since, until=until)
    minimum = programme.min_shops_ranked
    overall = _mean(dict(reports.aggregate(**_score_sums())))

    by_location = _rows(
        reports.values(
            "assignment__location_id",
            "assignment__location__code",
            "assignment__location__name",
            "assignment__location__region__name",
        )
        .annotate(**_score_sums())
        .order_by("assignment__location__name")
    )
    # The ids as a list, not a subquery: on tables PostgreSQL has not analysed yet (a fresh demo,
    # a test's transaction) the planner took the semi-join for one row and nested it four deep,
    # minutes for a few thousand rows. A programme's counted shops are hundreds, not tens of thousands.
    report_ids = list(reports.values_list("pk", flat=True))
    sections = ReportSectionScore.objects.filter(report_id__in=report_ids, score__isnull=False)
    section_cells: dict[int, dict[str, Figure]] = {}
    for row in _rows(sections.values("report__assignment__location_id", "code").annotate(**_score_sums())):
        section_cells.setdefault(row["report__assignment__location_id"], {})[row["code"]] = _mean(row)
    section_overall = {row["code"]: _mean(row) for row in _rows(sections.values("code").annotate(**_score_sums()))}

    answers = ReportAnswer.objects.filter(report_id__in=report_ids).exclude(item__kind="text")
    na_by_location = {
        row["report__assignment__location_id"]: share(row["asked"], row["na"])
        for row in _rows(
            answers.values("report__assignment__location_id").annotate(
                asked=Count("pk"), na=Count("pk", filter=Q(not_applicable=True))
            )
        )
    }

    locations = [
        LocationResult(
            location_id=row["assignment__location_id"],
            code=row["assignment__location__code"],
            name=row["assignment__location__name"],
            region=row["assignment__location__region__name"] or "",
            overall=_mean(row),
            sections=section_cells.get(row["assignment__location_id"], {}),
            ranked=row["n"] >= minimum,
            na_rate=na_by_location.get(row["assignment__location_id"], Figure(None, 0)),
        )
        for row in by_location
    ]
    ranked = sorted((r for r in locations if r.ranked), key=lambda r: -(r.overall.value or 0))
    for position, result in enumerate(ranked, start=1):
        result.rank = position
    locations = ranked + [r for r in locations if not r.ranked]
    titles = _section_titles(programme)
    for result in locations:
        result.cells = [{"code": code, "figure": result.sections.get(code, Figure(None, 0))} for code, _title in titles]
        for cell in result.cells:
            cell["band"] = heat_band(cell["figure"].value)

    regions = [
        {"region": row["assignment__location__region__name"] or "", "overall": _mean(row)}
        for row in _rows(
            reports.values("assignment__location__region__name")
            .annotate(**_score_sums())
            .order_by("assignment__location__region__name")
        )
    ]
    trend = [
        {"month": row["month"], "overall": _mean(row)}
        for row in _rows(
            reports.annotate(month=TruncMonth("visit_date")).values("month").annotate(**_score_sums()).order_by("month")
        )
    ]

    texts = _item_texts(programme)
    # A bonus item is never held against a shop, so it cannot "fail".
    scored = answers.filter(item__bonus=False)
    items = [
        {
            "code": row["item__code"],
            "text": texts.get(row["item__code"], row["item__code"]),
            "failure_rate": share(row["applied"], row["failures"]),
            "na": row["na"],
        }
        for row in _rows(
            scored.values("item__code").annotate(
                applied=Count("points"),
                failures=Count("pk", filter=Q(points__lte=0)),
                na=Count("pk", filter=Q(not_applicable=True)),
            )
        )
    ]
    items.sort(key=lambda i: (-(i["failure_rate"].value or 0), i["code"]))

    passed = Q(points__gt=0)
    promoter, detractor = (
        Q(report__return_likelihood__gte=RETURN_PROMOTER_MIN),
        Q(report__return_likelihood__lte=RETURN_DETRACTOR_MAX),
    )
    separation = []
    for row in _rows(
        scored.filter(points__isnull=False)
        .values("item__code")
        .annotate(
            high_n=Count("pk", filter=promoter),
            high_pass=Count("pk", filter=promoter & passed),
            low_n=Count("pk", filter=detractor),
            low_pass=Count("pk", filter=detractor & passed),
        )
    ):
        high, low = share(row["high_n"], row["high_pass"]), share(row["low_n"], row["low_pass"])
        if high.value is None or low.value is None:
            continue
        separation.append(
            {
                "code": row["item__code"],
                "text": texts.get(row["item__code"], row["item__code"]),
                "returners": high,
                "non_returners": low,
                "difference": change(high, low),
                "gap": round(high.value - low.value, 1),
            }
        )
    separation.sort(key=lambda s: (-s["gap"], s["code"]))

    # Only people the report may name are ever stored as a person (services.reports); the rest
    # are descriptions, which no result counts.
    people = [
        {"person_id": row["person_id"], "name": row["person__name"], "overall": _mean(row)}
        for row in _rows(
            ReportPerson.objects.filter(report_id__in=report_ids, person__isnull=False)
            .values("person_id", "person__name")
            .annotate(**_score_sums("report__score"))
            .order_by("person__name")
        )
    ]
    return Results(
        programme=programme,
        minimum=minimum,
        overall=overall,
        sections=titles,
        section_overall=section_overall,
        section_cells=[
            {"code": code, "figure": f, "band": heat_band(f.value)}
            for code, _title in titles
            for f in [section_overall.get(code, Figure(None, 0))]
        ],
        locations=locations,
        regions=regions,
        trend=trend,
        items=items,
        separation=separation,
        people=people,
    )


# --- The scorecard builder (issue 10 §2) -------------------------------------------------------


@dataclass
class ScorecardRow:
    scorecard: Scorecard
    version: Any  # ScorecardVersion | None: the version new reports are filed against
    programmes: list[Programme]
    reports: int


def scorecard_rows(scope: Scope) -> list[ScorecardRow]:
    """Each scorecard with the version in use and the programmes that use it (the owner's list)."""
    from exceed.mystery.models import ScorecardVersion

    cards = list(scorecards_visible(scope).prefetch_related("programmes"))
    latest: dict[int, ScorecardVersion] = {}
    for version in ScorecardVersion.objects.filter(scorecard__in=cards).annotate(n_reports=Count("reports")):
        if version.scorecard_id not in latest or version.number > latest[version.scorecard_id].number:
            latest[version.scorecard_id] = version
    return [
        ScorecardRow(
            card,
            latest.get(card.pk),
            list(card.programmes.all()),
            getattr(latest.get(card.pk), "n_reports", 0),
        )
        for card in cards
    ]


def scorecard_get(scope: Scope, pk: int) -> Scorecard:
    id_possible(pk)
    found = scorecards_visible(scope).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def scorecard_missing_texts(scorecard: Scorecard, languages: list[str]) -> dict[str, int]:
    """How many texts of the current version a shopper would miss in each of ``languages``
    (section titles, item questions, choice options; help texts are optional)."""
    from exceed.mystery.models import Section

    version = scorecard.versions.order_by("-number").first()
    missing = dict.fromkeys(languages, 0)
    if version is None:
        return missing
    for section in Section.objects.filter(version=version).prefetch_related("items"):
        texts = [section.title]
        for item in section.items.all():
            texts.append(item.text)
            texts += [option.get("label") or {} for option in item.options]
        for language in languages:
            missing[language] += sum(1 for text in texts if not (text or {}).get(language))
    return missing


EARTH_RADIUS_KM = 6371.0088  # the mean radius (IUGG)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance by the haversine formula, in Python: a shopper sees at most a few
    hundred open shops, so no spatial index or database extension is needed; on a sphere it is
    within about 0.5 % of the ellipsoid, plenty for "how far is the shop"."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, a)))


def open_shops_by_distance(
    shopper: Shopper, open_: list[Assignment]
) -> tuple[list[tuple[Assignment, float | None]], list[tuple[Assignment, float]]]:
    """The open shops nearest first with their distance, and those beyond the shopper's range
    ("further away"). Stores without coordinates come after the measured ones; without a home
    point the list keeps its order (by window)."""
    if shopper.home_latitude is None or shopper.home_longitude is None:
        return [(assignment, None) for assignment in open_], []
    measured: list[tuple[Assignment, float]] = []
    unmeasured: list[tuple[Assignment, float | None]] = []
    for assignment in open_:
        location = assignment.location
        if location.latitude is None or location.longitude is None:
            unmeasured.append((assignment, None))
        else:
            km = distance_km(shopper.home_latitude, shopper.home_longitude, location.latitude, location.longitude)
            measured.append((assignment, km))
    measured.sort(key=lambda pair: (pair[1], pair[0].window_start))
    limit = shopper.travel_km
    near = [pair for pair in measured if limit is None or pair[1] <= limit]
    further = [pair for pair in measured if limit is not None and pair[1] > limit]
    return [*near, *unmeasured], further
