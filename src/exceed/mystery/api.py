"""/api/v1/mystery/…: programmes, scorecards, assignments and reports.

Thin, as every router: the caller's scope decides (selectors), a service writes. Something
outside the scope is "not found", so the API does not reveal which shops exist.
"""

from datetime import date

from django.utils.translation import gettext as _
from ninja import Router, Status

from exceed.api.types import DbId
from exceed.errors import DomainError
from exceed.mystery import selectors
from exceed.mystery.models import Assignment, Item, Programme, Report, Scorecard
from exceed.mystery.schemas import (
    AssignmentOut,
    ItemIn,
    ProgrammeIn,
    ProgrammeOut,
    ReportOut,
    ResultsOut,
    ScorecardIn,
    ScorecardOut,
)
from exceed.mystery.services.assignments import assignment_claim
from exceed.mystery.services.programmes import programme_create
from exceed.mystery.services.scorecards import (
    charter_attribute_by_code,
    item_save,
    playbook_entry_by_codes,
    scorecard_current,
    scorecard_from_definition,
)
from exceed.org.lookups import location_by_code, touchpoint_by_code
from exceed.org.scopes import Scope

router = Router(tags=["mystery"])
LIMIT = 500


def _owner(scope: Scope) -> None:
    if not scope.runs_mystery_shopping:
        raise DomainError(_("Only the owner runs mystery shopping."), status=403)


def _programme_out(programme: Programme) -> dict:
    return {
        **{
            f: getattr(programme, f)
            for f in ProgrammeOut.model_fields
            if hasattr(programme, f) and f not in ("touchpoint", "locations")
        },
        "touchpoint": programme.touchpoint.code,
        "locations": [location.code for location in programme.locations.all()],
    }


@router.get("/mystery/programmes", response=list[ProgrammeOut])
def programmes_list(request):
    return [
        _programme_out(p) for p in selectors.programmes_visible(request.scope).prefetch_related("locations")[:LIMIT]
    ]


@router.post("/mystery/programmes", response={201: ProgrammeOut})
def programmes_create(request, payload: ProgrammeIn):
    _owner(request.scope)
    scorecard = Scorecard.objects.filter(pk=payload.scorecard_id).first()
    if scorecard is None:
        raise DomainError(_("No such scorecard."), field="scorecard_id", status=422)
    touchpoint = touchpoint_by_code(payload.touchpoint)
    if touchpoint is None:
        raise DomainError(_("Please give a touchpoint."), field="touchpoint", status=422)
    fields = payload.dict(exclude={"scorecard_id", "touchpoint", "locations", "windows"})
    programme = programme_create(
        **fields,
        scorecard=scorecard,
        touchpoint=touchpoint,
        locations=[location_by_code(code) for code in payload.locations],
        windows=[w.dict() for w in payload.windows],
    )
    return Status(201, _programme_out(programme))


def _scorecard_out(scorecard: Scorecard) -> dict:
    version = scorecard_current(scorecard)
    items = Item.objects.filter(section__version=version).select_related("section", "charter_attribute")
    sections: dict = {s.code: {"code": s.code, "title": s.title, "items": []} for s in version.sections.all()}
    for item in items:
        sections[item.section.code]["items"].append(
            {
                **{
                    f: getattr(item, f)
                    for f in (
                        "code",
                        "kind",
                        "text",
                        "help",
                        "weight",
                        "na_allowed",
                        "critical",
                        "bonus",
                        "required",
                        "options",
                        "thresholds",
                    )
                },
                "max_points": item.max_points,
                "charter_attribute": item.charter_attribute.code if item.charter_attribute else None,
                "playbook_entry": item.playbook_entry_id,
            }
        )
    return {
        "id": scorecard.pk,
        "name": scorecard.name,
        "critical_rule": scorecard.critical_rule,
        "critical_cap": scorecard.critical_cap,
        "version": version.number,
        "sections": list(sections.values()),
    }


@router.get("/mystery/scorecards/{scorecard_id}", response=ScorecardOut)
def scorecards_detail(request, scorecard_id: DbId):
    scorecard = selectors.scorecards_visible(request.scope).filter(pk=scorecard_id).first()
    if scorecard is None:
        raise DomainError(_("No such scorecard."), status=404)
    return _scorecard_out(scorecard)


@router.post("/mystery/scorecards", response={201: ScorecardOut})
def scorecards_create(request, payload: ScorecardIn):
    _owner(request.scope)
    try:
        scorecard = scorecard_from_definition(definition=payload.dict())
    except (KeyError, TypeError) as error:
        raise DomainError(
            _("Each section and item needs a code and a title or question."), field="sections", status=422
        ) from error
    return Status(201, _scorecard_out(scorecard))


@router.post("/mystery/scorecards/{scorecard_id}/items", response=ScorecardOut)
def scorecards_item_save(request, scorecard_id: DbId, payload: ItemIn):
    """Add or change an item; when a report uses the current version this makes a new one."""
    _owner(request.scope)
    scorecard = selectors.scorecards_visible(request.scope).filter(pk=scorecard_id).first()
    if scorecard is None:
        raise DomainError(_("No such scorecard."), status=404)
    fields = payload.dict(exclude={"section", "code", "charter_attribute", "playbook_situation", "playbook_touchpoint"})
    item_save(
        scorecard=scorecard,
        section_code=payload.section,
        code=payload.code,
        charter_attribute=charter_attribute_by_code(payload.charter_attribute),
        playbook_entry=playbook_entry_by_codes(payload.playbook_situation, payload.playbook_touchpoint),
        **fields,
    )
    return _scorecard_out(scorecard)


