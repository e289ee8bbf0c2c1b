"""The monthly report as a PDF (issue 8, item 10): the figures of ``selectors.report_monthly``
laid out on A4 in the active language.

fpdf2 (LGPL-3.0, pure Python) writes the file. Store names and the other languages' letters
(Estonian š and ž, Danish ø) are outside the PDF core fonts' Latin-1, so the text is set in DejaVu
Sans, shipped with the code (static/fonts, its licence beside it); only the letters used are
embedded, which keeps a report near 30 kB.
"""

from datetime import date
from pathlib import Path

from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from exceed.core.measures import Figure
from exceed.insights.selectors import report_monthly
from exceed.insights.templatetags.insights_tags import expectation_short, percent_text, score_text, signed
from exceed.org.models import Region
from exceed.org.scopes import Scope, locations_in_scope

FONT = Path(__file__).resolve().parent.parent / "static" / "fonts" / "DejaVuSans.ttf"
LABEL_WIDTH = 70
COMMENT_CHARS = 400


def month_label(month: date) -> str:
    return date_format(month, "YEAR_MONTH_FORMAT")


def _score(figure: Figure | None) -> str:
    return score_text(figure)


def _percent(figure: Figure | None) -> str:
    return percent_text(figure)


class _Document(FPDF):
    def __init__(self, title: str):
        super().__init__(format="A4")
        self.add_font("DejaVu", "", str(FONT))
        self.set_title(title)
        self.set_creator("Exceed")
        self.set_auto_page_break(auto=True, margin=15)
        self.report_title = title

    def footer(self):
        self.set_y(-12)
        self.set_font("DejaVu", size=8)
        self.cell(0, 6, f"{self.report_title} · {self.page_no()}", align="C")

    def heading(self, text: str, size: int = 13):
        # A section starts on a new page rather than leave its heading with a row or two.
        if self.get_y() > self.h - 60:
            self.add_page()
        self.set_font("DejaVu", size=size)
        self.ln(3)
        self.multi_cell(0, 8, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font("DejaVu", size=9)

    def figures(self, header: list[str], rows: list[list[str]], widths: tuple[int, ...], *, size: int = 9):
        self.set_font("DejaVu", size=size)
        # One font file only: headings stand out by their shade, not by a bold face.
        heading = FontFace(emphasis="", fill_color=(235, 235, 235))
        with self.table(
            col_widths=widths, width=sum(widths), align="LEFT", text_align="LEFT", line_height=6, headings_style=heading
        ) as table:
            for row in [header, *rows]:
                cells = table.row()
                for value in row:
                    cells.cell(value)


def report_pdf(report: dict, *, scope_label: str, compress: bool = True) -> bytes:
    """The report as PDF bytes. ``compress=False`` leaves the page contents readable (tests)."""
    month, previous = report["month"], report["previous"]
    title = _("Monthly report: %(month)s") % {"month": month_label(month)}
    pdf = _Document(title)
    pdf.set_compression(compress)
    pdf.add_page()
    pdf.heading(title, size=16)
    pdf.set_font("DejaVu", size=10)
    pdf.multi_cell(0, 6, scope_label, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    now, before = report["current_figures"], report["previous_figures"]
    pdf.heading(_("Headline"))
    rows = [
        [_("Responses"), str(now["responses"]), str(before["responses"])],
        [_("Return score"), _score(now["return_score"]), _score(before["return_score"])],
        [_("Expectation index"), _score(now["expectation_index"]), _score(before["expectation_index"])],
    ]
    for key, label in (("exceeded", _("Exceeded")), ("met", _("Met")), ("below", _("Below"))):
        rows.append([label, _percent(now["outcome_shares"][key]), _percent(before["outcome_shares"][key])])
    if now["csat"].n or before["csat"].n:
        rows.append([_("CSAT"), _percent(now["csat"]), _percent(before["csat"])])
    pdf.figures(["", month_label(month), month_label(previous)], rows, (LABEL_WIDTH, 60, 60))

    pdf.heading(_("By location"))
    if report["locations"]:
        pdf.figures(
            [_("Location"), _("Region"), _("Responses"), _("Return score"), month_label(previous), _("Exceeded")],
            [
                [
                    row["name"],
                    row["region"],
                    str(row["responses"]),
                    _score(row["return_score"]),
                    signed(row["return_score_before"].value) if row["return_score_before"] else "–",
                    _percent(row["exceeded_share"]),
                ]
                for row in report["locations"]
            ],
            (42, 34, 18, 50, 20, 26),
            size=8,  # six columns: the smaller size keeps most rows on one line
        )
    else:
        pdf.multi_cell(0, 6, _("No locations in your scope."), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    pdf.heading(_("Trend: the last six months"))
    pdf.figures(
        [_("Month"), _("Responses"), _("Return score")],
        [[month_label(row["month"]), str(row["responses"]), _score(row["return_score"])] for row in report["trend"]],
        (LABEL_WIDTH, 30, 70),
    )

    recovery = report["recovery"]
    if recovery is not None:
        pdf.heading(_("Service recovery"))
        pdf.figures(
            ["", month_label(month)],
            [
                [_("Cases opened"), str(recovery["opened"])],
                [_("Recovered"), str(recovery["recovered"])],
                [_("Recovery rate"), _percent(recovery["recovery_rate"])],
                [_("Steps on time"), _percent(recovery["steps_on_time"])],
                [_("Still open"), str(recovery["open"])],
                [_("Overdue now"), str(recovery["overdue"])],
            ],
            (LABEL_WIDTH, 60),
        )

    pdf.heading(_("Latest comments"))
    if report["comments"]:
        for response in report["comments"]:
            pdf.set_font("DejaVu", size=9)
            # A long comment is cut: the report is a digest, the whole text is a click away.
            comment = Truncator(response.comment).chars(COMMENT_CHARS)
            pdf.multi_cell(0, 5, f"“{comment}”", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.set_font("DejaVu", size=8)
            meta = [response.location.name, date_format(response.local_date, "DATE_FORMAT")]
            if word := expectation_short(response.expectation):
                meta.append(word)
            if response.return_likelihood is not None:
                meta.append(_("Return %(score)s/10") % {"score": response.return_likelihood})
            pdf.multi_cell(0, 5, " · ".join(meta), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(2)
    else:
        pdf.multi_cell(0, 6, _("No comments this month."), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    pdf.ln(4)
    pdf.set_font("DejaVu", size=8)
    pdf.multi_cell(
        0,
        5,
        _(
            "Scores run from −100 to +100; in brackets the number of answers and the 95 % interval. "
            "Figures are counted by each store's local date."
        ),
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    return bytes(pdf.output())


def scope_label(scope: Scope) -> str:
    """Whom the report covers, in words: the chain, the regions, or the stores."""
    if scope.location_ids is None:
        return _("All locations")
    if scope.region_ids:
        names = Region.objects.filter(pk__in=scope.region_ids).order_by("name").values_list("name", flat=True)
        return _("Regions: %(names)s") % {"names": ", ".join(names)}
    names = locations_in_scope(scope).order_by("name").values_list("name", flat=True)
    return _("Locations: %(names)s") % {"names": ", ".join(names)}


def monthly_report_pdf(scope: Scope, month: date, *, compress: bool = True) -> bytes:
    """The report on ``month`` for ``scope``, in the active language."""
    return report_pdf(report_monthly(scope, month), scope_label=scope_label(scope), compress=compress)


def monthly_report_filename(month: date) -> str:
    return f"exceed-report-{month:%Y-%m}.pdf"
