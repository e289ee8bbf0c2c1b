"""Recovery measures (issue 3, item 7), computed by the database and grouped by location, region
or month. Every figure starts from ``cases_visible(scope)``.

Definitions:
- failures: cases opened; recovered: cases now closed (a double deviation reopens, so it is not).
- time to acknowledge / close: median and p90 in seconds, nearest-rank percentiles of the
  durations read in one pass (``_percentiles`` says why not window functions).
- steps on time: of the steps done or past due, the share done by their deadline.
- recovery satisfaction: share answering 4–5 to "How did we handle it?".
- identified: a customer who can be recognised later, by a hashed consented contact or by a
  customer reference staff or an API client entered (a loyalty card, an account). A response's
  transaction ref is a receipt, not a customer, and never identifies one.
- loyal conversion: an identified case whose customer answered another survey or made a recorded
  visit after the failure, within the loyalty window, matched by that identity.
- recovery paradox: return likelihood after recovery against the respondents of the same
  locations and months who had no failure (their response opened no case), as return scores with
  n and 95% intervals; and observed return on both sides by the same rule: of the identified
  customers only, the share who came back within the window (after the failure, or after their
  answer). Respondents carry no customer reference, so on the no-failure side every identified
  customer is one with a consented contact.

Speed (issue 8, item 8): months are taken by the database's own date function (``MonthStart``), and
the baseline is counted per location and month in one grouped query and matched with the cases'
months here, instead of a correlated subquery per response. Whether a customer came back is stored
on each case and contact when the return arrives (exceed.recovery.returns), so loyal conversion and
observed return are counts with a comparison, not a subquery per case and per contact.
"""

from datetime import date, timedelta

from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    F,
    OuterRef,
    Q,
    Sum,
)
from django.db.models.functions import TruncMonth
from django.utils import timezone

from exceed.core.measures import CSAT_SATISFIED_MIN, RETURN_DETRACTOR_MAX, RETURN_PROMOTER_MIN, net_score, share
from exceed.feedback.models import Survey
from exceed.feedback.selectors import (
    FeedbackFilter,
    daily_measures_visible,
    responses_visible,
)
from exceed.org.models import Location, Region
from exceed.org.scopes import Scope
from exceed.recovery.defaults import FOLLOWUP_SURVEY_SLUG
from exceed.recovery.models import CustomerContact, RecoveryCase, RecoveryStep
from exceed.recovery.selectors import CaseFilter, cases_filtered

# The bands are the shared measures' (core.measures): return 9–10 / 0–6; satisfied 4–5 on
# "How did we handle it?" (1–5), as CSAT counts it.
PROMOTER_AT_LEAST = RETURN_PROMOTER_MIN
DETRACTOR_AT_MOST = RETURN_DETRACTOR_MAX
SATISFIED_AT_LEAST = CSAT_SATISFIED_MIN

GROUPINGS = ("location", "region", "month")


class MonthStart(TruncMonth):
    """The first day of a date's month. On SQLite, TruncMonth is ``django_date_trunc``, a Python
    function called once per row (1.5 million times per page on the demo); SQLite's own ``date()``
    does the same in C. PostgreSQL keeps ``DATE_TRUNC``."""

    def as_sqlite(self, compiler, connection, **extra_context):
        if isinstance(self.lhs.output_field, DateTimeField):
            raise TypeError("MonthStart takes a date: a timestamp's month depends on the time zone")
        sql, params = compiler.compile(self.lhs)
        return f"date({sql}, 'start of month')", params


_CASE_KEYS = {"location": F("location_id"), "region": F("location__region_id"), "month": MonthStart("opened_date")}


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


DURATIONS = ("acknowledge_seconds", "close_seconds")


