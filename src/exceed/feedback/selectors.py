"""Reads of feedback, every one filtered by the caller's scope here and nowhere else."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from exceed.core.lookups import model_from_values
from exceed.core.measures import Figure, share
from exceed.feedback.measures import figures_from_counts
from exceed.feedback.models import (
    MYSTERY_SURVEY_SLUG,
    Channel,
    ChannelKind,
    Choice,
    DailyMeasure,
    Invitation,
    InvitationBatch,
    InvitationStatus,
    Question,
    QuestionKind,
    Response,
    Survey,
)
from exceed.feedback.rollup import _COUNTS
from exceed.org.models import Location, Person, Region, Touchpoint
from exceed.org.scopes import Scope

# Whose answers the figures count (issue 10 §2): customers' own by default; the mystery shops'
# (channel kind "mystery") only when asked for, alone or with the customers'. The one place this
# is decided is ``_by_source``, used by the response lists and the rollup's reads alike.
SOURCE_CUSTOMERS, SOURCE_MYSTERY, SOURCE_ALL = "customers", "mystery", "all"
SOURCES = (SOURCE_CUSTOMERS, SOURCE_MYSTERY, SOURCE_ALL)

GROUPINGS = ("region", "location", "touchpoint", "person", "channel", "language", "day", "week", "month")


@dataclass
class FeedbackFilter:
    date_from: date | None = None
    date_to: date | None = None
    region: int | None = None
    location: int | None = None
    touchpoint: int | None = None
    person: int | None = None
    channel: str | None = None
    language: str | None = None
    source: str = SOURCE_CUSTOMERS


def _by_source(rows: QuerySet, filters: FeedbackFilter) -> QuerySet:
    """Responses or rollup rows of the channel chosen; with none, of the source chosen."""
    if filters.channel:
        return rows.filter(channel_kind=filters.channel)
    if filters.source == SOURCE_MYSTERY:
        return rows.filter(channel_kind=ChannelKind.MYSTERY)
    if filters.source == SOURCE_ALL:
        return rows
    return rows.exclude(channel_kind=ChannelKind.MYSTERY)


def responses_visible(scope: Scope) -> QuerySet[Response]:
    """Every response the scope may read; the root of all response lists and exports."""
    if not scope.sees_staff_data:
        return Response.objects.none()
    responses = Response.objects.all()
    if scope.location_ids is not None:
        responses = responses.filter(location_id__in=scope.location_ids)
    if scope.person_id is not None:
        responses = responses.filter(people=scope.person_id)
    return responses


def responses_filtered(
    scope: Scope, filters: FeedbackFilter, *, external_id: str | None = None, transaction_ref: str | None = None
) -> QuerySet[Response]:
    """``external_id`` and ``transaction_ref`` find a till's own responses (the daily measures
    cannot be split by them, so they are not part of FeedbackFilter)."""
    responses = responses_visible(scope)
    if external_id:
        responses = responses.filter(external_id=external_id)
    if transaction_ref:
        responses = responses.filter(transaction_ref=transaction_ref)
    if filters.date_from:
        responses = responses.filter(local_date__gte=filters.date_from)
    if filters.date_to:
        responses = responses.filter(local_date__lte=filters.date_to)
    if filters.region:
        responses = responses.filter(location__region_id=filters.region)
    if filters.location:
        responses = responses.filter(location_id=filters.location)
    if filters.touchpoint:
        responses = responses.filter(touchpoint_id=filters.touchpoint)
    if filters.person:
        responses = responses.filter(people=filters.person)
    responses = _by_source(responses, filters)
    if filters.language:
        responses = responses.filter(language=filters.language)
    return responses


def comments_latest(scope: Scope, filters: FeedbackFilter, *, limit: int = 20, expectation: int | None = None):
    responses = responses_filtered(scope, filters).exclude(comment="")
    if expectation is not None:
        responses = responses.filter(expectation=expectation)
    # The store's day first, then the moment: the order the partial index "response_commented_latest"
    # keeps, so the database stops at ``limit`` rows. The places are fetched apart because a join
    # made SQLite start from the locations and sort every answer of the window.
    latest = responses.order_by("-local_date", "-submitted_at", "-pk")
    return latest.prefetch_related("location", "touchpoint")[:limit]


def _measure_rows(scope: Scope, filters: FeedbackFilter, *, by_person: bool) -> QuerySet[DailyMeasure]:
    rows = DailyMeasure.objects.all()
    if scope.person_id is not None:
        rows = rows.filter(person_id=scope.person_id)
    elif filters.person:
        rows = rows.filter(person_id=filters.person)
    elif by_person:
        rows = rows.exclude(person_id=0)
    else:
        rows = rows.filter(person_id=0)
    if scope.location_ids is not None:
        rows = rows.filter(location_id__in=scope.location_ids)
    if filters.date_from:
        rows = rows.filter(local_date__gte=filters.date_from)
    if filters.date_to:
        rows = rows.filter(local_date__lte=filters.date_to)
    if filters.region:
        rows = rows.filter(location_id__in=Location.objects.filter(region_id=filters.region).values("pk"))
    if filters.location:
        rows = rows.filter(location_id=filters.location)
    if filters.touchpoint:
        rows = rows.filter(touchpoint_id=filters.touchpoint)
    rows = _by_source(rows, filters)
    if filters.language:
        rows = rows.filter(language=filters.language)
    return rows


def daily_measures_visible(scope: Scope, filters: FeedbackFilter) -> QuerySet[DailyMeasure]:
    """The rollup rows the scope may read that count each response once (for an associate, the
    rows of the responses naming them): for other apps' figures built on the rollup."""
    if not scope.sees_staff_data:
        return DailyMeasure.objects.none()
    return _measure_rows(scope, filters, by_person=False)


