"""Storing a response: its answers, the people it names, its measure counts and the evaluation still to come."""

import json
from contextlib import nullcontext
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import datetime

from django.db import IntegrityError, connection, transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from exceed.errors import DomainError
from exceed.feedback.answers import check_answers
from exceed.feedback.models import (
    Answer,
    Channel,
    Invitation,
    InvitationStatus,
    PendingEvaluation,
    Question,
    QuestionKind,
    Response,
    Survey,
)
from exceed.feedback.rollup import rollup_add, rollup_add_many, rollup_upsert_sql
from exceed.feedback.selectors import survey_questions
from exceed.org import selectors as org_selectors
from exceed.org.models import LANGUAGE_CODES, Location, Person, Touchpoint
from exceed.org.scopes import scope_for

# Sent after a response is stored (inside its transaction's on_commit), so higher apps such as
# recovery can react without feedback importing them.
response_stored = Signal()
# Sent after commit when evaluations_pending_add() marked responses (``response``: the one, or
# None for a batch; ``count``), so the app that evaluates them (recovery) can start at once; if it
# never arrives (the process died), the worker's periodic sweep finds the rows.
evaluations_pending = Signal()


def response_submit(
    *,
    survey: Survey,
    location: Location,
    raw_answers: dict,
    language: str,
    channel_kind: str,
    touchpoint: Touchpoint | None = None,
    channel: Channel | None = None,
    invitation: Invitation | None = None,
    people: list[Person] | None = None,
    contact: dict | None = None,
    transaction_ref: str = "",
    external_id: str | None = None,
    submitted_at: datetime | None = None,
    entered_by=None,
    questions: list[Question] | None = None,
) -> Response:
    """Check and store one response with its answers and measure counts, all or nothing.

    ``entered_by``: the login signed in where the answers were typed (a kiosk's browser); its
    answers are stored only if ``Scope.may_enter_feedback_about`` allows them.

    ``questions``: the survey's questions as ``selectors.survey_questions`` returned them earlier
    in the same request (the form parses its POST with them), so they are not checked twice.

    1. Check the answers against the survey's questions (and the location's staff).
    2. Insert the response, its answers and the people it names.
    3. Add it to the daily measures in the same transaction, so figures never drift.
    """
    if not survey.active:
        raise DomainError(_("This survey is closed."), field="survey")
    if language not in LANGUAGE_CODES:
        raise DomainError(_("Unknown language: %(language)s") % {"language": language}, field="language")
    if len(transaction_ref) > 120:
        raise DomainError(_("The transaction reference is too long."), field="transaction_ref")
    if questions is None:
        questions = survey_questions(survey)
    # The location's staff matter only when the answers name someone; most answers do not.
    staff_ids = org_selectors.staff_ids(location.pk) if _names_staff(questions, raw_answers) else set()
    checked = check_answers(questions=questions, raw_answers=raw_answers, staff_ids=staff_ids, contact=contact)
    person_ids = sorted(set(checked.person_ids) | {person.pk for person in people or []})
    if entered_by is not None and entered_by.is_authenticated:
        own = getattr(getattr(entered_by, "person", None), "pk", None)
        if not scope_for(entered_by).may_enter_feedback_about(location.pk, person_ids=person_ids, own_person_id=own):
            raise DomainError(
                _(
                    "Feedback about yourself entered by yourself is not feedback. Sign out of this tablet and let the customer answer."
                ),
                field="entered_by",
                status=403,
            )

    submitted_at = submitted_at or timezone.now()
    response = Response(
        survey=survey,
        channel=channel,
        channel_kind=channel_kind,
        invitation=invitation,
        location=location,
        touchpoint=touchpoint,
        language=language,
        submitted_at=submitted_at,
        local_date=submitted_at.astimezone(location.zone).date(),
        transaction_ref=transaction_ref,
        external_id=external_id or None,
        **checked.response_fields(),
        **checked.consent_evidence(language=language, at=submitted_at),
    )
    try:
        if connection.vendor == "postgresql":
            _store_in_one_statement(response, checked=checked, person_ids=person_ids, invitation=invitation)
        else:
            _store(response, checked=checked, person_ids=person_ids, invitation=invitation)
    except IntegrityError as exc:
        if invitation is not None and Response.objects.filter(invitation=invitation).exists():
            raise DomainError(
                _("This invitation has already been answered. Thank you!"), field="invitation", status=409
            ) from exc
        stored = (
            Response.objects.filter(external_id=external_id).values_list("pk", flat=True).first()
            if external_id
            else None
        )
        if stored is not None:
            raise DomainError(
                _("A response with this external id exists already."),
                field="external_id",
                status=409,
                extra={"id": stored},
            ) from exc
        raise
    return response