def _assignment_out(assignment: Assignment) -> dict:
    return {
        "id": assignment.pk,
        "programme_id": assignment.programme_id,
        "location": assignment.location.code,
        "period": assignment.period,
        "window_start": assignment.window_start,
        "window_end": assignment.window_end,
        "status": assignment.status,
        "calibration_of": assignment.calibration_of_id,
    }


@router.get("/mystery/assignments", response=list[AssignmentOut])
def assignments_list(request, offset: int = 0):
    rows = selectors.assignments_visible(request.scope).order_by("-window_start", "-pk")
    offset = max(0, min(offset, 10**6))
    return [_assignment_out(a) for a in rows[offset : offset + LIMIT]]


@router.post("/mystery/assignments/{assignment_id}/claim", response=AssignmentOut)
def assignments_claim(request, assignment_id: DbId):
    shopper = selectors.shopper_of(request.user) if request.scope.is_mystery_shopper else None
    assignment = Assignment.objects.select_related("programme", "location").filter(pk=assignment_id).first()
    if shopper is None or assignment is None or assignment.shopper_id not in (None, shopper.pk):
        raise DomainError(_("No such shop."), status=404)
    return _assignment_out(assignment_claim(assignment=assignment, shopper=shopper))


def _report_out(report: Report, scope: Scope) -> dict:
    return {
        "assignment_id": report.assignment_id,
        "programme_id": report.assignment.programme_id,
        "location": report.assignment.location.code,
        "status": report.assignment.status,
        "version": report.version.number,
        "visit_date": report.visit_date,
        "score": report.score,
        "score_low": report.score_low,
        "score_high": report.score_high,
        "score_n": report.score_n,
        "failed_critical": report.failed_critical,
        "counts": report.counts,
        "return_likelihood": report.return_likelihood,
        "expectation": report.expectation,
        "sections": [{"code": s.code, "score": s.score, "n": s.n} for s in report.section_scores.all()],
        "answers": [
            {
                "item": a.item.code,
                "value": a.value,
                "not_applicable": a.not_applicable,
                "points": a.points,
                "comment": a.comment,
                "changed_by_dispute": a.changed_by_dispute,
            }
            for a in report.answers.all()
        ],
        "shopper": report.shopper.display_name if selectors.shows_shopper(scope) else None,
    }


@router.get("/mystery/reports", response=list[ReportOut])
def reports_list(request, offset: int = 0):
    rows = (
        selectors.reports_visible(request.scope)
        .select_related("shopper")
        .prefetch_related("section_scores", "answers__item")
        .order_by("-submitted_at", "-pk")
    )
    offset = max(0, min(offset, 10**6))
    return [_report_out(r, request.scope) for r in rows[offset : offset + LIMIT]]


@router.get("/mystery/reports/{assignment_id}", response=ReportOut)
def reports_detail(request, assignment_id: DbId):
    report = (
        selectors.reports_visible(request.scope).filter(assignment_id=assignment_id).select_related("shopper").first()
    )
    if report is None:
        raise DomainError(_("No such report."), status=404)
    return _report_out(report, request.scope)


@router.get("/mystery/results", response=ResultsOut)
def results_get(request, programme_id: DbId | None = None, since: date | None = None, until: date | None = None):
    """A programme's results in the caller's scope: owner and managers; no shopper is named."""
    scope = request.scope
    if not selectors.results_readable(scope):
        raise DomainError(_("Only the owner and managers see results."), status=403)
    # Optional in the signature so that who may not read results hears 403 before any 4xx on input.
    if programme_id is None:
        raise DomainError(_("Choose a programme."), field="programme_id")
    if since and until and since > until:
        raise DomainError(_("The end comes before the start."), field="until")
    programme = (
        selectors.programmes_for_results(scope).filter(pk=programme_id).first() if 0 < programme_id < 2**63 else None
    )
    if programme is None:
        raise DomainError(_("No such programme."), status=404, field="programme_id")
    found = selectors.results_for(scope, programme=programme, since=since, until=until)
    return {
        "programme_id": programme.pk,
        "since": since,
        "until": until,
        "min_shops_ranked": found.minimum,
        "overall": found.overall.as_dict(),
        "sections": {code: f.as_dict() for code, f in found.section_overall.items()},
        "locations": [
            {
                "location": row.code,
                "region": row.region,
                "overall": row.overall.as_dict(),
                "ranked": row.ranked,
                "rank": row.rank,
                "sections": {code: f.as_dict() for code, f in row.sections.items()},
                "not_applicable_rate": row.na_rate.as_dict(),
            }
            for row in found.locations
        ],
        "regions": [{"key": r["region"], "overall": r["overall"].as_dict()} for r in found.regions],
        "trend": [{"key": f"{r['month']:%Y-%m}", "overall": r["overall"].as_dict()} for r in found.trend],
        "items": [
            {"item": i["code"], "failure_rate": i["failure_rate"].as_dict(), "not_applicable": i["na"]}
            for i in found.items
        ],
        "separation": [
            {
                "item": s["code"],
                "pass_rate_9_10": s["returners"].as_dict(),
                "pass_rate_0_6": s["non_returners"].as_dict(),
                "difference": s["gap"],
                "difference_low": s["difference"].low if s["difference"] else None,
                "difference_high": s["difference"].high if s["difference"] else None,
            }
            for s in found.separation
        ],
        "people": [{"key": p["name"], "overall": p["overall"].as_dict()} for p in found.people],
    }
