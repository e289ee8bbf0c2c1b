"""The recovery measures as they were before issue 8 (commit 702a043), kept only so that
tests/recovery/test_measures_fast.py can prove the fast computation gives identical figures.
Slow by design (a correlated TruncMonth per response); never import it from src/.
"""

from datetime import timedelta

from django.db.models import (
    BooleanField,
    Count,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Sum,
    Window,
)
from django.db.models.functions import RowNumber, TruncMonth
from django.utils import timezone

from exceed.feedback.measures import net_score, share
from exceed.feedback.selectors import responses_visible
from exceed.org.models import Location, Region
from exceed.org.scopes import Scope
from exceed.recovery.defaults import FOLLOWUP_SURVEY_SLUG
from exceed.recovery.models import CustomerContact, RecoveryStep, TillVisit
from exceed.recovery.selectors import CaseFilter, cases_filtered

GROUPINGS = ("location", "region", "month")
_CASE_KEYS = {"location": F("location_id"), "region": F("location__region_id"), "month": TruncMonth("opened_date")}
_RESPONSE_KEYS = {"location": F("location_id"), "region": F("location__region_id"), "month": TruncMonth("local_date")}


def _keyed(queryset, group_by, keys):
    return queryset.annotate(**{f"g_{name}": keys[name] for name in group_by})


def _group_of(row: dict, group_by) -> tuple:
    return tuple(row[f"g_{name}"] for name in group_by)


def _grouped(queryset, group_by, **aggregates) -> dict[tuple, dict]:
    """Aggregates per group, or once over everything when ungrouped (values() with no names
    would group by every column instead)."""
    if not group_by:
        return {(): queryset.aggregate(**aggregates)}
    rows = queryset.values(*[f"g_{name}" for name in group_by]).annotate(**aggregates).order_by()
    return {_group_of(row, group_by): row for row in rows}


def _percentiles(cases, group_by, field: str) -> dict[tuple, dict]:
    """Nearest-rank median and p90 of an integer column per group: rank ⌈p·n⌉ in SQL."""
    partition = [F(f"g_{name}") for name in group_by] or None
    ranked = _keyed(cases.filter(**{f"{field}__isnull": False}), group_by, _CASE_KEYS).annotate(
        rank=Window(RowNumber(), partition_by=partition, order_by=[F(field).asc(), F("pk").asc()]),
        total=Window(Count("pk"), partition_by=partition),
    )
    result: dict[tuple, dict] = {}
    # ⌈n/2⌉ = (n + 1) / 2 and ⌈9n/10⌉ = (9n + 9) / 10 in integer division, the same on both databases.
    for label, wanted in (("median", (F("total") + 1) / 2), ("p90", (F("total") * 9 + 9) / 10)):
        rows = ranked.annotate(wanted=ExpressionWrapper(wanted, output_field=IntegerField())).filter(rank=F("wanted"))
        for row in rows.values(*[f"g_{name}" for name in group_by], field):
            result.setdefault(_group_of(row, group_by), {})[label] = row[field]
    return result


def _came_back(identity_refs, after_ref, window: timedelta):
    """Exists: a later respondent contact or visit with one of the identities, within the window."""
    until = ExpressionWrapper(after_ref + window, output_field=DateTimeField())
    identity = Q()
    for ref in identity_refs:
        identity |= Q(contact_hash=ref)
    # Strictly later: the answer that reported the failure is not its own return.
    contacts = CustomerContact.objects.filter(identity, submitted_at__gt=after_ref, submitted_at__lte=until).exclude(
        response__survey__slug=FOLLOWUP_SURVEY_SLUG
    )
    visit_identity = Q()
    for ref in identity_refs:
        visit_identity |= Q(customer_hash=ref)
    visits = TillVisit.objects.filter(visit_identity, visited_at__gt=after_ref, visited_at__lte=until)
    return Exists(contacts) | Exists(visits)


def _case_figures(cases, group_by, window: timedelta) -> dict[tuple, dict]:
    identified = ~Q(contact_hash="") | ~Q(customer_ref_hash="")
    converted = _came_back(
        [OuterRef("contact_hash"), OuterRef("customer_ref_hash")],
        OuterRef("opened_at"),
        window,
    )
    return _grouped(
        _keyed(cases, group_by, _CASE_KEYS).annotate(
            converted=ExpressionWrapper(Q(converted), output_field=BooleanField())
        ),
        group_by,
        failures=Count("pk"),
        recovered=Count("pk", filter=Q(status="closed")),
        outcome_n=Count("pk", filter=Q(outcome_rating__isnull=False)),
        outcome_satisfied=Count("pk", filter=Q(outcome_rating__gte=4)),
        impressed=Count("pk", filter=Q(impressed=True)),
        double_deviations=Count("pk", filter=Q(double_deviation=True)),
        after_n=Count("pk", filter=Q(outcome_return_likelihood__isnull=False)),
        after_promoters=Count("pk", filter=Q(outcome_return_likelihood__gte=9)),
        after_detractors=Count("pk", filter=Q(outcome_return_likelihood__lte=6)),
        after_sum=Sum("outcome_return_likelihood"),
        identified=Count("pk", filter=identified),
        loyal=Count("pk", filter=identified & Q(converted=True)),
    )


