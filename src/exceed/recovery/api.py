"""/api/v1/cases, /api/v1/recovery-rules, /api/v1/recovery/measures and /api/v1/visits.

Thin: each handler reads the caller's scope (set by the bearer token), calls a selector or a
service, and returns a schema. A case outside the scope is "not found", never "forbidden", so the
API does not reveal which case numbers exist.
"""

from datetime import datetime
from decimal import Decimal

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from exceed.api.types import BoundedDate, Code, DbId, Moment, Offset
from exceed.bounds import period_problem
from exceed.errors import DomainError
from exceed.feedback.lookups import survey_by_slug
from exceed.org.lookups import location_by_code, require_location, touchpoint_by_code
from exceed.org.models import Location, Person, Region, Role
from exceed.org.scopes import Scope
from exceed.recovery import services
from exceed.recovery.measures import GROUPINGS, figure_dict, recovery_measures
from exceed.recovery.models import CaseCategory, CaseSource, RecoveryCase, Severity
from exceed.recovery.schemas import CaseContactOut, CaseOutcomeOut, RecoveryMeasuresOut
from exceed.recovery.selectors import CaseFilter, case_get, cases_filtered, rules_visible
from exceed.recovery.visits import visit_record

router = Router(tags=["recovery"])


class StepOut(Schema):
    kind: str
    round: int
    due_at: datetime
    done_at: datetime | None
    done_by: int | None
    note: str
    gesture_given: str
    gesture_value: Decimal | None
    overdue: bool


class CaseOut(Schema):
    id: int
    source: str
    status: str
    location: str
    touchpoint: str | None
    category: str
    severity: str
    summary: str
    description: str
    opened_at: datetime
    closed_at: datetime | None
    close_reason: str
    overdue: bool
    response_id: int | None
    contact_consent: bool
    outcome_rating: int | None
    outcome_return_likelihood: int | None
    impressed: bool | None
    double_deviation: bool
    outcome: CaseOutcomeOut
    contact: CaseContactOut | None
    steps: list[StepOut]


class CaseIn(Schema):
    location: str
    category: str
    summary: str
    touchpoint: str | None = None
    severity: str = Severity.MEDIUM
    source: str = CaseSource.API
    description: str = ""
    consent: bool = False
    contact_name: str = Field("", max_length=120)
    contact_email: str = ""
    contact_phone: str = ""
    language: str = ""
    customer_ref: Code = ""


class StepIn(Schema):
    kind: str
    note: str = ""
    done_by: DbId | None = None
    gesture_given: str = Field("", max_length=200)
    gesture_value: Decimal | None = None
    done_at: Moment | None = None


class CloseIn(Schema):
    reason: str = ""


class CaseQuery(Schema):
    status: str | None = None
    location: str | None = None
    category: str | None = None
    source: str | None = None
    overdue: bool = False
    date_from: BoundedDate | None = None
    date_to: BoundedDate | None = None
    limit: int = 100
    offset: Offset = 0


class RuleIO(Schema):
    id: DbId | None = None
    expectation_below: bool = False
    return_at_most: int | None = None
    csat_at_most: int | None = None
    survey: str | None = None
    location: str | None = None
    category: str | None = None
    severity: str = Severity.MEDIUM
    active: bool = True


class VisitIn(Schema):
    external_id: Code = Field(..., min_length=1, max_length=120)
    location: str
    visited_at: Moment
    customer_ref: Code
    amount: Decimal | None = None
    served_by: Code | None = None


class VisitOut(Schema):
    id: int
    external_id: str
    location: str
    visited_at: datetime
    amount: Decimal | None
    created: bool


