"""`exceed import invitations|responses FILE`: all or nothing, every error naming its line and column.

Responses arrive by the hundred thousand (a till system's history), so they are checked row by
row with the same rules as a live answer (``check_answers``), then written in batches of 5,000,
each its own transaction, by the set-based writer ``responses_store_many`` (answers, people,
daily measures summed per batch, one pending evaluation per response, so imported answers open
cases too).
"""

import gc
import heapq
import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from exceed.bounds import code_problem, nul_path, past_moment_problem, text_problem
from exceed.core import forked
from exceed.core.imports import (
    ImportRejected,
    ImportReport,
    Problem,
    Problems,
    Progress,
    Row,
    no_progress,
    open_text,
    read_csv,
    split_codes,
)
from exceed.core.statistics import planner_statistics_refresh
from exceed.errors import DomainError
from exceed.feedback.answers import CheckedAnswers, check_answers
from exceed.feedback.models import ChannelKind, QuestionKind, Response, Survey
from exceed.feedback.services import NewResponse, default_survey_install, invitation_create, responses_store_many
from exceed.feedback.tasks import invitation_send_after_commit
from exceed.org.models import LANGUAGE_CODES, Location, Person, Touchpoint

BATCH = 1000
# Each batch of the write is its own transaction: the live API's writers wait for one batch
# (a fraction of a second), not for the whole file.
WRITE_BATCH = 5000
# An import of at least this many responses refreshes the planner's statistics afterwards
# (core.statistics): the dashboard's first reader after a big load would otherwise be planned on
# the table's former size. A small import is not worth a pass over the whole database.
ANALYZE_AFTER = WRITE_BATCH


def _person_lookup() -> Callable[[str], Person | None]:
    """People by employee number, or by id when no employee number matches."""
    by_ref = {person.external_ref: person for person in Person.objects.exclude(external_ref=None)}
    by_id = {str(person.pk): person for person in Person.objects.all()}
    return lambda value: by_ref.get(value) or by_id.get(value)


# --- Invitations -------------------------------------------------------------------------------

INVITATION_COLUMNS = ("email", "location", "touchpoint", "person", "language", "transaction_ref", "survey")


def invitations_import(*, path: str | Path) -> ImportReport:
    """Create one invitation per row and queue its email; the survey defaults to "visit"."""
    planned = invitation_rows_check(
        read_csv(path, required=("email", "location"), optional=INVITATION_COLUMNS), filename=Path(path).name
    )
    problems = Problems(Path(path).name)

    report = ImportReport()
    with transaction.atomic():
        default_survey = None
        for line, values in planned:
            if values["survey"] is None:
                default_survey = default_survey or default_survey_install()
                values["survey"] = default_survey
            try:
                invitation = invitation_create(**values)
            except DomainError as error:
                problems.add(line, error.field, error.message)
                raise ImportRejected(problems.filename, problems.items) from error
            invitation_send_after_commit(invitation.pk)
            report.created += 1
    return report


def invitation_rows_check(
    rows: Iterable[Row], *, filename: str, defaults: dict | None = None, location_ids: frozenset[int] | None = None
) -> list[tuple[int, dict]]:
    """Every row checked before anything is written; raises ImportRejected naming each bad line.

    ``defaults`` (location, touchpoint, person, survey) fill the cells a row leaves empty, as the
    back office's send form does; ``location_ids`` (None: any) are the stores the sender may write at.
    """
    problems = Problems(filename)
    defaults = defaults or {}
    locations = {location.code: location for location in Location.objects.all()}
    touchpoints = {touchpoint.code: touchpoint for touchpoint in Touchpoint.objects.all()}
    surveys = {survey.slug: survey for survey in Survey.objects.filter(active=True)}
    find_person = _person_lookup()
    homes = set(Person.locations.through.objects.values_list("person_id", "location_id"))
    planned = []
    for row in rows:
        values = _check_invitation_row(row, problems, locations, touchpoints, surveys, find_person, homes, defaults)
        location = values["location"]
        if location is not None and location_ids is not None and location.pk not in location_ids:
            problems.add(row.line, "location", _("%(code)s is outside the stores you manage") % {"code": location.code})
        planned.append((row.line, values))
    if not planned and not problems.items:
        problems.add(1, None, _("There are no email addresses."))
    problems.raise_if_any()
    return planned


def pasted_rows(text: str) -> Iterator[Row]:
    """Addresses pasted one per line, each optionally followed by a language: "ana@example.com, fr"."""
    for line, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        email, _separator, language = raw.replace(";", ",").replace("\t", ",").partition(",")
        yield Row(line, {"email": email.strip(), "language": language.strip().lower()})


