"""What the public survey page needs besides the view: language choice, throttling, question display."""

import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.utils.translation import get_supported_language_variant
from django.utils.translation.trans_real import parse_accept_lang_header

from exceed.feedback import selectors
from exceed.feedback.models import Question, QuestionKind, Survey, ThrottleCount, translated
from exceed.org.models import LANGUAGE_CODES, Location

HONEYPOT_FIELD = "website"


def respondent_language(request, location: Location, *, preferred: str = "") -> str:
    """``?lang=`` first, then ``preferred`` (an invitation's language), then the browser's
    languages, then the location's default (issue 2, item 4)."""
    asked = (request.GET.get("lang") or request.POST.get("lang") or "").lower()[:5]
    if asked in LANGUAGE_CODES:
        return asked
    if preferred in LANGUAGE_CODES:
        return preferred
    for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        try:
            variant = get_supported_language_variant(code.lower())
        except LookupError:
            continue
        if variant in LANGUAGE_CODES:
            return variant
    return location.default_language


def client_address(request) -> str:
    """The respondent's address. Behind a reverse proxy every request comes from the proxy, so
    with EXCEED_TRUSTED_PROXY_COUNT=N the address N hops back in X-Forwarded-For is used: the one
    the outermost trusted proxy saw, which a client cannot forge."""
    hops = settings.EXCEED_TRUSTED_PROXY_COUNT
    if hops:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR", "")


def throttle_exceeded(*, scope_key: str, client: str, limit: int | None = None) -> bool:
    """True once a client has submitted more than the allowed answers to one link in the window.

    Counted in the database (``ThrottleCount``), shared by every worker process and machine: with
    the count in each process's own cache, 40 answers got through where 20 are promised (issue 7,
    item 8). One statement counts: an insert that, on conflict, starts a new window if the old one
    expired or adds one otherwise, and returns the count. SQLite (3.35+) and PostgreSQL both run
    it atomically, so concurrent answers never read the same count.
    """
    window = settings.EXCEED_SURVEY_RATE_WINDOW
    now = int(time.time())
    key = f"{scope_key}:{client}"[:200]
    table, key_, count_, ends = (
        connection.ops.quote_name(name) for name in (ThrottleCount._meta.db_table, "key", "count", "expires_at")
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({key_}, {count_}, {ends}) VALUES (%s, 1, %s) "
            f"ON CONFLICT ({key_}) DO UPDATE SET "
            f"{count_} = CASE WHEN {table}.{ends} <= %s THEN 1 ELSE {table}.{count_} + 1 END, "
            f"{ends} = CASE WHEN {table}.{ends} <= %s THEN excluded.{ends} ELSE {table}.{ends} END "
            f"RETURNING {count_}",
            [key, now + window, now, now],
        )
        count = cursor.fetchone()[0]
    return count > (settings.EXCEED_SURVEY_RATE_LIMIT if limit is None else limit)


def throttle_counts_purge(*, now=None) -> str:
    """Drop the counts of windows that ended (periodic work, every hour)."""
    deleted, _ = ThrottleCount.objects.filter(expires_at__lte=int(time.time())).delete()
    return f"{deleted} expired throttle counts removed"


@dataclass
class DisplayedQuestion:
    question: Question
    text: str
    help_text: str
    field_name: str
    choices: list[tuple[str, str]]
    value: object = None
    error: str = ""
    anchor_low: str = ""
    anchor_high: str = ""

    @property
    def kind(self) -> str:
        return self.question.kind


def displayed_questions(
    survey: Survey, language: str, *, staff, posted=None, errors=None, questions=None
) -> list[DisplayedQuestion]:
    from django.utils.translation import gettext as _

    posted = posted or {}
    errors = errors or {}
    shown = []
    # The questions the submission is checked against, from the same checked per-process cache.
    for question in selectors.survey_questions(survey) if questions is None else questions:
        if question.kind == QuestionKind.STAFF:
            choices = [(str(person.pk), person.name) for person in staff]
            if not choices:
                continue
        elif question.kind == QuestionKind.RETURN_LIKELIHOOD:
            choices = [(str(n), str(n)) for n in range(11)]
        elif question.kind == QuestionKind.CSAT:
            choices = [(str(n), str(n)) for n in range(1, 6)]
        elif question.kind == QuestionKind.EXPECTATION:
            choices = [
                ("below", _("Below what I expected")),
                ("met", _("As I expected")),
                ("exceeded", _("Better than I expected")),
            ]
        else:
            choices = [
                (choice.code, translated(choice.label, language, survey.default_language))
                for choice in question.choices.all()
            ]
        field_name = f"q_{question.code}"
        many = question.kind in (QuestionKind.MULTI_CHOICE, QuestionKind.STAFF)
        value = posted.getlist(field_name) if many and hasattr(posted, "getlist") else posted.get(field_name)
        shown.append(
            DisplayedQuestion(
                question=question,
                text=translated(question.text, language, survey.default_language),
                help_text=translated(question.help_text, language, survey.default_language),
                anchor_low=translated(question.anchor_low, language, survey.default_language),
                anchor_high=translated(question.anchor_high, language, survey.default_language),
                field_name=field_name,
                choices=choices,
                value=value,
                error=errors.get(question.code, ""),
            )
        )
    return shown


def raw_answers_from_post(survey: Survey, post, questions=None) -> tuple[dict, dict]:
    answers = {}
    for question in survey.questions.filter(archived_at__isnull=True) if questions is None else questions:
        name = f"q_{question.code}"
        if question.kind in (QuestionKind.MULTI_CHOICE, QuestionKind.STAFF):
            values = post.getlist(name)
            if values:
                answers[question.code] = values
        elif name in post:
            answers[question.code] = post.get(name)
    contact = {"email": post.get("contact_email", ""), "phone": post.get("contact_phone", "")}
    return answers, contact
