"""`exceed import locations|people FILE.csv`: all or nothing, every error naming its line and column.

Each import reads the whole file and checks every row before it writes anything, so a typo on
line 900 never leaves 899 rows behind; the writes then run in one transaction through the
services. The reading helpers here are shared with the feedback importers (org is the bottom app).
"""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import validate_email, validate_slug
from django.db import transaction
from django.utils.translation import gettext as _

from exceed.bounds import code_problem, text_problem
from exceed.errors import DomainError
from exceed.org.models import LANGUAGE_CODES, Location, Person, validate_timezone
from exceed.org.services import location_create, location_update, person_create, person_update, region_get_or_create

# Shown at most, so a file with the wrong delimiter does not print 100,000 identical lines.
MAX_REPORTED_PROBLEMS = 20


@dataclass
class Problem:
    line: int
    column: str | None
    message: str

    def render(self, filename: str) -> str:
        if self.column:
            return _("%(file)s line %(line)s, column %(column)s: %(message)s") % {
                "file": filename,
                "line": self.line,
                "column": self.column,
                "message": self.message,
            }
        return _("%(file)s line %(line)s: %(message)s") % {"file": filename, "line": self.line, "message": self.message}


class ImportRejected(DomainError):
    """The file was refused; nothing was written. ``problems`` lists the first offending cells."""

    def __init__(self, filename: str, problems: list[Problem], total: int | None = None):
        self.filename = filename
        self.problems = problems[:MAX_REPORTED_PROBLEMS]
        lines = [problem.render(filename) for problem in self.problems]
        total = total if total is not None else len(problems)
        if total > len(self.problems):
            lines.append(_("… and %(count)s more problems.") % {"count": total - len(self.problems)})
        lines.append(_("Nothing was imported."))
        super().__init__("\n".join(lines), field=self.problems[0].column if self.problems else None)


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    skipped: int = 0
    notes: list[str] = field(default_factory=list)

    def summary(self, noun: str) -> str:
        text = _("%(noun)s: %(created)s created, %(updated)s updated, %(skipped)s skipped.") % {
            "noun": noun,
            "created": self.created,
            "updated": self.updated,
            "skipped": self.skipped,
        }
        return "\n".join([text, *self.notes])


class Problems:
    """Collects problems while every row is checked; ``raise_if_any`` rejects the whole file."""

    def __init__(self, filename: str):
        self.filename = filename
        self.items: list[Problem] = []
        self.total = 0

    def add(self, line: int, column: str | None, message: str) -> None:
        self.total += 1
        if len(self.items) < MAX_REPORTED_PROBLEMS:
            self.items.append(Problem(line, column, message))

    def raise_if_any(self) -> None:
        if self.items:
            raise ImportRejected(self.filename, self.items, self.total)


@dataclass
class Row:
    line: int
    cells: dict[str, str]

    def get(self, column: str) -> str:
        return (self.cells.get(column) or "").strip()


def open_text(path: str | Path) -> io.TextIOBase:
    """UTF-8 with or without a byte-order mark (spreadsheet programs add one)."""
    return open(path, encoding="utf-8-sig", newline="")


def read_csv(path: str | Path, *, required: tuple[str, ...], optional: tuple[str, ...] = (), extra: bool = False) -> Iterator[Row]:
    """Rows of a CSV file with their line numbers (line 1 is the header).

    Rejects a file whose header lacks a required column or, unless ``extra``, has an unknown one.
    Spreadsheets in Denmark and France write semicolons, so the delimiter is taken from the header.
    """
    filename = Path(path).name
    with open_text(path) as handle:
        first_line = handle.readline()
        handle.seek(0)
        reader = csv.reader(handle, delimiter=_delimiter(first_line))
        try:
            header = [name.strip() for name in next(reader)]
        except StopIteration:
            raise ImportRejected(filename, [Problem(1, None, _("The file is empty."))])
        _check_header(filename, header, required, optional, extra)
        line = reader.line_num
        for values in reader:
            start, line = line + 1, reader.line_num
            if not any(value.strip() for value in values):
                continue
            if len(values) > len(header):
                raise ImportRejected(
                    filename,
                    [Problem(start, None, _("%(found)s values but the header has %(expected)s columns.") % {"found": len(values), "expected": len(header)})],
                )
            for column, value in zip(header, values):
                # PostgreSQL cannot store a NUL; a file carrying one is refused, on every database.
                if problem := text_problem(value):
                    raise ImportRejected(filename, [Problem(start, column, problem)])
            yield Row(start, dict(zip(header, values)))