def _step_figures(cases, group_by, now) -> dict[tuple, dict]:
    keys = {
        name: key
        for name, key in {
            "location": F("case__location_id"),
            "region": F("case__location__region_id"),
            "month": TruncMonth("case__opened_date"),
        }.items()
    }
    steps = RecoveryStep.objects.filter(case__in=cases.values("pk")).filter(
        Q(done_at__isnull=False) | Q(due_at__lt=now)
    )
    return _grouped(
        _keyed(steps, group_by, keys), group_by, n=Count("pk"), on_time=Count("pk", filter=Q(done_at__lte=F("due_at")))
    )


def _baseline(scope: Scope, cases, group_by, window: timedelta) -> dict[tuple, dict]:
    """Respondents without a failure, in the locations and months the cases come from."""
    months = _keyed(cases, ["location", "month"], _CASE_KEYS).filter(
        g_location=OuterRef("location_id"), g_month=OuterRef("response_month")
    )
    responses = (
        responses_visible(scope)
        .exclude(survey__slug=FOLLOWUP_SURVEY_SLUG)
        .filter(recovery_case__isnull=True)
        .annotate(response_month=TruncMonth("local_date"))
        .filter(Exists(months))
    )
    figures = _grouped(
        _keyed(responses, group_by, _RESPONSE_KEYS),
        group_by,
        n=Count("pk", filter=Q(return_likelihood__isnull=False)),
        promoters=Count("pk", filter=Q(return_likelihood__gte=9)),
        detractors=Count("pk", filter=Q(return_likelihood__lte=6)),
        total=Sum("return_likelihood"),
    )
    contacts = CustomerContact.objects.filter(response__in=responses.values("pk")).annotate(
        came_back=ExpressionWrapper(
            Q(_came_back([OuterRef("contact_hash")], OuterRef("submitted_at"), window)), output_field=BooleanField()
        )
    )
    contact_keys = {
        "location": F("location_id"),
        "region": F("location__region_id"),
        "month": TruncMonth("response__local_date"),
    }
    returned = _grouped(
        _keyed(contacts, group_by, contact_keys),
        group_by,
        identified=Count("pk"),
        returned=Count("pk", filter=Q(came_back=True)),
    )
    for key, row in returned.items():
        figures.setdefault(key, {}).update(identified=row["identified"], returned=row["returned"])
    return figures


def recovery_measures(scope: Scope, filters: CaseFilter | None = None, group_by=(), *, now=None) -> list[dict]:
    """One dict per group (one in all when ungrouped) with every recovery measure."""
    from exceed.recovery.services import settings_get

    group_by = list(group_by)
    unknown = [name for name in group_by if name not in GROUPINGS]
    if unknown:
        raise ValueError(f"unknown grouping: {', '.join(unknown)}")
    now = now or timezone.now()
    window = timedelta(days=settings_get().loyalty_window_days)
    cases = cases_filtered(scope, filters or CaseFilter(), now=now).order_by()
    case_rows = _case_figures(cases, group_by, window)
    steps = _step_figures(cases, group_by, now)
    acknowledge = _percentiles(cases, group_by, "acknowledge_seconds")
    close = _percentiles(cases, group_by, "close_seconds")
    baseline = _baseline(scope, cases, group_by, window)
    labels = _labels(group_by)
    result = []
    for key in sorted(case_rows, key=lambda k: tuple(str(part) for part in k)):
        row, base, step = case_rows[key], baseline.get(key, {}), steps.get(key, {})
        group = {}
        for name, value in zip(group_by, key):
            group[name] = value.date() if hasattr(value, "date") and callable(value.date) else value
            if name in labels:
                group[f"{name}_label"] = labels[name].get(value, "—")
        after_n = row.get("after_n") or 0
        result.append(
            {
                "group": group,
                "failures": row.get("failures") or 0,
                "recovered": row.get("recovered") or 0,
                "recovery_rate": share(row.get("failures") or 0, row.get("recovered") or 0),
                "acknowledge_seconds": acknowledge.get(key, {"median": None, "p90": None}),
                "close_seconds": close.get(key, {"median": None, "p90": None}),
                "steps_on_time": share(step.get("n") or 0, step.get("on_time") or 0),
                "recovery_satisfaction": share(row.get("outcome_n") or 0, row.get("outcome_satisfied") or 0),
                "impressed": row.get("impressed") or 0,
                "double_deviations": row.get("double_deviations") or 0,
                "loyal_conversions": row.get("loyal") or 0,
                "paradox": {
                    "return_score_after_recovery": net_score(
                        after_n, row.get("after_promoters") or 0, row.get("after_detractors") or 0
                    ),
                    "return_mean_after_recovery": round(row["after_sum"] / after_n, 2) if after_n else None,
                    "return_score_no_failure": net_score(
                        base.get("n") or 0, base.get("promoters") or 0, base.get("detractors") or 0
                    ),
                    "return_mean_no_failure": round(base["total"] / base["n"], 2) if base.get("n") else None,
                    "observed_return_after_failure": share(row.get("identified") or 0, row.get("loyal") or 0),
                    "observed_return_no_failure": share(base.get("identified") or 0, base.get("returned") or 0),
                },
            }
        )
    return result


def _labels(group_by) -> dict:
    labels = {}
    if "location" in group_by:
        labels["location"] = dict(Location.objects.values_list("pk", "name"))
    if "region" in group_by:
        labels["region"] = dict(Region.objects.values_list("pk", "name"))
    return labels


def figure_dict(value):
    """Figures as plain JSON-ready values, for the API and the CSV export."""
    if hasattr(value, "as_dict"):
        return value.as_dict()
    if isinstance(value, dict):
        return {name: figure_dict(part) for name, part in value.items()}
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