_GROUP_FIELDS = {
    "location": "location_id",
    "touchpoint": "touchpoint_id",
    "person": "person_id",
    "channel": "channel_kind",
    "language": "language",
    "day": "local_date",
}


def measures(scope: Scope, filters: FeedbackFilter, group_by: list[str] | tuple[str, ...] = ()) -> list[dict]:
    """Return score, expectation index and CSAT with sample sizes and 95% intervals.

    Summed in the database from the daily rollup; one dict per group (one in all when ungrouped),
    each with a ``group`` dict naming the group's keys and labels.
    """
    unknown = [name for name in group_by if name not in GROUPINGS]
    if unknown:
        raise ValueError(f"unknown grouping: {', '.join(unknown)}")
    if not scope.sees_staff_data:
        return [] if group_by else [_empty_group()]
    rows = _measure_rows(scope, filters, by_person="person" in group_by)
    keys: list[str] = []
    for name in group_by:
        if name in ("week", "month"):
            # Summed by day in SQL and folded into weeks or months below: SQLite truncates dates
            # in a Python function called once per row, which made "by week" over 90 days of a
            # million responses take 150 ms instead of 20 (benchmarks/measures.py).
            keys.append("local_date")
        elif name == "region":
            rows = rows.annotate(region=_region_of_location())
            keys.append("region")
        else:
            keys.append(_GROUP_FIELDS[name])
    sums = {name: Sum(name) for name in _COUNTS}
    if keys:
        grouped = rows.values(*dict.fromkeys(keys)).annotate(**sums).order_by(*dict.fromkeys(keys))
        if "week" in group_by or "month" in group_by:
            grouped = _fold_days(grouped, group_by, keys)
    else:
        grouped = [rows.aggregate(**sums)]
    labels = _labels(group_by, grouped)
    result = []
    for counts in grouped:
        group = {}
        for name, key in zip(group_by, keys):
            value = counts[name] if name in ("week", "month") else counts[key]
            if hasattr(value, "date"):
                value = value.date()
            group[name] = value
            if name in labels:
                group[f"{name}_label"] = labels[name].get(value, "—")
        tallies = {name: counts[name] or 0 for name in _COUNTS}
        result.append({"group": group, "tallies": tallies, **figures_from_counts(counts)})
    return result


