"""`exceed import locations|people FILE.csv`, through the one import mechanism (core.imports)."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import validate_email, validate_slug
from django.db import transaction
from django.utils.translation import gettext as _

from exceed.bounds import code_problem
from exceed.core.imports import ImportReport, Problems, Row, read_csv, row_written, split_codes
from exceed.org.models import LANGUAGE_CODES, Location, Person, validate_timezone
from exceed.org.services import location_create, location_update, person_create, person_update, region_get_or_create

# --- Locations ---------------------------------------------------------------------------------

LOCATION_COLUMNS = ("code", "name", "region", "timezone", "default_language", "address", "latitude", "longitude")
COORDINATE_RANGES = {"latitude": 90, "longitude": 180}


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
            # Coordinates are set only where the file has them: an empty cell keeps the stored point.
            coordinates = {column: _coordinate(row.get(column)) for column in COORDINATE_RANGES if row.get(column)}
            location = existing.get(row.get("code"))
            if location is None:
                row_written(
                    problems,
                    row,
                    lambda: location_update(location=location_create(code=row.get("code"), **values), **coordinates),  # noqa: B023 (called at once)
                )
                report.created += 1
            else:
                row_written(problems, row, lambda: location_update(location=location, **values, **coordinates))  # noqa: B023 (called at once)
                report.updated += 1
    return report


def _coordinate(value: str) -> float:
    return float(value.strip().replace(",", "."))


def _check_location_row(row: Row, problems: Problems, seen: dict[str, int]) -> None:
    code = row.get("code")
    for column, limit in COORDINATE_RANGES.items():
        if row.get(column):
            try:
                good = -limit <= _coordinate(row.get(column)) <= limit
            except ValueError:
                good = False
            if not good:
                problems.add(
                    row.line,
                    column,
                    _("%(value)r is not a number from %(low)s to %(high)s")
                    % {"value": row.get(column), "low": -limit, "high": limit},
                )
    for column in ("code", "region"):
        try:
            validate_slug(row.get(column))
        except ValidationError:
            problems.add(
                row.line,
                column,
                _("%(value)r is not a valid code (letters, digits, - and _).") % {"value": row.get(column)},
            )
    if code in seen:
        problems.add(
            row.line,
            "code",
            _("the code %(code)s appears already on line %(line)s") % {"code": code, "line": seen[code]},
        )
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
            _("unknown language %(value)r (use one of %(codes)s)")
            % {"value": row.get("default_language"), "codes": ", ".join(LANGUAGE_CODES)},
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
                row_written(problems, row, lambda: person_create(locations=homes, external_ref=ref, **values))  # noqa: B023 (called at once)
                report.created += 1
            else:
                row_written(problems, row, lambda: person_update(person=person, locations=homes, **values))  # noqa: B023 (called at once)
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
            problems.add(
                row.line,
                "employee_number",
                _("the employee number %(ref)s appears already on line %(line)s") % {"ref": ref, "line": seen[ref]},
            )
        seen.setdefault(ref, row.line)
    codes = split_codes(row.get("locations"))
    if not codes:
        problems.add(row.line, "locations", _("at least one location code is required"))
    for code in codes:
        if code not in locations:
            problems.add(row.line, "locations", _("unknown location code %(code)r") % {"code": code})