def _store(response: Response, *, checked, person_ids: list[int], invitation: Invitation | None) -> None:
    """The response, its answers, the people it names, the invitation answered, its measure counts
    and its evaluation to come, in one transaction."""
    with transaction.atomic(), connection.cursor() as cursor:
        # Plain INSERTs with the values prepared as the ORM prepares them: compiling the ORM's
        # save() and bulk_create() was a quarter of a posted response's CPU (cProfile, issue 11).
        response.pk = _insert(cursor, Response, [_response_row(response)], returning=True)
        response._state.adding, response._state.db = False, connection.alias
        _insert(cursor, Answer, [{"response": response.pk, **row} for row in _answer_rows(checked)])
        if person_ids:
            _insert(cursor, Response.people.through, [{"response": response.pk, "person": pk} for pk in person_ids])
        if invitation is not None:
            Invitation.objects.filter(pk=invitation.pk).update(
                status=InvitationStatus.ANSWERED, answered_at=response.submitted_at
            )
        rollup_add(response, person_ids)
        evaluations_pending_add(responses=[response])
        transaction.on_commit(lambda: response_stored.send(sender=Response, response=response))


def _response_row(response: Response) -> dict:
    return {
        field.name: field.pre_save(response, add=True)
        for field in Response._meta.concrete_fields
        if not field.primary_key
    }


def _answer_rows(checked) -> list[dict]:
    defaults: dict = {"number": None, "text": "", "choices": [], "question_version": 1}
    return [{**defaults, "question": question_id, **fields} for question_id, fields in checked.values.items()]


def _insert(cursor, model, rows: list[dict], *, returning: bool = False) -> int | None:
    """One INSERT of ``rows`` (field name → value, the same fields in each); with ``returning``
    the id of the one row."""
    if not rows:
        return None
    quote = connection.ops.quote_name
    fields = [model._meta.get_field(name) for name in rows[0]]
    one = f"({', '.join(['%s'] * len(fields))})"
    cursor.execute(
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(field.column) for field in fields)}) "
        f"VALUES {', '.join([one] * len(rows))}" + (" RETURNING id" if returning else ""),
        [field.get_db_prep_save(row[field.name], connection) for row in rows for field in fields],
    )
    return cursor.fetchone()[0] if returning else None


def _store_in_one_statement(
    response: Response, *, checked, person_ids: list[int], invitation: Invitation | None
) -> None:
    """What ``_store`` writes, as one PostgreSQL statement: data-modifying CTEs that all see the
    new response's id (issue 11, item 4).

    Each statement is a round trip to the server; ``_store`` made five or six of them, with BEGIN
    and COMMIT seven or eight. Outside a transaction this one statement is its own transaction, so
    a live answer costs one round trip to write; inside one (an import, a test) a savepoint keeps
    a refused duplicate from spoiling the caller's transaction, as ``_store``'s atomic did.
    """
    quote = connection.ops.quote_name
    params: list = []

    def typed_values(model, rows: list[dict]) -> tuple[list[str], str]:
        """``(columns, "(%s::type, …), …")`` for rows of ``model``'s field values, prepared as the
        ORM prepares an insert; typed, since a VALUES list gives its columns no type of its own."""
        fields = [model._meta.get_field(name) for name in rows[0]]
        tuples = []
        for row in rows:
            cells = []
            for field in fields:
                params.append(field.get_db_prep_save(row[field.name], connection))
                cells.append(f"%s::{field.db_type(connection)}")
            tuples.append(f"({', '.join(cells)})")
        return [quote(field.column) for field in fields], ", ".join(tuples)

    def insert_for_response(name: str, model, rows: list[dict]) -> None:
        columns, tuples = typed_values(model, rows)
        parts.append(
            f"{name} AS (INSERT INTO {quote(model._meta.db_table)} (response_id, {', '.join(columns)}) "
            f"SELECT r.id, v.* FROM r, (VALUES {tuples}) v)"
        )

    row = _response_row(response)
    inserted = [field for field in Response._meta.concrete_fields if field.name in row]
    params += [field.get_db_prep_save(row[field.name], connection) for field in inserted]
    parts = [
        f"r AS (INSERT INTO {quote(Response._meta.db_table)} ({', '.join(quote(str(f.column)) for f in inserted)}) "
        f"VALUES ({', '.join(['%s'] * len(inserted))}) RETURNING id)"
    ]
    if checked.values:
        insert_for_response("a", Answer, _answer_rows(checked))
    if person_ids:
        insert_for_response("p", Response.people.through, [{"person": pk} for pk in person_ids])
    insert_for_response("e", PendingEvaluation, [{"created_at": timezone.now(), "attempts": 0, "last_error": ""}])
    if invitation is not None:
        parts.append(
            f"i AS (UPDATE {quote(Invitation._meta.db_table)} SET status = %s, answered_at = %s WHERE id = %s)"
        )
        params += [InvitationStatus.ANSWERED, response.submitted_at, invitation.pk]
    if (upsert := rollup_upsert_sql(response, person_ids)) is not None:
        parts.append(f"m AS ({upsert[0]})")
        params += upsert[1]
    with transaction.atomic(savepoint=True) if connection.in_atomic_block else nullcontext():
        with connection.cursor() as cursor:
            cursor.execute(f"WITH {', '.join(parts)} SELECT id FROM r", params)
            response.pk = cursor.fetchone()[0]
    response._state.adding, response._state.db = False, connection.alias
    _pending_announce([response])
    transaction.on_commit(lambda: response_stored.send(sender=Response, response=response))


