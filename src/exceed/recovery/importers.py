"""`exceed import visits FILE`: visits from a till export, all or nothing.

CSV with a header row: external_id, location (code), visited_at (ISO 8601 with offset),
customer_ref, and optionally amount and served_by (employee number). Rows whose external id is
stored already are skipped, so the same export can be imported again.
"""

import csv
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from exceed.bounds import code_problem, past_moment_problem
from exceed.errors import DomainError
from exceed.org.models import Location, Person
from exceed.recovery.models import Visit
from exceed.recovery.visits import visit_record

REQUIRED = ("external_id", "location", "visited_at", "customer_ref")
OPTIONAL = ("amount", "served_by")


@dataclass
class ImportResult:
    created: int
    skipped: int

    def summary(self, noun: str) -> str:
        return _("%(noun)s: %(created)s created, %(skipped)s already stored.") % {
            "noun": noun, "created": self.created, "skipped": self.skipped,
        }


def _fail(line: int, column: str, message: str):
    raise DomainError(
        _("Line %(line)s, column %(column)s: %(message)s") % {"line": line, "column": column, "message": message},
        field=column,
    )


def _parse_row(line: int, row: dict, locations: dict, people: dict) -> dict:
    for column in REQUIRED:
        if not (row.get(column) or "").strip():
            _fail(line, column, _("a value is required."))
    for column in (*REQUIRED, *OPTIONAL):
        # Identifiers carry no control characters (a NUL cannot even be stored on PostgreSQL).
        if problem := code_problem(row.get(column) or ""):
            _fail(line, column, problem)
    location = locations.get(row["location"].strip())
    if location is None:
        _fail(line, "location", _("no location has the code %(code)s.") % {"code": row["location"].strip()})
    try:
        visited_at = datetime.fromisoformat(row["visited_at"].strip())
    except ValueError:
        _fail(line, "visited_at", _("not a date and time such as 2025-03-01T12:00:00+01:00."))
    if visited_at.tzinfo is None:
        _fail(line, "visited_at", _("the time needs an offset such as +01:00 or Z."))
    if problem := past_moment_problem(visited_at):
        _fail(line, "visited_at", problem)
    amount = (row.get("amount") or "").strip() or None
    if amount is not None:
        try:
            amount = Decimal(amount)
        except InvalidOperation:
            _fail(line, "amount", _("not a number."))
    served_by = None
    ref = (row.get("served_by") or "").strip()
    if ref:
        served_by = people.get(ref)
        if served_by is None:
            _fail(line, "served_by", _("no person has the employee number %(ref)s.") % {"ref": ref})
        if location.pk not in served_by.location_ids:
            _fail(line, "served_by", _("this person does not work at this location."))
    return {
        "external_id": row["external_id"].strip(),
        "location": location,
        "visited_at": visited_at,
        "customer_ref": row["customer_ref"].strip(),
        "amount": amount,
        "served_by": served_by,
    }


def visits_import(path: str | Path) -> ImportResult:
    """Check every row first, then store them in one transaction; any bad row stores nothing."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise DomainError(_("The file cannot be read: %(error)s") % {"error": exc}, field="file")
    reader = csv.DictReader(text.splitlines())
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        _fail(1, missing[0], _("the header row lacks this column."))
    reader.fieldnames = header
    locations = {location.code: location for location in Location.objects.all()}
    people = {person.external_ref: person for person in Person.objects.exclude(external_ref=None).prefetch_related("locations")}
    for person in people.values():
        person.location_ids = {location.pk for location in person.locations.all()}
    rows, seen = [], set()
    for line, row in enumerate(reader, start=2):
        parsed = _parse_row(line, row, locations, people)
        if parsed["external_id"] in seen:
            _fail(line, "external_id", _("this external id appears twice in the file."))
        seen.add(parsed["external_id"])
        rows.append(parsed)
    stored = set(Visit.objects.filter(external_id__in=seen).values_list("external_id", flat=True))
    created = 0
    with transaction.atomic():
        for parsed in rows:
            if parsed["external_id"] in stored:
                continue
            visit_record(**parsed)
            created += 1
    return ImportResult(created=created, skipped=len(rows) - created)