def _check_invitation_row(
    row: Row, problems, locations, touchpoints, surveys, find_person, homes, defaults=None
) -> dict:
    defaults = defaults or {}
    values = {"email": row.get("email"), "language": row.get("language"), "transaction_ref": row.get("transaction_ref")}
    try:
        validate_email(values["email"])
    except ValidationError:
        problems.add(row.line, "email", _("%(value)r is not a valid email address") % {"value": values["email"]})
    if row.get("location") or "location" not in defaults:
        location = values["location"] = locations.get(row.get("location"))
        if location is None:
            problems.add(row.line, "location", _("unknown location code %(code)r") % {"code": row.get("location")})
    else:
        location = values["location"] = defaults["location"]
    values["touchpoint"] = _optional(
        row, "touchpoint", touchpoints, problems, _("unknown touchpoint code %(code)r")
    ) or defaults.get("touchpoint")
    values["survey"] = _optional(
        row, "survey", surveys, problems, _("unknown or closed survey %(code)r")
    ) or defaults.get("survey")
    values["person"] = None
    if row.get("person"):
        person = values["person"] = find_person(row.get("person"))
        if person is None:
            problems.add(
                row.line, "person", _("unknown employee number or id %(value)r") % {"value": row.get("person")}
            )
        elif location is not None and (person.pk, location.pk) not in homes:
            problems.add(
                row.line,
                "person",
                _("%(name)s does not work at %(location)s") % {"name": person.name, "location": location.code},
            )
    elif (person := defaults.get("person")) is not None and location is not None:
        if (person.pk, location.pk) in homes:
            values["person"] = person
        else:
            problems.add(
                row.line,
                "person",
                _("%(name)s does not work at %(location)s") % {"name": person.name, "location": location.code},
            )
    if values["language"] and values["language"] not in LANGUAGE_CODES:
        problems.add(row.line, "language", _("unknown language %(value)r") % {"value": values["language"]})
    if len(values["transaction_ref"]) > 120:
        problems.add(row.line, "transaction_ref", _("the transaction reference is longer than 120 characters"))
    return values


def _optional(row: Row, column: str, known: dict, problems: Problems, message: str):
    code = row.get(column)
    if not code:
        return None
    if code not in known:
        problems.add(row.line, column, message % {"code": code})
    return known.get(code)


# --- Responses ---------------------------------------------------------------------------------

META_COLUMNS = (
    "external_id",
    "survey",
    "location",
    "touchpoint",
    "submitted_at",
    "language",
    "people",
    "transaction_ref",
    "contact_email",
    "contact_phone",
)


# A checked row ready to store, with its line for the messages.
Ready = tuple[int, NewResponse]


class _Context:
    """Everything a row is checked against, loaded once."""

    def __init__(self, *, ndjson: bool):
        self.ndjson = ndjson
        self.surveys = {survey.slug: survey for survey in Survey.objects.filter(active=True)}
        self.questions = {}
        self.locations = {location.code: location for location in Location.objects.all()}
        self.touchpoints = {touchpoint.code: touchpoint for touchpoint in Touchpoint.objects.all()}
        self.find_person = _person_lookup()

        # Every survey's questions now, not on first use: a forked checker must never query.
        for survey in self.surveys.values():
            # Loaded through the survey, so each question knows it (consent evidence) unqueried.
            self.questions[survey.pk] = list(survey.questions.prefetch_related("choices").order_by("position", "pk"))

    def questions_of(self, survey: Survey) -> list:
        return self.questions[survey.pk]


def responses_import(*, path: str | Path, progress: Progress = no_progress) -> ImportReport:
    with _without_cyclic_gc(), _large_page_cache():
        return _responses_import(path=path, progress=progress)


