"""Responses as CSV (streamed) and XLSX (openpyxl write-only), one row per response.

Both read the same scoped queryset in chunks, so an export of 100,000 responses never holds
them all in memory, and both pass every text cell through ``spreadsheet_safe``.
"""

import csv
import tempfile
from collections.abc import Iterator

from django.db.models import Prefetch, QuerySet

from exceed.feedback.models import Response
from exceed.insights.selectors import EXPECTATION_WORDS, people_named
from exceed.org.models import Person
from exceed.org.scopes import Scope
from exceed.spreadsheets import spreadsheet_safe

COLUMNS = [
    "id",
    "submitted_at",
    "local_date",
    "location_code",
    "location_name",
    "region",
    "touchpoint",
    "channel",
    "language",
    "people",
    "return_likelihood",
    "expectation",
    "csat",
    "comment",
    "transaction_ref",
    "contact",
]
CHUNK = 2000


def export_rows(scope: Scope, responses: QuerySet[Response]) -> Iterator[list]:
    """One list of cell values per response, in ``COLUMNS`` order, read ``CHUNK`` rows at a time."""
    responses = responses.select_related("location__region", "touchpoint").prefetch_related(
        Prefetch("people", queryset=Person.objects.only("pk", "name").order_by("name"))
    )
    # Customer contact details are for those who follow up with customers, not for associates.
    with_contact = scope.sees_customer_contact
    for response in responses.order_by("submitted_at", "pk").iterator(chunk_size=CHUNK):
        names, _unnamed = people_named(scope, response.people.all())
        contact = ""
        if with_contact and response.contact_consent:
            contact = " ".join(part for part in (response.contact_email, response.contact_phone) if part)
        yield [
            response.pk,
            response.submitted_at.isoformat(),
            response.local_date,
            response.location.code,
            response.location.name,
            response.location.region.name,
            response.touchpoint.name if response.touchpoint else "",
            response.channel_kind,
            response.language,
            "; ".join(names),
            response.return_likelihood,
            EXPECTATION_WORDS.get(response.expectation, ""),
            response.csat,
            response.comment,
            response.transaction_ref,
            contact,
        ]


class _Echo:
    """A file-like object whose write returns the line, so csv.writer can feed a generator."""

    def write(self, value):
        return value


def csv_lines(scope: Scope, responses: QuerySet[Response]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    # A byte-order mark lets Excel open the UTF-8 file with Danish and Estonian letters intact.
    yield "\ufeff" + writer.writerow(COLUMNS)
    for row in export_rows(scope, responses):
        yield writer.writerow([_csv_cell(value) for value in row])


def _csv_cell(value):
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return spreadsheet_safe(value)


def xlsx_file(scope: Scope, responses: QuerySet[Response]):
    """The workbook in a temporary file (spilled to disk past 8 MB), positioned at its start."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Responses")
    sheet.append(COLUMNS)
    for row in export_rows(scope, responses):
        # XML forbids most control characters; a pasted comment may carry one.
        sheet.append(
            [
                spreadsheet_safe(ILLEGAL_CHARACTERS_RE.sub("", value)) if isinstance(value, str) else value
                for value in row
            ]
        )
    target = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    workbook.save(target)
    target.seek(0)
    return target