def _case_out(case: RecoveryCase, scope: Scope) -> dict:
    from django.utils import timezone

    now = timezone.now()
    contact = None
    if scope.sees_customer_contact and case.contact_consent:
        contact = {
            "name": case.contact_name,
            "email": case.contact_email,
            "phone": case.contact_phone,
            "language": case.language,
        }
    return {
        "outcome": {
            "answered_at": case.outcome_at,
            "rating": case.outcome_rating,
            "distributive": case.outcome_distributive,
            "procedural": case.outcome_procedural,
            "interactional": case.outcome_interactional,
            "return_likelihood": case.outcome_return_likelihood,
            "impressed": case.impressed,
            "impressed_text": case.impressed_text,
        },
        "contact": contact,
        **{
            name: getattr(case, name)
            for name in (
                "id",
                "source",
                "status",
                "severity",
                "summary",
                "description",
                "opened_at",
                "closed_at",
                "close_reason",
                "response_id",
                "contact_consent",
                "outcome_rating",
                "outcome_return_likelihood",
                "impressed",
                "double_deviation",
            )
        },
        "location": case.location.code,
        "touchpoint": case.touchpoint.code if case.touchpoint else None,
        "category": case.category.code,
        "overdue": bool(getattr(case, "is_overdue", False)),
        "steps": [
            {
                "kind": step.kind,
                "round": step.round,
                "due_at": step.due_at,
                "done_at": step.done_at,
                "done_by": step.done_by_id,
                "note": step.note,
                "gesture_given": step.gesture_given,
                "gesture_value": step.gesture_value,
                "overdue": step.done_at is None and step.due_at < now,
            }
            for step in case.steps.all()
        ],
    }


def _category_by_code(code: str | None, *, field: str = "category") -> CaseCategory | None:
    if not code:
        return None
    category = CaseCategory.objects.filter(code=code).first()
    if category is None:
        raise DomainError(_("Unknown category: %(code)s") % {"code": code}, field=field)
    return category


def _location_for_case(scope: Scope, code: str) -> Location:
    """Unlike other writes, an associate may log a failure at their own location (as on the
    capture page): a case is a colleague's report of a failure, not feedback on themselves."""
    location = location_by_code(code)
    if not (scope.role == Role.ASSOCIATE and scope.covers_location(location.pk)):
        require_location(scope, location)
    return location


def _check_period(date_from, date_to) -> None:
    if problem := period_problem(date_from, date_to):
        raise DomainError(problem, field="date_from", status=422)


def _case_or_404(request, case_id: int) -> RecoveryCase:
    case = case_get(request.scope, case_id)
    if case is None:
        raise DomainError(_("No such case."), status=404)
    return case


@router.get("/cases", response=list[CaseOut])
def cases_list(request, query: Query[CaseQuery]):
    _check_period(query.date_from, query.date_to)
    location = location_by_code(query.location) if query.location else None
    category = _category_by_code(query.category)
    filters = CaseFilter(
        status=query.status,
        location=location.pk if location else None,
        category=category.pk if category else None,
        source=query.source,
        overdue=query.overdue,
        date_from=query.date_from,
        date_to=query.date_to,
    )
    limit = max(1, min(query.limit, 500))
    cases = cases_filtered(request.scope, filters).prefetch_related("steps").order_by("-opened_at", "-pk")
    offset = max(0, query.offset)
    return [_case_out(case, request.scope) for case in cases[offset : offset + limit]]


@router.post("/cases", response={201: CaseOut})
def cases_create(request, payload: CaseIn):
    if not request.scope.sees_staff_data:
        raise DomainError(_("You may not open cases."), status=403)
    fields = payload.dict()
    fields.update(
        location=_location_for_case(request.scope, payload.location),
        category=_category_by_code(payload.category),
        touchpoint=touchpoint_by_code(payload.touchpoint),
    )
    case = services.case_open(**fields, by=request.user)
    return Status(201, _case_out(case_get(request.scope, case.pk) or case, request.scope))


@router.get("/cases/{case_id}", response=CaseOut)
def cases_detail(request, case_id: int):
    return _case_out(_case_or_404(request, case_id), request.scope)


@router.post("/cases/{case_id}/steps", response={201: CaseOut})
def cases_step(request, case_id: int, payload: StepIn):
    case = _case_or_404(request, case_id)
    done_by = Person.objects.filter(pk=payload.done_by).first() if payload.done_by else None
    if payload.done_by and done_by is None:
        raise DomainError(_("Unknown person."), field="done_by")  # 400, as every unknown reference
    services.step_record(
        case=case,
        kind=payload.kind,
        by=request.user,
        done_by=done_by,
        note=payload.note,
        gesture_given=payload.gesture_given,
        gesture_value=payload.gesture_value,
        done_at=payload.done_at,
    )
    return Status(201, _case_out(_case_or_404(request, case_id), request.scope))