@contextmanager
def _without_cyclic_gc():
    """The checked rows of the whole file are held until written: with a million of them alive,
    each of the cyclic garbage collector's full passes walks them all again, and the passes come
    more often the more is allocated. Nothing an import builds needs the cycle collector
    (reference counting frees it), so it is paused for the import."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# SQLite's page cache for an import's connection, in KiB: a million responses' indexes no longer
# fit the 64 MB every connection has (settings), and each page read back from the file costs a
# system call in every batch that touches it again.
IMPORT_PAGE_CACHE_KIB = 512 * 1024


@contextmanager
def _large_page_cache():
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (before,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = -{IMPORT_PAGE_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


def _responses_import(*, path: str | Path, progress: Progress = no_progress) -> ImportReport:
    """Import responses from CSV or NDJSON, skipping external ids that are already stored.

    1. Read and check every row (``_file_check``). A bad line rejects the whole file here, naming
       its line, before anything is written.
    2. Write the checked rows in batches of ``WRITE_BATCH``, each batch all or nothing in its own
       transaction, so the live API's writers are not locked out for the whole file. Should a
       batch still fail (another writer stored one of its external ids in between), it is rolled
       back whole, the batches before it stay, and the error says so; running the same file again
       skips what is stored, so a re-run never duplicates.
    """
    filename = Path(path).name
    report = ImportReport()
    checked = _file_check(path, filename=filename, report=report, progress=progress)

    for start in range(0, len(checked), WRITE_BATCH):
        batch = checked[start : start + WRITE_BATCH]
        try:
            with transaction.atomic():
                report.created += _store_batch(batch, report)
        except IntegrityError:
            # The batch is rolled back whole; what earlier batches stored is kept, and a re-run
            # skips it by external id.
            raise DomainError(
                _(
                    "%(file)s: another writer stored some of the responses of lines %(first)s to %(last)s "
                    "meanwhile; %(created)s responses before them are stored. Run the import again: "
                    "what is stored is skipped."
                )
                % {"file": filename, "first": batch[0][0], "last": batch[-1][0], "created": report.created}
            ) from None
        progress(_("storing"), start + len(batch), len(checked))
    if report.created >= ANALYZE_AFTER:
        planner_statistics_refresh()
    return report


def _store_batch(batch: list[Ready], report: ImportReport) -> int:
    """One batch in its own transaction: ids stored since the check (another import, the live
    API) are skipped, the rest go through ``responses_store_many``, the writer of every batch."""
    stored = _stored_ids([item.values["external_id"] for _line, item in batch])
    if stored:
        report.skipped += len(stored)
        batch = [(line, item) for line, item in batch if item.values["external_id"] not in stored]
    responses_store_many(items=[item for _line, item in batch])
    return len(batch)


def _stored_ids(external_ids: list[str]) -> set[str]:
    # A plain query: the ORM resolved each of the thousands of ids in the IN list one by one.
    if not external_ids:
        return set()
    table = Response._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One array parameter: a list of thousands of parameters took PostgreSQL ~15 ms to parse.
            cursor.execute(f"SELECT external_id FROM {table} WHERE external_id = ANY(%s)", [external_ids])
        else:
            cursor.execute(
                f"SELECT external_id FROM {table} WHERE external_id IN ({', '.join(['%s'] * len(external_ids))})",
                external_ids,
            )
        return {row[0] for row in cursor.fetchall()}


# A file of at least this many lines is checked by two processes at once (where the system can
# fork): checking is Python, which holds one core, and half a million lines take half a minute.
CHECK_IN_TWO_FROM = 50_000


@dataclass
class _Part:
    """What checking some of a file's lines found."""

    ready: list[Ready] = field(default_factory=list)
    ids: list[tuple[int, str]] = field(default_factory=list)  # (line, external id) of every row
    problems: list[Problem] = field(default_factory=list)  # the first ones, by line
    total: int = 0  # problems found, kept or not
    rejected: list[Problem] | None = None  # a line that stops the reading (not JSON, say)


def _file_check(path, *, filename: str, report: ImportReport, progress: Progress) -> list[Ready]:
    """Every row checked, in line order, or ImportRejected naming the bad lines; rows whose
    external id is stored already are skipped (counted in ``report``), whatever their content.

    A big file is checked in two parts at once: this process takes the first, third, … thousand
    lines, a forked copy of it the second, fourth, … (``core.forked``); the parts meet here. Every
    row is checked, stored or not, since a part cannot ask the database: a re-run of a big file
    costs a check of it."""
    ndjson = _is_ndjson(path)
    context = _Context(ndjson=ndjson)
    total = _count_lines(path)
    parts = 2 if total >= CHECK_IN_TWO_FROM and forked.available() else 1

    def part(number: int, progress: Progress = no_progress) -> Callable[[], _Part]:
        return lambda: _part_check(
            path, context, filename=filename, part=number, parts=parts, total=total, progress=progress
        )

    others = [forked.Forked(part(number)) for number in range(1, parts)]
    try:
        results = [part(0, progress)()]
    except BaseException:
        for other in others:
            other.cancel()
        raise
    results += [other.result() for other in others]
    return _parts_merge(results, filename=filename, report=report)


