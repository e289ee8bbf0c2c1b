"""Reads of recovery cases, every one filtered by the caller's scope here and nowhere else.

Associates see the cases of their own locations in which they are involved (named among the
people, the case owner, or the one who logged it) — enough to record the step they took,
never a colleague's case or another store's. Mystery shoppers and outsiders see nothing.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import BooleanField, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from exceed.org.models import Person, Role
from exceed.org.scopes import Scope
from exceed.recovery.models import RecoveryCase, RecoveryRule, RecoveryStep
from exceed.recovery.workflow import ACTIVE_STATUSES


@dataclass
class CaseFilter:
    status: str | None = None
    region: int | None = None
    location: int | None = None
    category: int | None = None
    source: str | None = None
    overdue: bool = False
    date_from: date | None = None
    date_to: date | None = None
    # "My cases": those this person owns.
    owner: int | None = None
    # A case number, or words of its summary.
    text: str = ""


def cases_visible(scope: Scope) -> QuerySet[RecoveryCase]:
    """Every case the scope may read: the root of all case lists, details, exports and measures."""
    if not scope.sees_staff_data:
        return RecoveryCase.objects.none()
    cases = RecoveryCase.objects.all()
    if scope.location_ids is not None:
        cases = cases.filter(location_id__in=scope.location_ids)
    if scope.role == Role.ASSOCIATE and scope.person_id is not None:
        named = RecoveryCase.people.through.objects.filter(person_id=scope.person_id).values("recoverycase_id")
        cases = cases.filter(Q(pk__in=named) | Q(owner_id=scope.person_id) | Q(logged_by_id=scope.user_id))
    return cases


def overdue_steps_of(case_ref, now) -> QuerySet[RecoveryStep]:
    return RecoveryStep.objects.filter(case=case_ref, done_at__isnull=True, due_at__lt=now)


def cases_filtered(scope: Scope, filters: CaseFilter, *, now=None) -> QuerySet[RecoveryCase]:
    now = now or timezone.now()
    cases = cases_visible(scope).annotate(
        is_overdue=ExpressionWrapper(
            Q(Exists(overdue_steps_of(OuterRef("pk"), now))) & Q(status__in=ACTIVE_STATUSES),
            output_field=BooleanField(),
        )
    )
    if filters.status:
        cases = cases.filter(status=filters.status)
    if filters.region:
        cases = cases.filter(location__region_id=filters.region)
    if filters.location:
        cases = cases.filter(location_id=filters.location)
    if filters.category:
        cases = cases.filter(category_id=filters.category)
    if filters.source:
        cases = cases.filter(source=filters.source)
    if filters.overdue:
        cases = cases.filter(is_overdue=True)
    if filters.date_from:
        cases = cases.filter(opened_date__gte=filters.date_from)
    if filters.date_to:
        cases = cases.filter(opened_date__lte=filters.date_to)
    if filters.owner:
        cases = cases.filter(owner_id=filters.owner)
    if filters.text:
        text = filters.text.strip().lstrip("#")
        cases = (
            cases.filter(pk=int(text))
            if text.isascii() and text.isdigit() and len(text) < 10
            else cases.filter(summary__icontains=text)
        )
    return cases.select_related("location", "category", "touchpoint", "owner")


def cases_by_urgency(cases: QuerySet[RecoveryCase]) -> QuerySet[RecoveryCase]:
    """The triage order: overdue cases first, then by the step due soonest; cases with nothing
    left to do (closed, or every step recorded) last, newest first.

    ``next_due`` and ``next_kind`` are the earliest open step's deadline and kind, for the list.
    """
    open_steps = RecoveryStep.objects.filter(
        case=OuterRef("pk"), done_at__isnull=True, case__status__in=ACTIVE_STATUSES
    ).order_by("due_at", "pk")
    return cases.annotate(
        next_due=Subquery(open_steps.values("due_at")[:1]),
        next_kind=Subquery(open_steps.values("kind")[:1]),
    ).order_by(F("is_overdue").desc(), F("next_due").asc(nulls_last=True), "-opened_at", "-pk")


def case_get(scope: Scope, pk: int) -> RecoveryCase | None:
    return (
        cases_filtered(scope, CaseFilter())
        .prefetch_related("steps__done_by", "people", "status_changes__by", "assignments__by", "assignments__to_owner")
        .filter(pk=pk)
        .first()
    )


def rules_visible(scope: Scope) -> QuerySet[RecoveryRule]:
    """Rules are the owner's to read and edit."""
    if not scope.is_owner:
        return RecoveryRule.objects.none()
    return RecoveryRule.objects.select_related("survey", "location", "category").order_by("pk")


def assignable_people(case: RecoveryCase) -> QuerySet[Person]:
    """The colleagues a case may be given to: the active people of its location."""
    return Person.objects.filter(locations=case.location_id, active=True).order_by("name")
