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


# --- Consistency (issue 9): the page's figures, one row per store × touchpoint ------------------

CONSISTENCY_COLUMNS = [
    "location_code",
    "location_name",
    "touchpoint",
    "n",
    "return_mean",
    "return_sd",
    "return_sd_ci_low",
    "return_sd_ci_high",
    "bottom_box_share",
    "bottom_box_ci_low",
    "bottom_box_ci_high",
    "return_score",
    "touchpoint_chain_score",
    "limit_95_low",
    "limit_95_high",
    "outside",
]


def _codes(model, ids) -> dict:
    return dict(model.objects.filter(pk__in=set(ids)).values_list("pk", "code"))


def consistency_rows(figures) -> Iterator[list]:
    from exceed.org.models import Location

    codes = _codes(Location, [cell["location"] for cell in figures.cells])
    for cell in figures.cells:
        yield [
            codes.get(cell["location"], ""),
            cell["location_label"],
            cell["touchpoint_label"],
            cell["n"],
            cell["mean"],
            cell["spread"].value,
            cell["spread"].low,
            cell["spread"].high,
            cell["bottom_box"].value,
            cell["bottom_box"].low,
            cell["bottom_box"].high,
            cell["return_score"].value,
            cell["touchpoint_score"],
            round(cell["limits"].low, 1),
            round(cell["limits"].high, 1),
            cell["position"],
        ]


def consistency_csv_lines(figures) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(CONSISTENCY_COLUMNS)
    for row in consistency_rows(figures):
        yield writer.writerow([_csv_cell(value) for value in row])


def consistency_xlsx_file(figures):
    """The cells, the funnel, the weeks and the summary figures, a sheet each."""
    from openpyxl import Workbook

    from exceed.org.models import Location

    workbook = Workbook(write_only=True)
    summary = workbook.create_sheet("Summary")
    summary.append(["measure", "value", "n", "ci_low", "ci_high"])
    between = figures.between
    for name, figure in (
        ("predictability", figures.headline),
        ("icc_between_locations", between["icc"]),
        ("sd_of_shrunk_location_means", between["shrunk_spread"]),
        ("bottom_box_share", figures.weeks["center"]),
    ):
        summary.append([name, figure.value, figure.n, figure.low, figure.high])
    cells = workbook.create_sheet("Cells")
    cells.append(CONSISTENCY_COLUMNS)
    for row in consistency_rows(figures):
        cells.append([spreadsheet_safe(value) if isinstance(value, str) else value for value in row])
    funnel = workbook.create_sheet("Funnel")
    funnel.append(
        [
            figures.funnel["by"],
            "n",
            "return_score",
            "limit_95_low",
            "limit_95_high",
            "limit_99_8_low",
            "limit_99_8_high",
            "outside",
        ]
    )
    for point in figures.funnel["points"]:
        funnel.append(
            [
                spreadsheet_safe(point["label"]),
                point["n"],
                point["return_score"].value,
                round(point["inner"].low, 1),
                round(point["inner"].high, 1),
                round(point["outer"].low, 1),
                round(point["outer"].high, 1),
                point["position"],
            ]
        )
    weeks = workbook.create_sheet("Weeks")
    weeks.append(["week_starting", "n", "bottom_box_share", "control_low", "control_high", "outside"])
    for point in figures.weeks["points"]:
        weeks.append(
            [
                point["week"],
                point["bottom_box"].n,
                point["bottom_box"].value,
                round(point["limits"].low, 1),
                round(point["limits"].high, 1),
                point["outside"],
            ]
        )
    locations = workbook.create_sheet("Locations")
    locations.append(["location_code", "location_name", "n", "return_mean", "shrunk_mean"])
    codes = _codes(Location, [row["location"] for row in between["locations"]])
    for row in between["locations"]:
        locations.append(
            [codes.get(row["location"], ""), spreadsheet_safe(row["label"]), row["n"], row["mean"], row["shrunk_mean"]]
        )
    target = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    workbook.save(target)
    target.seek(0)
    return target