def _part_check(
    path, context: _Context, *, filename: str, part: int, parts: int, total: int, progress: Progress
) -> _Part:
    """Check the lines of thousand ``part`` of every ``parts`` (all of them for one part)."""
    problems = Problems(filename)
    result = _Part()
    keep = None if parts == 1 else (lambda line: (line - 1) // BATCH % parts == part)
    try:
        for row in _response_rows(path, problems, ndjson=context.ndjson, keep=keep):
            result.ids.append((row.line, _text(row, "external_id")))
            if (ready := _check_response_row(row, context, problems)) is not None:
                result.ready.append((row.line, ready))
            if row.line % BATCH == 0:
                progress(_("checking"), row.line, total)
    except ImportRejected as error:
        result.rejected = error.problems
    result.problems, result.total = problems.items, problems.total
    return result


def _parts_merge(results: list[_Part], *, filename: str, report: ImportReport) -> list[Ready]:
    """The parts' rows in line order, less those whose external id is stored already; an id given
    on two lines of the file is a problem of the later line."""
    if rejected := [result.rejected for result in results if result.rejected]:
        raise ImportRejected(filename, min(rejected, key=lambda problems: problems[0].line))
    ids = list(heapq.merge(*(result.ids for result in results)))
    stored: set[str] = set()
    for start in range(0, len(ids), BATCH):
        stored |= _stored_ids([external_id for _line, external_id in ids[start : start + BATCH]])
    skipped: set[int] = set()
    first: dict[str, int] = {}
    twice = []
    for line, external_id in ids:
        if external_id in stored:
            skipped.add(line)
        elif external_id and len(external_id) <= 120 and external_id in first:
            message = _("the external id %(id)s appears already on line %(line)s")
            twice.append(Problem(line, "external_id", message % {"id": external_id, "line": first[external_id]}))
        else:
            first.setdefault(external_id, line)
    report.skipped += len(skipped)

    found = [problem for result in results for problem in result.problems if problem.line not in skipped]
    # A problem of a stored line beyond the parts' kept ones is still counted: a re-run of a file
    # with more bad lines than are shown may say a few problems too many, never too few.
    discarded = sum(len(result.problems) for result in results) - len(found)
    problems = Problems(filename)
    for problem in sorted(twice + found, key=lambda problem: problem.line):
        problems.add(problem.line, problem.column, problem.message)
    problems.total = len(twice) + sum(result.total for result in results) - discarded
    problems.raise_if_any()
    merged = heapq.merge(*(result.ready for result in results), key=lambda ready: ready[0])
    return [ready for ready in merged if ready[0] not in skipped]


def _count_lines(path) -> int:
    with open(path, "rb") as handle:
        return sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 20), b""))


def _is_ndjson(path) -> bool:
    if Path(path).suffix.lower() in (".ndjson", ".jsonl"):
        return True
    with open_text(path) as handle:
        return handle.read(64).lstrip().startswith("{")


def _response_rows(
    path, problems: Problems, *, ndjson: bool, keep: Callable[[int], bool] | None = None
) -> Iterator[Row]:
    """Rows as flat dicts: CSV cells as they are, NDJSON objects with answers under "answers";
    only the lines ``keep`` wants (all without it), an NDJSON line skipped before it is decoded."""
    if not ndjson:
        rows = read_csv(
            path, required=("external_id", "survey", "location", "submitted_at"), optional=META_COLUMNS, extra=True
        )
        yield from (row for row in rows if keep is None or keep(row.line))
        return
    with open_text(path) as handle:
        for line, text in enumerate(handle, start=1):
            if (keep is not None and not keep(line)) or not text.strip():
                continue
            try:
                record = json.loads(text)
            except json.JSONDecodeError as error:
                raise ImportRejected(
                    problems.filename, [Problem(line, None, _("not valid JSON (%(error)s)") % {"error": error.msg})]
                ) from None
            if not isinstance(record, dict):
                raise ImportRejected(problems.filename, [Problem(line, None, _("each line must be a JSON object"))])
            # A NUL can reach a decoded value only as the escape \u0000 (the decoder refuses a raw
            # one), so a line without it needs no walk through its values.
            if "\\u0000" in text and (where := nul_path(record)) is not None:
                raise ImportRejected(problems.filename, [Problem(line, where or None, text_problem("\x00"))])
            yield Row(line, record)


def _text(row: Row, column: str) -> str:
    value = row.cells.get(column)
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(str(part) for part in value)
    return str(value).strip()


