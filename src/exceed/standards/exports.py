"""Acknowledgement coverage as CSV or XLSX: one row per location × entry in force."""

import csv
import io

from django.utils.translation import get_language

from exceed.org.scopes import Scope
from exceed.spreadsheets import spreadsheet_safe
from exceed.standards.selectors import coverage_by_location_and_entry, entry_title

COLUMNS = [
    "location",
    "location_name",
    "situation",
    "touchpoint",
    "entry",
    "version",
    "people_asked",
    "acknowledged",
    "coverage_pct",
    "not_yet",
]


def coverage_rows(scope: Scope) -> list[list]:
    language = get_language() or "en"
    rows = []
    for cell in coverage_by_location_and_entry(scope=scope):
        entry = cell.version.entry
        rows.append(
            [
                cell.location.code,
                cell.location.name,
                entry.situation.code,
                entry.touchpoint.code if entry.touchpoint else "",
                entry_title(entry, language),
                cell.version.number,
                cell.required,
                cell.acknowledged,
                cell.percent,
                "; ".join(person.name for person in cell.pending_people),
            ]
        )
    return rows


def coverage_csv(scope: Scope) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    # Names are typed by people: neutralise formulas (exceed.spreadsheets).
    for row in coverage_rows(scope):
        writer.writerow([spreadsheet_safe(value) for value in row])
    return buffer.getvalue()


def coverage_xlsx(scope: Scope) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("coverage")
    sheet.append(COLUMNS)
    for row in coverage_rows(scope):
        sheet.append([spreadsheet_safe(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