@dataclass(slots=True)
class NewResponse:
    """One checked response for ``responses_store_many``: its columns by attribute name
    (``survey_id``, ``submitted_at`` …; those left out take the model's default), its answers
    (question id → Answer fields, as ``CheckedAnswers.values``) and the people it names."""

    values: dict
    answers: dict[int, dict] = dataclass_field(default_factory=dict)
    person_ids: list[int] = dataclass_field(default_factory=list)


def responses_store_many(*, items: list[NewResponse]) -> list[int]:
    """Store checked responses set-based, in the caller's transaction: what ``_store`` writes for
    one response, for a batch — the responses, their answers and people in one bulk write each,
    the daily measures summed per store and day first, one pending evaluation each (so imported
    answers open cases too, through the same worker as live ones). Returns the new ids in order.

    The ids are reserved first (PostgreSQL's sequence; on SQLite the caller's write transaction
    holds the database's one write lock, so the next ids are free until it commits), so the
    answers and people need no read-back. Building a model per row and the ORM's ``bulk_create``
    were three quarters of an import's time (issue 11, item 7).
    """
    if not items:
        return []
    if not connection.in_atomic_block:
        raise RuntimeError("responses_store_many runs inside the caller's transaction")
    with connection.cursor() as cursor:
        ids = _ids_reserve(cursor, Response, len(items))
        fields = [f for f in Response._meta.concrete_fields if not f.primary_key]
        columns = [(f.attname, f.get_default()) for f in fields]
        _rows_insert(
            cursor,
            Response,
            [Response._meta.pk, *fields],
            ([pk] + [item.values.get(name, default) for name, default in columns] for pk, item in zip(ids, items)),
        )
        answer_fields = [Answer._meta.get_field(name) for name in ("response", "question", *_ANSWER_DEFAULTS)]
        _rows_insert(
            cursor,
            Answer,
            answer_fields,
            (
                [pk, question_id, *(values.get(name, default) for name, default in _ANSWER_DEFAULTS.items())]
                for pk, item in zip(ids, items)
                for question_id, values in item.answers.items()
            ),
        )
        through = Response.people.through
        _rows_insert(
            cursor,
            through,
            [through._meta.get_field("response"), through._meta.get_field("person")],
            ([pk, person_id] for pk, item in zip(ids, items) for person_id in item.person_ids),
        )
        counted = set(
            Survey.objects.filter(pk__in={item.values["survey_id"] for item in items}, in_measures=True).values_list(
                "pk", flat=True
            )
        )
        rollup_add_many((item.values, item.person_ids) for item in items if item.values["survey_id"] in counted)
        pending = [
            PendingEvaluation._meta.get_field(name) for name in ("response", "created_at", "attempts", "last_error")
        ]
        now = timezone.now()
        _rows_insert(cursor, PendingEvaluation, pending, ([pk, now, 0, ""] for pk in ids))
    count = len(ids)
    transaction.on_commit(lambda: evaluations_pending.send(sender=Response, response=None, count=count))
    return ids