def _period_start(day: date, period: str) -> date:
    if period == "week":
        return day - timedelta(days=day.weekday())  # ISO weeks start on Monday, as TruncWeek's do
    return day.replace(day=1)


def _fold_days(grouped, group_by, keys) -> list[dict]:
    """Add up per-day sums into the week or month each day belongs to; exact, since sums add."""
    folded: dict[tuple, dict] = {}
    for counts in grouped:
        day = counts["local_date"]
        periods = {name: _period_start(day, name) for name in group_by if name in ("week", "month")}
        identity = tuple(periods[name] if name in periods else counts[key] for name, key in zip(group_by, keys))
        target = folded.get(identity)
        if target is None:
            folded[identity] = {**counts, **periods}
        else:
            for name in _COUNTS:
                target[name] = (target[name] or 0) + (counts[name] or 0)
    return [folded[identity] for identity in sorted(folded)]


def _empty_group() -> dict:
    return {"group": {}, "tallies": dict.fromkeys(_COUNTS, 0), **figures_from_counts({})}


def _region_of_location():
    from django.db.models import OuterRef, Subquery

    return Subquery(Location.objects.filter(pk=OuterRef("location_id")).values("region_id")[:1])


def _labels(group_by, grouped) -> dict:
    models = {"location": Location, "touchpoint": Touchpoint, "person": Person, "region": Region}
    labels = {}
    for name in group_by:
        if name in models:
            if name == "touchpoint":
                # Named in the reader's language (Touchpoint.__str__, core.texts); 0 is "none".
                labels[name] = {touchpoint.pk: str(touchpoint) for touchpoint in Touchpoint.objects.all()}
                labels[name][0] = "—"
            else:
                labels[name] = {pk: str(label) for pk, label in models[name]._default_manager.values_list("pk", "name")}
    return labels


# --- The channel a respondent's link or kiosk opens ---------------------------------------------

_CHANNEL_RELATED = {"survey": Survey, "location": Location, "touchpoint": Touchpoint, "person": Person}


def channel_active(slug: str, kind: str) -> Channel | None:
    """The active channel of an active survey by its slug, with its survey, location, touchpoint
    and person, in one plain query.

    Every answer through a link or a kiosk opens its channel; compiling the ORM's four-table
    ``select_related`` was two fifths of the public form POST's CPU (cProfile, issue 11). The row
    is read on every call, so a channel or survey closed a moment ago is closed here too.
    """
    quote = connection.ops.quote_name
    groups = [(Channel, "ch")] + [(model, f"r_{name}") for name, model in _CHANNEL_RELATED.items()]
    columns = [
        f"{alias}.{quote(str(field.column))}" for model, alias in groups for field in model._meta.concrete_fields
    ]
    joins = " ".join(
        f"{'JOIN' if name in ('survey', 'location') else 'LEFT JOIN'} {quote(model._meta.db_table)} r_{name} "
        f"ON r_{name}.id = ch.{quote(name + '_id')}"
        for name, model in _CHANNEL_RELATED.items()
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(columns)} FROM {quote(Channel._meta.db_table)} ch {joins} "
            "WHERE ch.slug = %s AND ch.kind = %s AND ch.active = %s AND r_survey.active = %s",
            [slug, kind, True, True],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    start, objects = 0, []
    for model, _alias in groups:
        width = len(model._meta.concrete_fields)
        values = row[start : start + width]
        start += width
        present = values[model._meta.concrete_fields.index(model._meta.pk)] is not None
        objects.append(model_from_values(model, values) if present else None)
    channel = objects[0]
    for name, related in zip(_CHANNEL_RELATED, objects[1:], strict=True):
        setattr(channel, name, related)
    return channel


# --- A survey's questions, as submissions are checked against them ------------------------------

