"""What the dashboard and the responses pages show, read through feedback's scoped selectors.

Nothing here decides who sees what: every figure comes from ``feedback.selectors.measures`` (the
daily rollup) and every row from ``responses_filtered``, both given the caller's scope.
"""

from dataclasses import dataclass, replace
from datetime import date, timedelta

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from exceed.core.measures import (
    Change,
    Figure,
    Outcome,
    change,
    control_limits,
    funnel_limits,
    funnel_position,
    icc_oneway,
    net_score,
    net_score_variance,
    predictability,
    share,
    shrinkage_strength,
    shrunk,
    shrunk_means_spread,
    spread,
)
from exceed.feedback.models import Answer, ExpectationOutcome, QuestionKind, QuestionVersion, Response, translated
from exceed.feedback.selectors import FeedbackFilter, comments_latest, measures, responses_filtered
from exceed.org.models import Person
from exceed.org.scopes import Scope, locations_in_scope
from exceed.recovery.measures import recovery_measures
from exceed.recovery.selectors import CaseFilter, cases_filtered
from exceed.recovery.workflow import ACTIVE_STATUSES

# Sort keys offered by the breakdown tables' column headers.
SORTS = {
    "name": lambda row: row["group"]["label"].casefold(),
    # Sorted by the score drawn toward the chain's for small samples: two lucky answers must not
    # top the table (docs/DOMAIN.md, "Standard measures"; core.measures.shrunk).
    "score": lambda row: row.get("return_score_shrunk", row["return_score"].value),
    "index": lambda row: row["expectation_index"].value,
    "exceeded": lambda row: row["exceeded_share"].value,
    "n": lambda row: row["responses"],
}
DEFAULT_SORT = "-n"
EXPECTATION_WORDS = Outcome.WORDS


@dataclass
class Breakdown:
    dimension: str
    title: str
    rows: list[dict]


def dashboard_headline(scope: Scope, filters: FeedbackFilter) -> dict:
    return measures(scope, filters)[0]


@dataclass
class Comparison:
    """The headline against the period of the same length just before it (issue 8, item 7)."""

    date_from: date
    date_to: date
    responses_before: int
    responses_now: int
    changes: dict[str, Change | None]  # figure name → its change; None where either side has no answers

    @property
    def responses_change(self) -> int:
        return self.responses_now - self.responses_before


COMPARED_FIGURES = ("return_score", "expectation_index", "csat")


def previous_period(filters: FeedbackFilter) -> FeedbackFilter | None:
    """The same filters over the days just before ``filters``' period, as many as it has; None for
    an open-ended period ("all time"), which has nothing before it to compare with."""
    if filters.date_from is None or filters.date_to is None:
        return None
    days = (filters.date_to - filters.date_from).days + 1
    end = filters.date_from - timedelta(days=1)
    return replace(filters, date_from=end - timedelta(days=days - 1), date_to=end)


def dashboard_comparison(scope: Scope, filters: FeedbackFilter, headline: dict) -> Comparison | None:
    """Each headline figure's change on the previous period, with whether it is beyond noise
    (its 95% interval leaves out zero; core.measures.change)."""
    earlier = previous_period(filters)
    if earlier is None:
        return None
    before = measures(scope, earlier)[0]
    assert earlier.date_from is not None and earlier.date_to is not None
    return Comparison(
        date_from=earlier.date_from,
        date_to=earlier.date_to,
        responses_before=before["responses"],
        responses_now=headline["responses"],
        changes={name: change(headline[name], before[name]) for name in COMPARED_FIGURES},
    )


def dashboard_trend(scope: Scope, filters: FeedbackFilter, *, days: int | None) -> dict:
    """Return score and expectation index per day (ranges up to 31 days) or per week.

    Buckets without answers are kept as gaps (None), so the chart's time axis stays even.
    """
    grain = "day" if days is not None and days <= 31 else "week"
    found = {row["group"][grain]: row for row in measures(scope, filters, group_by=[grain])}
    buckets = _buckets(grain, filters.date_from, filters.date_to) or sorted(found)
    points = []
    for bucket in buckets:
        row = found.get(bucket)
        points.append(
            {
                "date": bucket.isoformat(),
                "return_score": row["return_score"].value if row else None,
                "expectation_index": row["expectation_index"].value if row else None,
                "n": row["responses"] if row else 0,
            }
        )
    return {"grain": grain, "points": points}