@router.post("/cases/{case_id}/close", response=CaseOut)
def cases_close(request, case_id: int, payload: CloseIn):
    case = _case_or_404(request, case_id)
    if not request.scope.manages_locations:
        raise DomainError(_("Only managers close cases."), status=403)
    services.case_close(case=case, by=request.user, reason=payload.reason)
    return _case_out(_case_or_404(request, case_id), request.scope)


def _rule_out(rule) -> dict:
    return {
        "id": rule.pk,
        "expectation_below": rule.expectation_below,
        "return_at_most": rule.return_at_most,
        "csat_at_most": rule.csat_at_most,
        "survey": rule.survey.slug if rule.survey else None,
        "location": rule.location.code if rule.location else None,
        "category": rule.category.code if rule.category else None,
        "severity": rule.severity,
        "active": rule.active,
    }


@router.get("/recovery-rules", response=list[RuleIO])
def rules_list(request):
    if not request.scope.is_owner:
        raise DomainError(_("Only owners manage recovery rules."), status=403)
    return [_rule_out(rule) for rule in rules_visible(request.scope)]


@router.post("/recovery-rules", response={201: RuleIO, 200: RuleIO})
def rules_save(request, payload: RuleIO):
    if not request.scope.is_owner:
        raise DomainError(_("Only owners manage recovery rules."), status=403)
    existing = None
    if payload.id is not None:
        existing = rules_visible(request.scope).filter(pk=payload.id).first()
        if existing is None:
            raise DomainError(_("No such rule."), status=404)
    rule = services.rule_save(
        rule=existing,
        expectation_below=payload.expectation_below,
        return_at_most=payload.return_at_most,
        csat_at_most=payload.csat_at_most,
        survey=survey_by_slug(payload.survey) if payload.survey else None,
        location=location_by_code(payload.location) if payload.location else None,
        category=_category_by_code(payload.category),
        severity=payload.severity,
        active=payload.active,
    )
    return Status(200 if existing else 201, _rule_out(rule))


@router.get("/recovery/measures", response=RecoveryMeasuresOut)
def measures(
    request,
    group_by: str = "",
    date_from: BoundedDate | None = None,
    date_to: BoundedDate | None = None,
    location: str | None = None,
):
    """Recovery's figures per group (location, region, month); locations and regions by code, with
    their names as ``location_label`` and ``region_label``."""
    if not request.scope.manages_locations:
        raise DomainError(_("Only managers see recovery measures."), status=403)
    names = [name for name in group_by.split(",") if name]
    if any(name not in GROUPINGS for name in names):
        raise DomainError(_("group_by takes location, region and month."), field="group_by", status=422)
    _check_period(date_from, date_to)
    filters = CaseFilter(
        date_from=date_from, date_to=date_to, location=location_by_code(location).pk if location else None
    )
    rows = [figure_dict(row) for row in recovery_measures(request.scope, filters, names)]
    codes = {
        name: dict(model.objects.values_list("pk", "code"))
        for name, model in (("location", Location), ("region", Region))
        if name in names
    }
    for row in rows:
        for name, by_id in codes.items():
            row["group"][name] = by_id.get(row["group"][name])
    return {"results": rows}


@router.post("/visits", response={201: VisitOut, 200: VisitOut})
def visits_create(request, payload: VisitIn):
    if not request.scope.manages_locations:
        raise DomainError(_("Only managers' tokens may record visits."), status=403)
    location = location_by_code(payload.location)
    require_location(request.scope, location)
    served_by = None
    if payload.served_by:
        served_by = Person.objects.filter(external_ref=payload.served_by).first()
        if served_by is None:
            # 400 like every other unknown reference (lookups.py), whether or not the number exists.
            raise DomainError(
                _("No person has the employee number %(ref)s.") % {"ref": payload.served_by}, field="served_by"
            )
    visit, created = visit_record(
        external_id=payload.external_id,
        location=location,
        visited_at=payload.visited_at,
        customer_ref=payload.customer_ref,
        amount=payload.amount,
        served_by=served_by,
    )
    if not created and visit.location_id != location.pk and not request.scope.covers_location(visit.location_id):
        raise DomainError(_("This external id belongs to another location's visit."), field="external_id", status=409)
    body = {
        "id": visit.pk,
        "external_id": visit.external_id,
        "location": visit.location.code,
        "visited_at": visit.visited_at,
        "amount": visit.amount,
        "created": created,
    }
    return Status(201 if created else 200, body)
