"""The results (issue 10 §8) as CSV (one row per location) and XLSX (a sheet per view).

Every text cell passes through ``spreadsheet_safe``: a location or person named ``=HYPERLINK(…)``
stays text. No cell names a shopper.
"""

import csv
import io
import tempfile

from exceed.core.measures import Figure
from exceed.mystery.selectors import Results
from exceed.spreadsheets import spreadsheet_safe


def _figure(figure: Figure) -> list:
    return [figure.value, figure.n, figure.low, figure.high]


def location_rows(results: Results) -> list[list]:
    codes = [code for code, _title in results.sections]
    header = ["rank", "location", "region", "score", "shops", "ci_low", "ci_high", "ranked", "na_rate", "na_n"]
    header += [f"section_{code}" for code in codes]
    rows = [header]
    for row in results.locations:
        rows.append(
            [
                row.rank,
                row.name,
                row.region,
                *_figure(row.overall),
                row.ranked,
                row.na_rate.value,
                row.na_rate.n,
                *[row.sections[code].value if code in row.sections else None for code in codes],
            ]
        )
    return rows


def _safe(row: list) -> list:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return [spreadsheet_safe(ILLEGAL_CHARACTERS_RE.sub("", v)) if isinstance(v, str) else v for v in row]


def results_csv(results: Results) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in location_rows(results):
        writer.writerow([spreadsheet_safe(v) for v in row])
    return out.getvalue()


def results_xlsx(results: Results):
    """The workbook in a temporary file, positioned at its start."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheets: dict[str, list[list]] = {
        "Locations": location_rows(results),
        "Regions": [["region", "score", "shops", "ci_low", "ci_high"]]
        + [[r["region"], *_figure(r["overall"])] for r in results.regions],
        "Trend": [["month", "score", "shops", "ci_low", "ci_high"]]
        + [[r["month"], *_figure(r["overall"])] for r in results.trend],
        "Items": [["item", "question", "failure_rate", "applied", "ci_low", "ci_high", "not_applicable"]]
        + [[i["code"], i["text"], *_figure(i["failure_rate"]), i["na"]] for i in results.items],
        "Separation": [["item", "question", "pass_9_10", "n_9_10", "pass_0_6", "n_0_6", "difference"]]
        + [
            [
                s["code"],
                s["text"],
                s["returners"].value,
                s["returners"].n,
                s["non_returners"].value,
                s["non_returners"].n,
                s["gap"],
            ]
            for s in results.separation
        ],
        "People": [["person", "score", "shops", "ci_low", "ci_high"]]
        + [[p["name"], *_figure(p["overall"])] for p in results.people],
    }
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(_safe(row))
    target = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    workbook.save(target)
    target.seek(0)
    return target
