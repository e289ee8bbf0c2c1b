"""What the dashboard and the responses pages show, read through feedback's scoped selectors.

Nothing here decides who sees what: every figure comes from ``feedback.selectors.measures`` (the
daily rollup) and every row from ``responses_filtered``, both given the caller's scope.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from exceed.core.measures import Outcome, net_score, net_score_variance, share, shrinkage_strength, shrunk
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
    tallies = headline["tallies"]
    n = tallies["expectation_n"]
    met = n - tallies["expectation_exceeded"] - tallies["expectation_below"]
    return {
        **headline,
        "outcome_shares": {
            "exceeded": share(n, tallies["expectation_exceeded"]),
            "met": share(n, met),
            "below": share(n, tallies["expectation_below"]),
        },
    }


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
    }