_ANSWER_DEFAULTS: dict = {"number": None, "text": "", "choices": [], "question_version": 1}


def _ids_reserve(cursor, model, count: int) -> list[int]:
    table = model._meta.db_table
    if connection.vendor == "postgresql":
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count])
        return [row[0] for row in cursor.fetchall()]
    # AUTOINCREMENT never reuses an id, even a deleted one's: start above sqlite_sequence too.
    cursor.execute(
        f"SELECT MAX(COALESCE((SELECT MAX(id) FROM {table}), 0), "
        "COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0))",
        [table],
    )
    last = cursor.fetchone()[0]
    return list(range(last + 1, last + 1 + count))


# Columns whose Python values both drivers take as they are; any other field is prepared by the
# field itself (dates and times by the backend's adapters, which is all the field would do).
_PLAIN = (
    "AutoField",
    "BigAutoField",
    "BooleanField",
    "CharField",
    "EmailField",
    "ForeignKey",
    "IntegerField",
    "OneToOneField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SlugField",
    "SmallIntegerField",
    "TextField",
)


def _preparer(f):
    kind = f.get_internal_type()
    if kind in _PLAIN:
        return None
    if kind in ("DateTimeField", "DateField") and connection.vendor == "postgresql":
        return None  # psycopg adapts both; Django's PostgreSQL adapters return them as they are
    if kind == "DateTimeField":
        return _sqlite_moment(connection.timezone)
    if kind == "DateField":
        return str  # Django's SQLite adapter for a date
    if kind == "JSONField" and f.encoder is None:
        return _json
    return lambda value: f.get_db_prep_save(value, connection)


def _sqlite_moment(zone):
    """Django's SQLite adapter for an aware moment (naive text in the connection's zone) without
    its setting look-ups per value: a million-line import adapts two moments a line."""
    adapt = connection.ops.adapt_datetimefield_value

    def prepare(value):
        if value.utcoffset() is None:
            return adapt(value)
        return str(value.astimezone(zone).replace(tzinfo=None))

    return prepare


def _json(value) -> str:
    # What JSONField's own preparation comes to, without its per-value look-ups; most answers'
    # ``choices`` are the empty list.
    return "[]" if value == [] else json.dumps(value)


def _rows_insert(cursor, model, fields, rows) -> None:
    """Insert ``rows`` (lists of values in ``fields``' order): PostgreSQL's COPY, SQLite's
    executemany; both a single call into the driver's C code for the whole batch."""
    preparers = [(index, prepare) for index, f in enumerate(fields) if (prepare := _preparer(f)) is not None]

    def prepared():
        for row in rows:
            for index, prepare in preparers:
                if row[index] is not None:
                    row[index] = prepare(row[index])
            yield row

    quote = connection.ops.quote_name
    table, columns = quote(model._meta.db_table), ", ".join(quote(f.column) for f in fields)
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in prepared():
                copy.write_row(row)
    else:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})", prepared())


def _evaluations_pending_insert(cursor, ids: list[int]) -> None:
    # Plain executemany, not bulk_create: building a model per row was 100 µs a row of an import.
    meta, quote = PendingEvaluation._meta, connection.ops.quote_name
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    cursor.executemany(
        f"INSERT INTO {quote(meta.db_table)} ({quote(meta.get_field('response').column)}, {quote('created_at')}, "
        f"{quote('attempts')}, {quote('last_error')}) VALUES (%s, %s, 0, '')",
        [(pk, now) for pk in ids],
    )


def evaluations_pending_add(*, responses: list[Response]) -> None:
    """Record, in the caller's transaction, that these new responses still need evaluating.

    Every path that creates a Response calls this inside its transaction: the row commits with
    the response or not at all, so no response is ever stored without its evaluation to come.
    """
    if not responses:
        return
    with connection.cursor() as cursor:
        _evaluations_pending_insert(cursor, [response.pk for response in responses])
    _pending_announce(responses)


def _pending_announce(responses: list[Response]) -> None:
    # A live answer passes itself on; an import's batch only its size, so a million imported
    # responses are not held in memory until the import commits.
    single = responses[0] if len(responses) == 1 else None
    count = len(responses)
    transaction.on_commit(lambda: evaluations_pending.send(sender=Response, response=single, count=count))


def _names_staff(questions: list[Question], raw_answers: dict) -> bool:
    return any(
        question.kind == QuestionKind.STAFF and raw_answers.get(question.code) not in (None, "", [])
        for question in questions
    )