def _buckets(grain: str, start: date | None, end: date | None) -> list[date]:
    if start is None or end is None:
        return []
    if grain == "week":
        start = start - timedelta(days=start.weekday())
    step = timedelta(days=7 if grain == "week" else 1)
    buckets = []
    while start <= end:
        buckets.append(start)
        start += step
    return buckets


def dashboard_breakdowns(scope: Scope, filters: FeedbackFilter, *, sort: str) -> list[Breakdown]:
    dimensions = [("location", _("By location")), ("touchpoint", _("By touchpoint"))]
    # Figures per colleague are for those who manage them; an associate's own figures are the
    # headline already, and their colleagues' are not theirs to see.
    if scope.sees_colleagues:
        dimensions.append(("person", _("By person")))
    return [
        Breakdown(
            name,
            title,
            sort_rows(_with_shrunk_scores(_labelled(measures(scope, filters, group_by=[name]), name)), sort),
        )
        for name, title in dimensions
    ]


def _with_shrunk_scores(rows: list[dict]) -> list[dict]:
    """Each row's return score drawn toward the rows' pooled score, by an empirical-Bayes weight."""
    pooled = {
        name: sum(row["tallies"][name] for row in rows)
        for name in ("return_n", "return_promoters", "return_detractors")
    }
    prior = net_score(pooled["return_n"], pooled["return_promoters"], pooled["return_detractors"]).value
    within = net_score_variance(pooled, n="return_n", positive="return_promoters", negative="return_detractors")
    strength = shrinkage_strength(
        [(row["return_score"].value, row["return_score"].n) for row in rows], within_variance=within
    )
    for row in rows:
        row["return_score_shrunk"] = shrunk(
            row["return_score"].value, row["return_score"].n, prior=prior, strength=strength
        )
    return rows


def _labelled(rows: list[dict], dimension: str) -> list[dict]:
    for row in rows:
        key = row["group"][dimension]
        label = row["group"].get(f"{dimension}_label", "")
        if dimension == "touchpoint" and not key:
            label = _("Not specified")
        row["group"]["key"], row["group"]["label"] = key, label
    return rows


def sort_rows(rows: list[dict], sort: str) -> list[dict]:
    """Sort breakdown rows by a ``SORTS`` key (``-`` for descending); rows without a value go last."""
    descending = sort.startswith("-")
    key = SORTS.get(sort.lstrip("-"))
    if key is None:
        return sort_rows(rows, DEFAULT_SORT)
    present = [row for row in rows if key(row) is not None]
    missing = [row for row in rows if key(row) is None]
    return sorted(present, key=key, reverse=descending) + missing


def dashboard_comments(scope: Scope, filters: FeedbackFilter, *, expectation: int | None, limit: int = 20):
    return list(comments_latest(scope, filters, limit=limit, expectation=expectation))


def responses_list(scope: Scope, filters: FeedbackFilter, *, expectation: int | None = None):
    responses = responses_filtered(scope, filters)
    if expectation is not None:
        responses = responses.filter(expectation=expectation)
    return responses.select_related("location", "touchpoint").order_by("-submitted_at", "-pk")


def response_in_scope(scope: Scope, pk: int) -> Response | None:
    return (
        responses_filtered(scope, FeedbackFilter())
        .select_related("survey", "location__region", "touchpoint", "channel")
        .filter(pk=pk)
        .first()
    )


def people_named(scope: Scope, people) -> tuple[list[str], int]:
    """The names a scope may read among ``people``, and how many colleagues were left unnamed.

    An associate sees their own name only: the response may name a colleague too, and who else
    served a customer is not the associate's to read.
    """
    people = list(people)
    if scope.person_id is None:
        return [person.name for person in people], 0
    own = [person.name for person in people if person.pk == scope.person_id]
    return own, len(people) - len(own)