def _ranked(values: list[int]) -> dict:
    """Nearest-rank median and p90 of sorted values: ranks ⌈n/2⌉ = (n + 1) // 2 and
    ⌈9n/10⌉ = (9n + 9) // 10."""
    n = len(values)
    return {"median": values[(n + 1) // 2 - 1], "p90": values[(9 * n + 9) // 10 - 1]}


def _percentiles(cases, group_by) -> tuple[dict[str, dict[tuple, dict]], dict[str, dict]]:
    """Median and p90 of both durations per group, and over every case (the total).

    The two integer columns are read in one pass and ranked here: a nearest rank needs every value
    in order whichever side sorts it, and the four window queries (two columns, grouped and not)
    took 0.8 s of the page at 100,000 cases on SQLite, where reading 90,000 pairs and sorting them
    takes 0.15 s of CPU."""
    groups: dict[str, dict[tuple, list[int]]] = {field: {} for field in DURATIONS}
    width = len(group_by)
    rows = (
        _keyed(
            cases.filter(Q(acknowledge_seconds__isnull=False) | Q(close_seconds__isnull=False)), group_by, _CASE_KEYS
        )
        .values_list(*[f"g_{name}" for name in group_by], *DURATIONS)
        .order_by()
    )
    for row in rows.iterator(chunk_size=20000):
        key = tuple(row[:width])
        for field, value in zip(DURATIONS, row[width:]):
            if value is not None:
                groups[field].setdefault(key, []).append(value)
    per_group, total = {}, {}
    for field, found in groups.items():
        for values in found.values():
            values.sort()
        per_group[field] = {key: _ranked(values) for key, values in found.items()}
        everything = sorted(value for values in found.values() for value in values)
        total[field] = _ranked(everything) if everything else None
    return per_group, total


def _came_back(window: timedelta) -> Q:
    """The customer came back within the window: the first return, stored when it arrived
    (exceed.recovery.returns), is at most the window's whole seconds after."""
    return Q(return_seconds__lte=int(window.total_seconds()))


def _case_figures(cases, group_by, window: timedelta) -> dict[tuple, dict]:
    identified = ~Q(contact_hash="") | ~Q(customer_ref_hash="")
    return _grouped(
        _keyed(cases, group_by, _CASE_KEYS),
        group_by,
        failures=Count("pk"),
        recovered=Count("pk", filter=Q(status="closed")),
        outcome_n=Count("pk", filter=Q(outcome_rating__isnull=False)),
        outcome_satisfied=Count("pk", filter=Q(outcome_rating__gte=SATISFIED_AT_LEAST)),
        impressed=Count("pk", filter=Q(impressed=True)),
        double_deviations=Count("pk", filter=Q(double_deviation=True)),
        after_n=Count("pk", filter=Q(outcome_return_likelihood__isnull=False)),
        after_promoters=Count("pk", filter=Q(outcome_return_likelihood__gte=PROMOTER_AT_LEAST)),
        after_detractors=Count("pk", filter=Q(outcome_return_likelihood__lte=DETRACTOR_AT_MOST)),
        after_sum=Sum("outcome_return_likelihood"),
        identified=Count("pk", filter=identified),
        loyal=Count("pk", filter=identified & _came_back(window)),
    )


def _step_figures(cases, group_by, now) -> dict[tuple, dict]:
    keys = {
        name: key
        for name, key in {
            "location": F("case__location_id"),
            "region": F("case__location__region_id"),
            "month": MonthStart("case__opened_date"),
        }.items()
    }
    steps = RecoveryStep.objects.filter(case__in=cases.values("pk")).filter(
        Q(done_at__isnull=False) | Q(due_at__lt=now)
    )
    return _grouped(
        _keyed(steps, group_by, keys), group_by, n=Count("pk"), on_time=Count("pk", filter=Q(done_at__lte=F("due_at")))
    )


def _baseline(scope: Scope, cases, group_by, window: timedelta) -> dict[tuple, dict]:
    """Respondents without a failure, in the locations and months the cases come from.

    1. The cases' (location, month) pairs, a few hundred rows even at 100,000 cases.
    2. The comparable return answers per location and month, over the cases' locations and the
       span of their months: the daily rollup's, less the answers that opened a case (and the
       follow-up's, should an owner count it in the measures), plus surveys outside the
       measures; then the consented contacts, with whether each came back, in one grouped query.
    3. The rows of the pairs kept and added up into the groups asked for: every figure is a count
       or a sum, so adding months and locations up is exact.
    """
    pairs = set(_keyed(cases, ["month"], _CASE_KEYS).values_list("location_id", "g_month").distinct())
    if not pairs:
        return {}
    location_ids = {location for location, _month in pairs}
    months = sorted(month for _location, month in pairs)
    last = months[-1]
    after_last = date(last.year + last.month // 12, last.month % 12 + 1, 1)
    span = {"location_id__in": location_ids, "local_date__gte": months[0], "local_date__lt": after_last}
    visible = responses_visible(scope).filter(**span)
    responses = visible.exclude(survey__slug=FOLLOWUP_SURVEY_SLUG).filter(recovery_case__isnull=True)
    # The return answers: the rollup counts every response to a survey in the measures (by day,
    # so a month is a few hundred rows, not the 400,000 responses of a big year) ...
    rolled = (
        daily_measures_visible(scope, FeedbackFilter())
        .filter(**span)
        .values(answered_at=F("location_id"), month=MonthStart("local_date"))
    )
    counted = [
        (
            1,
            rolled.annotate(
                n=Sum("return_n"),
                promoters=Sum("return_promoters"),
                detractors=Sum("return_detractors"),
                total=Sum("return_sum"),
            ).order_by(),
        ),
        # ... less those that opened a case, found from the cases (fewer than the responses) ...
        (
            -1,
            _return_counts(
                RecoveryCase.objects.filter(
                    Exists(visible.filter(pk=OuterRef("response_id"))), response__survey__in_measures=True
                ),
                prefix="response__",
            ),
        ),
    ]
    if Survey.objects.filter(slug=FOLLOWUP_SURVEY_SLUG, in_measures=True).exists():
        counted.append(
            (-1, _return_counts(visible.filter(survey__slug=FOLLOWUP_SURVEY_SLUG, recovery_case__isnull=True)))
        )
    # ... and plus those, without a case, to surveys left out of the measures (not the follow-up).
    others = list(
        Survey.objects.filter(in_measures=False).exclude(slug=FOLLOWUP_SURVEY_SLUG).values_list("pk", flat=True)
    )
    if others:
        counted.append((1, _return_counts(responses.filter(survey_id__in=others))))
    contacts = (
        CustomerContact.objects.filter(Exists(responses.filter(pk=OuterRef("response_id"))))
        .values("location_id", answered_at=F("response__location_id"), month=MonthStart("response__local_date"))
        .annotate(identified=Count("pk"), returned=Count("pk", filter=_came_back(window)))
        .order_by()
    )
    region_of = dict(Location.objects.values_list("pk", "region_id"))
    figures: dict[tuple, dict] = {} if group_by else {(): {"n": 0, "promoters": 0, "detractors": 0, "total": None}}
    parts_counted = [(sign, rows, ("n", "promoters", "detractors", "total")) for sign, rows in counted]
    for sign, rows, names in [*parts_counted, (1, contacts, ("identified", "returned"))]:
        for row in rows:
            # A contact is grouped by its own location, as before, but compared by its response's.
            location = row.get("location_id", row["answered_at"])
            if (row["answered_at"], row["month"]) not in pairs:
                continue
            parts = {"location": location, "region": region_of[location], "month": row["month"]}
            group = figures.setdefault(tuple(parts[name] for name in group_by), {})
            for name in names:
                if row[name] is not None:
                    group[name] = (group.get(name) or 0) + sign * row[name]
    return figures


def _return_counts(rows, prefix=""):
    """Return answers per location and month, of responses or (``prefix="response__"``) of the
    responses behind cases."""
    answer = f"{prefix}return_likelihood"
    return (
        rows.values(answered_at=F(f"{prefix}location_id"), month=MonthStart(f"{prefix}local_date"))
        .annotate(
            n=Count(answer),
            promoters=Count("pk", filter=Q(**{f"{answer}__gte": PROMOTER_AT_LEAST})),
            detractors=Count("pk", filter=Q(**{f"{answer}__lte": DETRACTOR_AT_MOST})),
            total=Sum(answer),
        )
        .order_by()
    )


def _checked(group_by) -> list[str]:
    group_by = list(group_by)
    unknown = [name for name in group_by if name not in GROUPINGS]
    if unknown:
        raise ValueError(f"unknown grouping: {', '.join(unknown)}")
    return group_by


def _counted(scope: Scope, filters: CaseFilter | None, group_by, now) -> tuple:
    """The cases, and their counts and sums per group: cases, steps, baseline."""
    from exceed.recovery.services import settings_get

    window = timedelta(days=settings_get().loyalty_window_days)
    cases = cases_filtered(scope, filters or CaseFilter(), now=now).order_by()
    return (
        cases,
        _case_figures(cases, group_by, window),
        _step_figures(cases, group_by, now),
        _baseline(scope, cases, group_by, window),
    )


def recovery_measures(scope: Scope, filters: CaseFilter | None = None, group_by=(), *, now=None) -> list[dict]:
    """One dict per group (one in all when ungrouped) with every recovery measure."""
    group_by = _checked(group_by)
    now = now or timezone.now()
    return _rows(*_counted(scope, filters, group_by, now), group_by)


def recovery_measures_and_total(
    scope: Scope, filters: CaseFilter | None = None, group_by=(), *, now=None
) -> tuple[dict, list[dict]]:
    """The total and the groups' rows, counted once (the dashboard shows both): every figure but
    the medians and p90s is a count or a sum over groups that share no case, so the total is the
    groups added up; the percentiles over all come from the same pass as the groups'."""
    group_by = _checked(group_by)
    now = now or timezone.now()
    if not group_by:
        return recovery_measures(scope, filters, now=now)[0], []
    cases, case_rows, steps, baseline = _counted(scope, filters, group_by, now)
    rows, durations_total = _rows_and_durations(cases, case_rows, steps, baseline, group_by)
    total = _measured(
        {},
        _summed(case_rows.values()),
        _summed(steps.values()),
        _summed(baseline.values()),
        durations_total["acknowledge_seconds"],
        durations_total["close_seconds"],
    )
    return total, rows


def _rows(cases, case_rows, steps, baseline, group_by) -> list[dict]:
    return _rows_and_durations(cases, case_rows, steps, baseline, group_by)[0]


def _rows_and_durations(cases, case_rows, steps, baseline, group_by) -> tuple[list[dict], dict]:
    durations, durations_total = _percentiles(cases, group_by)
    acknowledge, close = durations["acknowledge_seconds"], durations["close_seconds"]
    labels = _labels(group_by)
    rows = [
        _measured(
            _group(group_by, key, labels),
            case_rows[key],
            steps.get(key, {}),
            baseline.get(key, {}),
            acknowledge.get(key),
            close.get(key),
        )
        for key in sorted(case_rows, key=lambda k: tuple(str(part) for part in k))
    ]
    return rows, durations_total


def _summed(rows) -> dict:
    """Counts and sums added up over groups; a sum stays None where every group's was (SQL's SUM)."""
    total: dict = {}
    for row in rows:
        for name, value in row.items():
            if name.startswith("g_"):
                continue
            total.setdefault(name, None)
            if value is not None:
                total[name] = (total[name] or 0) + value
    return total


def _group(group_by, key, labels) -> dict:
    group = {}
    for name, value in zip(group_by, key):
        group[name] = value.date() if hasattr(value, "date") and callable(value.date) else value
        if name in labels:
            group[f"{name}_label"] = labels[name].get(value, "—")
    return group


def _measured(group: dict, row: dict, step: dict, base: dict, acknowledge, close) -> dict:
    after_n = row.get("after_n") or 0
    return {
        "group": group,
        "failures": row.get("failures") or 0,
        "recovered": row.get("recovered") or 0,
        "recovery_rate": share(row.get("failures") or 0, row.get("recovered") or 0),
        "acknowledge_seconds": acknowledge or {"median": None, "p90": None},
        "close_seconds": close or {"median": None, "p90": None},
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
