"""`exceed import visits FILE`: visits from a till export, all or nothing.

CSV with a header row: external_id, location (code), visited_at (ISO 8601 with offset),
customer_ref, and optionally amount and served_by (employee number). Rows whose external id is
stored already are skipped, so the same export can be imported again. Read and checked by the
one import mechanism (core.imports).
"""

from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from exceed.bounds import code_problem, past_moment_problem
from exceed.core.imports import ImportReport, Problems, Progress, Row, no_progress, read_csv, row_written
from exceed.org.models import Location, Person
from exceed.recovery.models import TillVisit
from exceed.recovery.visits import visit_record

REQUIRED = ("external_id", "location", "visited_at", "customer_ref")
OPTIONAL = ("amount", "served_by")


def _parse_row(row: Row, problems: Problems, locations: dict, people: dict) -> dict | None:
    """The row's values, or None after adding each problem it has."""
    before = problems.total
    for column in REQUIRED:
        if not row.get(column):
            problems.add(row.line, column, _("a value is required."))
    for column in (*REQUIRED, *OPTIONAL):
        # Identifiers carry no control characters (a NUL cannot even be stored on PostgreSQL).
        if problem := code_problem(row.get(column)):
            problems.add(row.line, column, problem)
    location = locations.get(row.get("location"))
    if row.get("location") and location is None:
        problems.add(row.line, "location", _("no location has the code %(code)s.") % {"code": row.get("location")})
    visited_at = None
    if row.get("visited_at"):
        try:
            visited_at = datetime.fromisoformat(row.get("visited_at"))
        except ValueError:
            problems.add(row.line, "visited_at", _("not a date and time such as 2025-03-01T12:00:00+01:00."))
        else:
            if visited_at.tzinfo is None:
                problems.add(row.line, "visited_at", _("the time needs an offset such as +01:00 or Z."))
            elif problem := past_moment_problem(visited_at):
                problems.add(row.line, "visited_at", problem)
    amount = None
    if row.get("amount"):
        try:
            amount = Decimal(row.get("amount"))
        except InvalidOperation:
            problems.add(row.line, "amount", _("not a number."))
    served_by = None
    if row.get("served_by"):
        served_by = people.get(row.get("served_by"))
        if served_by is None:
            problems.add(
                row.line, "served_by", _("no person has the employee number %(ref)s.") % {"ref": row.get("served_by")}
            )
        elif location is not None and location.pk not in served_by.location_ids:
            problems.add(row.line, "served_by", _("this person does not work at this location."))
    if problems.total > before:
        return None
    return {
        "external_id": row.get("external_id"),
        "location": location,
        "visited_at": visited_at,
        "customer_ref": row.get("customer_ref"),
        "amount": amount,
        "served_by": served_by,
    }


def visits_import(path: str | Path, progress: Progress = no_progress) -> ImportReport:
    """Check every row first, then store them in one transaction; any bad row stores nothing."""
    problems = Problems(Path(path).name)
    locations = {location.code: location for location in Location.objects.all()}
    people = {
        person.external_ref: person
        for person in Person.objects.exclude(external_ref=None).prefetch_related("locations")
    }
    for person in people.values():
        person.location_ids = {location.pk for location in person.locations.all()}
    rows, seen = [], {}
    for row in read_csv(path, required=REQUIRED, optional=OPTIONAL):
        parsed = _parse_row(row, problems, locations, people)
        external_id = row.get("external_id")
        if external_id in seen:
            problems.add(
                row.line,
                "external_id",
                _("this external id appears already on line %(line)s.") % {"line": seen[external_id]},
            )
        seen.setdefault(external_id, row.line)
        if parsed is not None:
            rows.append((row, parsed))
    problems.raise_if_any()
    stored = set(TillVisit.objects.filter(external_id__in=seen).values_list("external_id", flat=True))
    report = ImportReport()
    with transaction.atomic():
        for row, parsed in rows:
            if parsed["external_id"] in stored:
                report.skipped += 1
                continue
            # visit_record checks the bounds of amount and date as the API does; a refusal names the row.
            row_written(problems, row, lambda: visit_record(**parsed))  # noqa: B023 (called at once)
            report.created += 1
    return report