# survey id → (fingerprint, questions); per process, a few surveys at most.
_questions_cache: dict[int, tuple[list, list[Question]]] = {}


def surveys_for_customers() -> QuerySet[Survey]:
    """Every survey a customer may answer: all but the mystery shops' (filled from approved reports)."""
    return Survey.objects.exclude(slug=MYSTERY_SURVEY_SLUG)


def survey_questions(survey: Survey) -> list[Question]:
    """The survey's questions in order, choices prefetched. Do not modify what this returns.

    Building these objects through the ORM on every submission was about a third of its time
    (benchmarks/ingest.py). One raw query reads every column of the questions and their choices
    as plain values; only when they differ from what this process saw last are the objects built
    again. So an edit made in the back office, through any worker, is seen by the next submission.
    """
    fingerprint = _questions_fingerprint(survey.pk)
    cached = _questions_cache.get(survey.pk)
    if cached is not None and cached[0] == fingerprint:
        return cached[1]
    choices = Prefetch("choices", queryset=Choice.objects.order_by("position", "pk"))
    # Archived questions are asked no more: an answer to one is refused as to an unknown question.
    questions = list(
        survey.questions.filter(archived_at__isnull=True).prefetch_related(choices).order_by("position", "pk")
    )
    _questions_cache[survey.pk] = (fingerprint, questions)
    return questions


def _column(alias: str, field) -> str:
    # JSON compared as text: PostgreSQL's driver would otherwise decode every translation.
    if field.get_internal_type() == "JSONField":
        return f"CAST({alias}.{field.column} AS TEXT)"
    return f"{alias}.{field.column}"


def _questions_fingerprint(survey_id: int) -> list[tuple]:
    question_columns = [_column("q", field) for field in Question._meta.concrete_fields]
    choice_columns = [_column("c", field) for field in Choice._meta.concrete_fields]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(question_columns + choice_columns)} "
            f"FROM {Question._meta.db_table} q LEFT JOIN {Choice._meta.db_table} c ON c.question_id = q.id "
            "WHERE q.survey_id = %s ORDER BY q.position, q.id, c.position, c.id",
            [survey_id],
        )
        return cursor.fetchall()


# --- Invitations -------------------------------------------------------------------------------


def _invitation_counts(prefix: str, within: Q | None = None) -> dict:
    conditions = {
        "total": Q(),
        "sent": Q(**{prefix + "sent_at__isnull": False}),
        "opened": Q(**{prefix + "opened_at__isnull": False}),
        "answered": Q(**{prefix + "answered_at__isnull": False}),
        "failed": Q(**{prefix + "status": InvitationStatus.FAILED}),
        "reminded": Q(**{prefix + "reminded_at__isnull": False}),
    }
    return {
        name: Count(prefix + "pk", filter=condition & within if within else condition or None)
        for name, condition in conditions.items()
    }


def invitation_by_token_hash(hashed: str) -> Invitation | None:
    """The invitation a respondent's link opens: the first email's or the reminder's."""
    return (
        Invitation.objects.select_related("survey", "location", "touchpoint", "person")
        .filter(Q(token_hash=hashed) | Q(reminder_token_hash=hashed))
        .first()
    )


def invitations_visible(scope: Scope) -> QuerySet[Invitation]:
    """Invitations carry customers' addresses: managers only, within their stores."""
    if not scope.sees_customer_contact:
        return Invitation.objects.none()
    invitations = Invitation.objects.all()
    if scope.location_ids is not None:
        invitations = invitations.filter(location_id__in=scope.location_ids)
    return invitations


def invitation_batches(scope: Scope) -> QuerySet[InvitationBatch]:
    """The scope's batches, newest first, each with its counts (of its invitations in the scope)."""
    if not scope.sees_customer_contact:
        return InvitationBatch.objects.none()
    batches = InvitationBatch.objects.select_related("survey", "location", "touchpoint", "person")
    within = None
    if scope.location_ids is not None:
        batches = batches.filter(location_id__in=scope.location_ids)
        within = Q(invitations__location_id__in=scope.location_ids)
    # An aggregating query drops Meta.ordering: newest first, said again.
    return batches.annotate(**_invitation_counts("invitations__", within)).order_by("-created_at", "-pk")