def response_answers(scope: Scope, response: Response, *, language: str) -> list[dict]:
    """Every question of the response's survey with its answer, in the reader's language."""
    answers = {answer.question_id: answer for answer in Answer.objects.filter(response=response)}
    questions = response.survey.questions.prefetch_related("choices").order_by("position", "pk")
    default = response.survey.default_language
    # An answer given to an earlier text of its question is shown with that text (issue 7, item 3).
    earlier = {
        (version.question_id, version.version): version.text
        for version in QuestionVersion.objects.filter(question_id__in=list(answers))
    }
    shown = []
    for question in questions:
        answer = answers.get(question.pk)
        text = earlier.get((question.pk, answer.question_version), question.text) if answer else question.text
        shown.append(
            {
                "code": question.code,
                "kind": question.kind,
                "text": translated(text, language, default) or question.code,
                "answered": answer is not None,
                "value": _answer_display(scope, question, answer, language, default) if answer else "",
                "number": answer.number if answer else None,
            }
        )
    return shown


def _answer_display(scope: Scope, question, answer: Answer, language: str, default: str) -> str:
    kind = question.kind
    if kind in (QuestionKind.RETURN_LIKELIHOOD, QuestionKind.CSAT):
        return str(answer.number)
    if kind == QuestionKind.EXPECTATION:
        return str(ExpectationOutcome(answer.number).label) if answer.number in ExpectationOutcome.values else ""
    if kind in (QuestionKind.CHOICE, QuestionKind.MULTI_CHOICE):
        labels = {
            choice.code: translated(choice.label, language, default) or choice.code for choice in question.choices.all()
        }
        return ", ".join(labels.get(code, code) for code in answer.choices)
    if kind == QuestionKind.STAFF:
        ids = [int(pk) for pk in answer.choices if str(pk).isdigit()]
        names, unnamed = people_named(scope, Person.objects.filter(pk__in=ids).order_by("name"))
        if unnamed:
            names.append(ngettext("%(count)d colleague", "%(count)d colleagues", unnamed) % {"count": unnamed})
        return ", ".join(names)
    if kind == QuestionKind.CONSENT:
        return _("Yes") if answer.number else _("No")
    return answer.text


# --- Consistency (issue 9, item 5) ----------------------------------------------------------------
#
# Every figure is stated from the daily rollup's tallies per location × touchpoint and per week
# (two grouped sums in SQL through feedback's scoped ``measures``); what is added up here are those
# few hundred summed rows, never responses. The definitions are core.measures'.

CONSISTENCY_FUNNELS = ("location", "touchpoint")
_RETURN = ("return_n", "return_promoters", "return_detractors", "return_sum", "return_squares")


@dataclass
class Consistency:
    headline: Figure
    cells: list[dict]
    between: dict
    funnel: dict
    weeks: dict
    responses: int


def _summed(rows: list[dict], dimension: str | None = None) -> dict:
    """The return tallies of ``rows`` added up, per value of ``dimension`` (or all together)."""
    found: dict = {}
    for row in rows:
        key = row["group"][dimension] if dimension else None
        target = found.setdefault(key, {"group": dict(row["group"]), **dict.fromkeys(_RETURN, 0)})
        for name in _RETURN:
            target[name] += row["tallies"][name]
    return found if dimension else found.get(None, dict.fromkeys(_RETURN, 0) | {"group": {}})


def _score(tallies: dict) -> Figure:
    return net_score(tallies["return_n"], tallies["return_promoters"], tallies["return_detractors"])


def _variance(tallies: dict) -> float:
    return net_score_variance(tallies, n="return_n", positive="return_promoters", negative="return_detractors")


def _mean(tallies: dict) -> float | None:
    return round(tallies["return_sum"] / tallies["return_n"], 2) if tallies["return_n"] else None


def _label(group: dict, dimension: str) -> str:
    if dimension == "touchpoint" and not group["touchpoint"]:
        return _("Not specified")
    return group.get(f"{dimension}_label", "")