def _check_response_row(row: Row, context: _Context, problems: Problems) -> NewResponse | None:
    """The row as the writer stores it, or None with its problems added. An id given twice in the
    file is found when the parts of the file meet (``_parts_merge``)."""
    before = problems.total
    line = row.line
    external_id = _text(row, "external_id")
    if not external_id:
        problems.add(line, "external_id", _("an external id is required"))
    elif len(external_id) > 120:
        problems.add(line, "external_id", _("the external id is longer than 120 characters"))
    transaction_ref = _text(row, "transaction_ref")
    for column, value in (("external_id", external_id), ("transaction_ref", transaction_ref)):
        if problem := code_problem(value):
            problems.add(line, column, problem)

    survey = context.surveys.get(code := _text(row, "survey"))
    if survey is None:
        problems.add(line, "survey", _("unknown or closed survey %(code)r") % {"code": code})
    location = context.locations.get(code := _text(row, "location"))
    if location is None:
        problems.add(line, "location", _("unknown location code %(code)r") % {"code": code})
    touchpoint = None
    if code := _text(row, "touchpoint"):
        touchpoint = context.touchpoints.get(code)
        if touchpoint is None:
            problems.add(line, "touchpoint", _("unknown touchpoint code %(code)r") % {"code": code})
    language = _text(row, "language") or (location.default_language if location else "en")
    if language not in LANGUAGE_CODES:
        problems.add(line, "language", _("unknown language %(value)r") % {"value": language})
    if len(transaction_ref) > 120:
        problems.add(line, "transaction_ref", _("the transaction reference is longer than 120 characters"))
    person_ids = _people(row, "people", context, problems)
    submitted_at = _when(row, location, problems)
    if survey is None:
        return None
    answers = _answers(row, survey, context, problems)
    if problems.total > before:
        return None
    return NewResponse(
        values={
            "survey_id": survey.pk,
            "channel_kind": ChannelKind.IMPORT,
            "location_id": location.pk,
            "touchpoint_id": touchpoint.pk if touchpoint else None,
            "language": language,
            "submitted_at": submitted_at,
            "local_date": submitted_at.astimezone(location.zone).date(),
            "transaction_ref": transaction_ref,
            "external_id": external_id,
            **answers.response_fields(),
            **answers.consent_evidence(language=language, at=submitted_at),
        },
        answers=answers.values,
        person_ids=sorted(set(person_ids) | set(answers.person_ids)),
    )


def _people(row: Row, column: str, context: _Context, problems: Problems) -> list[int]:
    ids = []
    for ref in split_codes(_text(row, column)):
        person = context.find_person(ref)
        if person is None:
            problems.add(row.line, column, _("unknown employee number %(value)r") % {"value": ref})
        else:
            ids.append(person.pk)
    return ids


def _when(row: Row, location: Location | None, problems: Problems) -> datetime | None:
    raw = _text(row, "submitted_at")
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        problems.add(row.line, "submitted_at", _("%(value)r is not an ISO 8601 date and time") % {"value": raw})
        return None
    if moment.tzinfo is None and location is not None:
        # A till writes local time; a time without an offset is the store's own clock.
        moment = moment.replace(tzinfo=location.zone)
    if problem := past_moment_problem(moment):
        problems.add(row.line, "submitted_at", problem)
        return None
    return moment


def _answers(row: Row, survey: Survey, context: _Context, problems: Problems) -> CheckedAnswers:
    questions = context.questions_of(survey)
    kinds = {question.code: question.kind for question in questions}
    if context.ndjson:
        raw = row.cells.get("answers") or {}
        prefix = "answers."
        if not isinstance(raw, dict):
            problems.add(row.line, "answers", _("answers must be an object keyed by question code"))
            return CheckedAnswers()
    else:
        raw = {code: value for code, value in row.cells.items() if code not in META_COLUMNS and str(value).strip()}
        prefix = ""
    raw = dict(raw)
    for code, value in list(raw.items()):
        if kinds.get(code) in (QuestionKind.STAFF, QuestionKind.MULTI_CHOICE) and isinstance(value, str):
            raw[code] = split_codes(value)
        if kinds.get(code) == QuestionKind.STAFF:
            ids = [context.find_person(str(ref)) for ref in raw[code]]
            if None in ids:
                problems.add(row.line, prefix + code, _("unknown employee number in %(value)r") % {"value": value})
                return CheckedAnswers()
            raw[code] = [person.pk for person in ids]
    contact = {"email": _text(row, "contact_email"), "phone": _text(row, "contact_phone")}
    try:
        # staff_ids=None: history may name people who have since moved to another store.
        return check_answers(questions=questions, raw_answers=raw, staff_ids=None, contact=contact)
    except DomainError as error:
        column = (
            error.field if error.field in ("contact_email", "contact_phone") else prefix + (error.field or "answers")
        )
        problems.add(row.line, column, str(error.message))
        return CheckedAnswers()