def _delimiter(header_line: str) -> str:
    # Judged on the header alone: data cells legitimately hold ';' (a person's location codes).
    counts = {delimiter: header_line.count(delimiter) for delimiter in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _check_header(filename: str, header: list[str], required, optional, extra: bool) -> None:
    missing = [name for name in required if name not in header]
    if missing:
        raise ImportRejected(filename, [Problem(1, missing[0], _("The header has no column %(column)s.") % {"column": missing[0]})])
    if len(set(header)) != len(header):
        repeated = next(name for name in header if header.count(name) > 1)
        raise ImportRejected(filename, [Problem(1, repeated, _("The column %(column)s appears twice.") % {"column": repeated})])
    if not extra:
        unknown = [name for name in header if name not in required and name not in optional]
        if unknown:
            raise ImportRejected(filename, [Problem(1, unknown[0], _("Unknown column %(column)s.") % {"column": unknown[0]})])


def split_codes(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


def _written(problems: Problems, row: Row, write) -> None:
    """Run one row's write; a service refusal still names the row (the file is rolled back)."""
    try:
        write()
    except DomainError as error:
        problems.add(row.line, error.field, error.message)
        problems.raise_if_any()


# --- Locations ---------------------------------------------------------------------------------

LOCATION_COLUMNS = ("code", "name", "region", "timezone", "default_language", "address")


def locations_import(*, path: str | Path) -> ImportReport:
    """Create locations, or update those whose code exists; regions are created by code if new."""
    problems = Problems(Path(path).name)
    rows = []
    seen: dict[str, int] = {}
    for row in read_csv(path, required=("code", "name", "region"), optional=LOCATION_COLUMNS):
        _check_location_row(row, problems, seen)
        rows.append(row)
    problems.raise_if_any()

    report = ImportReport()
    existing = {location.code: location for location in Location.objects.filter(code__in=seen)}
    with transaction.atomic():
        for row in rows:
            region = region_get_or_create(code=row.get("region"))
            values = {"name": row.get("name"), "region": region, "address": row.get("address")}
            for column in ("timezone", "default_language"):
                if row.get(column):
                    values[column] = row.get(column)
            location = existing.get(row.get("code"))
            if location is None:
                _written(problems, row, lambda: location_create(code=row.get("code"), **values))
                report.created += 1
            else:
                _written(problems, row, lambda: location_update(location=location, **values))
                report.updated += 1
    return report


def _check_location_row(row: Row, problems: Problems, seen: dict[str, int]) -> None:
    code = row.get("code")
    for column in ("code", "region"):
        try:
            validate_slug(row.get(column))
        except ValidationError:
            problems.add(row.line, column, _("%(value)r is not a valid code (letters, digits, - and _).") % {"value": row.get(column)})
    if code in seen:
        problems.add(row.line, "code", _("the code %(code)s appears already on line %(line)s") % {"code": code, "line": seen[code]})
    seen.setdefault(code, row.line)
    if not row.get("name"):
        problems.add(row.line, "name", _("a name is required"))
    elif len(row.get("name")) > 120:
        problems.add(row.line, "name", _("the name is longer than 120 characters"))
    if row.get("timezone"):
        try:
            validate_timezone(row.get("timezone"))
        except ValidationError:
            problems.add(row.line, "timezone", _("unknown time zone %(value)r") % {"value": row.get("timezone")})
    if row.get("default_language") and row.get("default_language") not in LANGUAGE_CODES:
        problems.add(
            row.line,
            "default_language",
            _("unknown language %(value)r (use one of %(codes)s)") % {"value": row.get("default_language"), "codes": ", ".join(LANGUAGE_CODES)},
        )


# --- People ------------------------------------------------------------------------------------

PEOPLE_COLUMNS = ("name", "email", "job_role", "employee_number", "locations")


def people_import(*, path: str | Path) -> ImportReport:
    """Create people, or update those whose employee number exists; locations are codes split by ';'."""
    problems = Problems(Path(path).name)
    locations = {location.code: location for location in Location.objects.all()}
    seen: dict[str, int] = {}
    rows = []
    for row in read_csv(path, required=("name", "locations"), optional=PEOPLE_COLUMNS):
        _check_person_row(row, problems, seen, locations)
        rows.append(row)
    problems.raise_if_any()

    report = ImportReport()
    existing = {person.external_ref: person for person in Person.objects.filter(external_ref__in=seen)}
    with transaction.atomic():
        for row in rows:
            values = {"name": row.get("name"), "email": row.get("email"), "job_role": row.get("job_role")}
            homes = [locations[code] for code in split_codes(row.get("locations"))]
            person = existing.get(row.get("employee_number"))
            if person is None:
                ref = row.get("employee_number") or None
                _written(problems, row, lambda: person_create(locations=homes, external_ref=ref, **values))
                report.created += 1
            else:
                _written(problems, row, lambda: person_update(person=person, locations=homes, **values))
                report.updated += 1
    return report


def _check_person_row(row: Row, problems: Problems, seen: dict[str, int], locations: dict[str, Location]) -> None:
    if not row.get("name"):
        problems.add(row.line, "name", _("a name is required"))
    elif len(row.get("name")) > 120:
        problems.add(row.line, "name", _("the name is longer than 120 characters"))
    if row.get("email"):
        try:
            validate_email(row.get("email"))
        except ValidationError:
            problems.add(row.line, "email", _("%(value)r is not a valid email address") % {"value": row.get("email")})
    ref = row.get("employee_number")
    if ref and (problem := code_problem(ref)):
        problems.add(row.line, "employee_number", problem)
    if ref:
        if ref in seen:
            problems.add(row.line, "employee_number", _("the employee number %(ref)s appears already on line %(line)s") % {"ref": ref, "line": seen[ref]})
        seen.setdefault(ref, row.line)
    codes = split_codes(row.get("locations"))
    if not codes:
        problems.add(row.line, "locations", _("at least one location code is required"))
    for code in codes:
        if code not in locations:
            problems.add(row.line, "locations", _("unknown location code %(code)r") % {"code": code})