def consistency(scope: Scope, filters: FeedbackFilter, *, funnel_by: str = "location") -> Consistency:
    """How predictable the experience is in the scope: within each store × touchpoint, between
    stores, on a funnel plot, week by week, and one headline figure (core.measures.predictability)."""
    if funnel_by not in CONSISTENCY_FUNNELS:
        raise ValueError(f"unknown funnel grouping: {funnel_by}")
    rows = [row for row in measures(scope, filters, group_by=["location", "touchpoint"]) if row["tallies"]["return_n"]]
    chain = _summed(rows)
    touchpoints = _summed(rows, "touchpoint")
    cells = []
    for row in rows:
        tallies = row["tallies"]
        # A store's phone is compared with the chain's phone: predictable means every store
        # answering the same on each touchpoint, not every touchpoint scoring alike.
        on_touchpoint = touchpoints[row["group"]["touchpoint"]]
        center = _score(on_touchpoint).value
        assert center is not None  # every row kept here has answers
        inner, outer = funnel_limits(center, _variance(on_touchpoint), tallies["return_n"])
        score = row["return_score"]
        cells.append(
            {
                "location": row["group"]["location"],
                "location_label": _label(row["group"], "location"),
                "touchpoint": row["group"]["touchpoint"],
                "touchpoint_label": _label(row["group"], "touchpoint"),
                "n": tallies["return_n"],
                "mean": _mean(tallies),
                "spread": spread(tallies["return_n"], tallies["return_sum"], tallies["return_squares"]),
                "bottom_box": share(tallies["return_n"], tallies["return_detractors"]),
                "return_score": score,
                "touchpoint_score": center,
                "limits": inner,
                "position": funnel_position(score.value, inner, outer),
            }
        )
    cells.sort(key=lambda cell: (cell["location_label"].casefold(), cell["touchpoint_label"].casefold()))
    headline = predictability((cell["return_score"].value, cell["n"], cell["limits"]) for cell in cells)
    return Consistency(
        headline=headline,
        cells=cells,
        between=_between_locations(list(_summed(rows, "location").values())),
        funnel=_funnel(rows, chain, funnel_by),
        weeks=_control_chart(measures(scope, filters, group_by=["week"])),
        responses=chain["return_n"],
    )


def _between_locations(locations: list[dict]) -> dict:
    icc = icc_oneway((row["return_n"], row["return_sum"], row["return_squares"]) for row in locations)
    figure, shrunk_means = shrunk_means_spread(
        [(_mean(row), row["return_n"]) for row in locations], within_variance=icc.within_variance or 0.0
    )
    rows = [
        {
            "location": row["group"]["location"],
            "label": _label(row["group"], "location"),
            "n": row["return_n"],
            "mean": _mean(row),
            "shrunk_mean": shrunk_mean,
        }
        for row, shrunk_mean in zip(locations, shrunk_means)
    ]
    rows.sort(key=lambda row: (-(row["shrunk_mean"] or 0), row["label"].casefold()))
    return {"icc": icc, "shrunk_spread": figure, "locations": rows}


def _funnel(rows: list[dict], chain: dict, funnel_by: str) -> dict:
    """Each location's (or touchpoint's) return score against its n, around the scope's own score."""
    center = _score(chain).value
    variance = _variance(chain)
    points = []
    groups = _summed(rows, funnel_by).values() if center is not None else []
    for group in groups:
        score = _score(group)
        inner, outer = funnel_limits(center or 0.0, variance, group["return_n"])
        points.append(
            {
                "key": group["group"][funnel_by],
                "label": _label(group["group"], funnel_by),
                "n": group["return_n"],
                "return_score": score,
                "inner": inner,
                "outer": outer,
                "position": funnel_position(score.value, inner, outer),
            }
        )
    points.sort(key=lambda point: point["label"].casefold())
    return {
        "by": funnel_by,
        "center": center,
        "unit_variance": variance,
        "n": chain["return_n"],
        "points": points,
        "outside": [point for point in points if point["position"]],
    }


def _control_chart(weeks: list[dict]) -> dict:
    """A p-chart of the weekly bottom-box share (0–6 of 10), its centre the period's share."""
    weeks = [week for week in weeks if week["tallies"]["return_n"]]
    total = sum(week["tallies"]["return_n"] for week in weeks)
    bottom = sum(week["tallies"]["return_detractors"] for week in weeks)
    center = share(total, bottom)
    points = []
    for week in weeks:
        figure = share(week["tallies"]["return_n"], week["tallies"]["return_detractors"])
        bounds = control_limits(center.value or 0.0, figure.n)
        outside = figure.value is not None and not bounds.holds(figure.value)
        points.append({"week": week["group"]["week"], "bottom_box": figure, "limits": bounds, "outside": outside})
    return {"center": center, "points": points, "outside": [point for point in points if point["outside"]]}