def invitation_totals(scope: Scope) -> dict:
    """Sent, opened, answered and bounced over every invitation in the scope, with the response rate."""
    totals = invitations_visible(scope).aggregate(**_invitation_counts(""))
    totals["rate"] = response_rate(totals["sent"], totals["answered"])
    return totals


def response_rate(sent: int, answered: int) -> Figure:
    """Answered invitations as a share of those delivered."""
    return share(sent, answered)


# --- Survey builder ----------------------------------------------------------------------------


@dataclass
class SurveyText:
    """One text a respondent reads, with its translations: the unit of completeness."""

    key: str  # "title", "q12.text", "q12.help", "c40.label": the translations form's field prefix
    label: str  # where it is, for the owner: 'Question "return"'
    texts: dict


@dataclass
class LanguageCompleteness:
    code: str
    name: str
    done: int
    total: int
    missing: list[str]

    @property
    def complete(self) -> bool:
        return self.done == self.total


def survey_texts(survey: Survey, *, with_empty: bool = False) -> list[SurveyText]:
    """Every text of the survey that respondents read, in page order.

    The title and each question's text are always counted; an introduction, a thank-you text and
    a help text and a scale's anchors only once given in some language (an empty one is shown in
    none); options only on
    the kinds that show the survey's own options (the scales and staff lists come from the product).
    ``with_empty`` adds the empty introduction and thank-you text, for a form where they are given.
    """
    from django.utils.translation import gettext as _

    texts = [SurveyText("title", _("Title"), survey.title)]
    texts += [
        SurveyText(key, label, value)
        for key, label, value in (
            ("intro", _("Introduction"), survey.intro),
            ("thanks", _("Thank-you text"), survey.thanks),
        )
        if value or with_empty
    ]
    choices = Prefetch("choices", queryset=Choice.objects.order_by("position", "pk"))
    for question in (
        survey.questions.filter(archived_at__isnull=True).prefetch_related(choices).order_by("position", "pk")
    ):
        code = {"code": question.code}
        texts.append(SurveyText(f"q{question.pk}.text", _('Question "%(code)s"') % code, question.text))
        if question.help_text:
            texts.append(SurveyText(f"q{question.pk}.help", _('Help text of "%(code)s"') % code, question.help_text))
        if question.anchor_low:
            texts.append(SurveyText(f"q{question.pk}.low", _('Low end of "%(code)s"') % code, question.anchor_low))
        if question.anchor_high:
            texts.append(SurveyText(f"q{question.pk}.high", _('High end of "%(code)s"') % code, question.anchor_high))
        if question.kind in (QuestionKind.CHOICE, QuestionKind.MULTI_CHOICE):
            texts += [
                SurveyText(
                    f"c{choice.pk}.label",
                    _('Option "%(option)s" of "%(code)s"') % {"option": choice.code, **code},
                    choice.label,
                )
                for choice in question.choices.all()
            ]
    return texts


def survey_completeness(survey: Survey, texts: list[SurveyText] | None = None) -> list[LanguageCompleteness]:
    """For each language the survey offers: how many of its texts are translated, and which are not."""
    from django.utils.translation import get_language_info

    texts = [
        text
        for text in (survey_texts(survey) if texts is None else texts)
        if text.texts or text.key not in ("intro", "thanks")
    ]
    completeness = []
    for code in survey.offered_languages:
        missing = [text.label for text in texts if not (text.texts.get(code) or "").strip()]
        completeness.append(
            LanguageCompleteness(
                code=code,
                name=get_language_info(code)["name_translated"],
                done=len(texts) - len(missing),
                total=len(texts),
                missing=missing,
            )
        )
    return completeness
