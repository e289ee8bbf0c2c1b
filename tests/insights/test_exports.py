import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from exceed.insights.exports import COLUMNS, spreadsheet_safe
from tests.insights.conftest import INJECTION

CSV = reverse("insights:export_csv")
XLSX = reverse("insights:export_xlsx")


def csv_rows(page) -> list[dict]:
    assert page.streaming
    text = b"".join(page.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def xlsx_rows(page) -> list[dict]:
    workbook = load_workbook(io.BytesIO(b"".join(page.streaming_content)), read_only=True)
    header, *rows = list(workbook["Responses"].iter_rows(values_only=True))
    return [dict(zip(header, row)) for row in rows]


@pytest.mark.parametrize(
    "value, safe",
    [
        ("=1+1", "'=1+1"),
        ("+45 1234", "'+45 1234"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Fine = good", "Fine = good"),
        ("", ""),
        (7, 7),
        (None, None),
    ],
)
def test_a_cell_that_a_spreadsheet_would_read_as_a_formula_gets_a_leading_apostrophe(value, safe):
    assert spreadsheet_safe(value) == safe


@pytest.mark.parametrize(
    "role, names",
    [
        ("owner", {"cph_best", "cph_worst", "aar_good", "par_good", "cph_old"}),
        ("regional", {"cph_best", "cph_worst", "aar_good", "cph_old"}),
        ("manager", {"cph_best", "cph_worst", "cph_old"}),
        ("associate", {"cph_best", "cph_old"}),
    ],
)
def test_the_csv_export_holds_one_row_per_response_in_scope(feedback, login, role, names):
    rows = csv_rows(login(role).get(CSV + "?period=all"))
    assert {int(row["id"]) for row in rows} == {getattr(feedback, name).pk for name in names}


def test_the_csv_export_has_the_agreed_columns_and_values(cast, feedback, login):
    page = login("owner").get(CSV)
    assert page["Content-Type"].startswith("text/csv")
    assert "attachment" in page["Content-Disposition"]
    rows = {int(row["id"]): row for row in csv_rows(page)}
    assert list(next(iter(rows.values()))) == COLUMNS
    best = rows[feedback.cph_best.pk]
    assert best["submitted_at"] == feedback.cph_best.submitted_at.isoformat()
    assert best["local_date"] == feedback.cph_best.local_date.isoformat()
    assert (best["location_code"], best["location_name"], best["region"]) == ("cph", "Copenhagen", "North")
    assert (best["touchpoint"], best["channel"], best["language"]) == (cast.in_store.name, "link", "da")
    assert best["people"] == "Anders Holm; Birgitte Lund"
    assert (best["return_likelihood"], best["expectation"], best["csat"]) == ("10", "exceeded", "")
    assert best["contact"] == "kunde@example.com"
    # A transaction reference that looks like a phone number must not turn into a formula either.
    assert best["transaction_ref"] == "'+4512345678"
    assert rows[feedback.cph_worst.pk]["contact"] == ""


def test_a_formula_in_a_comment_comes_out_of_the_csv_neutralised(feedback, login):
    rows = {int(row["id"]): row for row in csv_rows(login("owner").get(CSV))}
    assert rows[feedback.cph_worst.pk]["comment"] == "'" + INJECTION


def test_the_export_follows_the_filters(cast, feedback, login):
    rows = csv_rows(login("owner").get(f"{CSV}?location={cast.par.pk}"))
    assert [int(row["id"]) for row in rows] == [feedback.par_good.pk]
    rows = csv_rows(login("owner").get(CSV + "?outcome=below"))
    assert [int(row["id"]) for row in rows] == [feedback.cph_worst.pk]


def test_an_associates_export_names_only_themselves_and_no_customer_contact(feedback, login):
    rows = {int(row["id"]): row for row in csv_rows(login("associate").get(CSV))}
    assert rows[feedback.cph_best.pk]["people"] == "Anders Holm"
    assert rows[feedback.cph_best.pk]["contact"] == ""


def test_the_xlsx_export_opens_with_openpyxl_and_holds_the_rows_in_scope(feedback, login):
    page = login("regional").get(XLSX + "?period=all")
    assert page["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    rows = {row["id"]: row for row in xlsx_rows(page)}
    assert set(rows) == {feedback.cph_best.pk, feedback.cph_worst.pk, feedback.aar_good.pk, feedback.cph_old.pk}
    assert rows[feedback.cph_worst.pk]["comment"] == "'" + INJECTION
    assert rows[feedback.cph_best.pk]["return_likelihood"] == 10
    assert rows[feedback.aar_good.pk]["location_code"] == "aar"


def test_the_xlsx_export_stores_a_formula_like_comment_as_text(feedback, login):
    page = login("owner").get(XLSX)
    workbook = load_workbook(io.BytesIO(b"".join(page.streaming_content)))
    sheet = workbook["Responses"]
    comment_column = COLUMNS.index("comment") + 1
    cells = [sheet.cell(row=row, column=comment_column) for row in range(2, sheet.max_row + 1)]
    assert all(cell.data_type == "s" for cell in cells)


@pytest.mark.parametrize("role", ["shopper", "outsider"])
@pytest.mark.parametrize("url", [CSV, XLSX])
def test_shoppers_and_outsiders_cannot_export(feedback, login, role, url):
    assert login(role).get(url).status_code == 403