def month_bounds(month: date) -> tuple[date, date]:
    """The first and last day of the month ``month`` falls in."""
    first = month.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


def previous_month(month: date) -> date:
    return (month.replace(day=1) - timedelta(days=1)).replace(day=1)


def _month_figures(scope: Scope, month: date) -> dict:
    first, last = month_bounds(month)
    headline = measures(scope, FeedbackFilter(date_from=first, date_to=last))[0]
    outcome_shares = {word: headline[f"{word}_share"] for word in ("exceeded", "met", "below")}
    return {**headline, "outcome_shares": outcome_shares}


TREND_MONTHS = 6
REPORT_COMMENTS = 5


def report_trend(scope: Scope, month: date) -> list[dict]:
    """The return score of the six months up to ``month``, oldest first, a month without answers
    shown as such rather than left out (the reader counts the rows)."""
    first = month.replace(day=1)
    months = [first]
    while len(months) < TREND_MONTHS:
        months.insert(0, previous_month(months[0]))
    rows = measures(scope, FeedbackFilter(date_from=months[0], date_to=month_bounds(first)[1]), group_by=["month"])
    by_month = {row["group"]["month"]: row for row in rows}
    return [
        {
            "month": start,
            "responses": by_month[start]["responses"] if start in by_month else 0,
            "return_score": by_month[start]["return_score"] if start in by_month else None,
        }
        for start in months
    ]


def report_comments(scope: Scope, month: date, *, limit: int = REPORT_COMMENTS) -> list[Response]:
    """The month's latest customer comments the scope may read (feedback's scoped selector)."""
    first, last = month_bounds(month)
    return list(comments_latest(scope, FeedbackFilter(date_from=first, date_to=last), limit=limit))


def report_monthly(scope: Scope, month: date) -> dict:
    """What the monthly report shows for ``scope``: the month beside the one before, per location in
    scope, and the recovery of the month's failures; every figure from the dashboard's selectors."""
    first, last = month_bounds(month)
    before = previous_month(first)
    before_last = month_bounds(before)[1]
    by_location = {
        row["group"]["location"]: row
        for row in measures(scope, FeedbackFilter(date_from=first, date_to=last), group_by=["location"])
    }
    before_by_location = {
        row["group"]["location"]: row
        for row in measures(scope, FeedbackFilter(date_from=before, date_to=before_last), group_by=["location"])
    }
    locations = []
    for location in locations_in_scope(scope).select_related("region").order_by("region__name", "name"):
        row, earlier = by_location.get(location.pk), before_by_location.get(location.pk)
        locations.append(
            {
                "name": location.name,
                "region": location.region.name,
                "responses": row["responses"] if row else 0,
                "return_score": row["return_score"] if row else None,
                "return_score_before": earlier["return_score"] if earlier else None,
                "exceeded_share": row["exceeded_share"] if row else None,
            }
        )
    recovery = None
    if scope.manages_locations:
        cases = CaseFilter(date_from=first, date_to=last)
        figures = recovery_measures(scope, cases)[0]
        overdue = CaseFilter(date_from=first, date_to=last, overdue=True)
        recovery = {
            "opened": figures["failures"],
            "recovered": figures["recovered"],
            "recovery_rate": figures["recovery_rate"],
            "steps_on_time": figures["steps_on_time"],
            "open": cases_filtered(scope, cases).filter(status__in=ACTIVE_STATUSES).count(),
            "overdue": cases_filtered(scope, overdue).count(),
        }
    return {
        "month": first,
        "previous": before,
        "current_figures": _month_figures(scope, first),
        "previous_figures": _month_figures(scope, before),
        "locations": locations,
        "recovery": recovery,
        "trend": report_trend(scope, first),
        "comments": report_comments(scope, first),
    }
