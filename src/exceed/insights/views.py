"""The staff dashboard, the responses list and the exports: thin views over scoped selectors.

A page asked for by htmx (the filter bar, a sort link, a comment tab) gets only its fragment; the
same URL without htmx gets the whole page, so every link also works without JavaScript.
"""

from dataclasses import replace
from datetime import date
from functools import wraps

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from exceed.bounds import EARLIEST_DATE, date_problem, latest_date
from exceed.core.measures import PREDICTABLE_MIN_N
from exceed.insights import charts, exports, report, selectors, services
from exceed.insights.filters import COMMENT_TABS, PRESETS, canonical_query, filter_options, query_from_params
from exceed.org.decorators import owners_only, staff_only
from exceed.recovery.selectors import cases_visible

PAGE_SIZE = 50


def staff_view(view):
    """The one guard (org.decorators.staff_only), handing the view its scope as an argument."""

    @staff_only
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        return view(request, request.scope, *args, **kwargs)

    return wrapper


def _wants_fragment(request) -> bool:
    # A history restore (back button after a cache miss) needs the whole page, not a fragment.
    return request.headers.get("HX-Request") == "true" and request.headers.get("HX-History-Restore-Request") != "true"


def _render(request, full: str, fragment: str, context: dict, *, address: str):
    """The page or its fragment; a fragment tells htmx the clean address to show in the bar."""
    if not _wants_fragment(request):
        response = render(request, full, context)
    else:
        response = render(request, fragment, context)
        response["HX-Push-Url"] = address
    patch_vary_headers(response, ["HX-Request"])
    return response


def _query(request, scope):
    options = filter_options(scope)
    return options, query_from_params(request.GET, options)


def _measures_context(scope, query) -> dict:
    filters = query.filters
    headline = selectors.dashboard_headline(scope, filters)
    breakdowns = selectors.dashboard_breakdowns(scope, filters, sort=query.sort or selectors.DEFAULT_SORT)
    return {
        "headline": headline,
        "comparison": selectors.dashboard_comparison(scope, filters, headline),
        "trend": selectors.dashboard_trend(scope, filters, days=query.days),
        "breakdowns": _with_responses_links(breakdowns, query),
        "sort": query.sort or selectors.DEFAULT_SORT,
    }


def _with_responses_links(breakdowns, query):
    """Each breakdown row's address on the responses page: the dashboard's filters plus the row's
    own store, touchpoint or person. A row without a key ("Not specified") gets none, as the
    responses page cannot filter for a missing touchpoint."""
    base = replace(query, outcome="", sort="")
    responses_url = reverse("insights:responses")
    for breakdown in breakdowns:
        for row in breakdown.rows:
            key = row["group"]["key"]
            row["responses_url"] = responses_url + canonical_query(base, **{breakdown.dimension: key}) if key else ""
    return breakdowns


def _comments_context(scope, query) -> dict:
    return {
        "comments": selectors.dashboard_comments(scope, query.filters, expectation=query.expectation),
        "comment_tabs": COMMENT_TABS,
    }


def _address(query) -> str:
    return reverse("insights:dashboard") + canonical_query(query)


def _base_context(scope, options, query) -> dict:
    return {
        "options": options,
        "query": query,
        "filters": query.filters,
        "presets": PRESETS,
        "scope": scope,
        "date_min": EARLIEST_DATE,
        "date_max": latest_date(),
    }


@staff_view
def dashboard(request, scope):
    options, query = _query(request, scope)
    context = {
        **_base_context(scope, options, query),
        **_measures_context(scope, query),
        **_comments_context(scope, query),
    }
    context["recovery"] = _recovery_summary(scope)
    context["report_month"] = f"{selectors.previous_month(timezone.localdate()):%Y-%m}"
    return _render(
        request, "insights/dashboard.html", "insights/_dashboard_body.html", context, address=_address(query)
    )


def _recovery_summary(scope) -> dict | None:
    """Open and overdue recovery cases in scope, for the managers who must act on them (issue 3)."""
    if not scope.manages_locations:
        return None
    from exceed.recovery.selectors import CaseFilter, cases_filtered
    from exceed.recovery.workflow import ACTIVE_STATUSES

    open_cases = cases_filtered(scope, CaseFilter()).filter(status__in=ACTIVE_STATUSES)
    return {"open": open_cases.count(), "overdue": open_cases.filter(is_overdue=True).count()}


@staff_view
def dashboard_measures(request, scope):
    """The headline, trend and breakdowns alone, for a sort link; all from the daily rollup."""
    return _dashboard_part(request, scope, "insights/_measures.html", _measures_context)


@staff_view
def dashboard_comments(request, scope):
    return _dashboard_part(request, scope, "insights/_comments.html", _comments_context)


def _dashboard_part(request, scope, template: str, part_context):
    """One region of the dashboard for htmx; the whole page for a plain request to the same URL."""
    if not _wants_fragment(request):
        return dashboard(request)
    options, query = _query(request, scope)
    context = {**_base_context(scope, options, query), **part_context(scope, query), "oob": True}
    return _render(request, "insights/dashboard.html", template, context, address=_address(query))


@staff_view
def responses(request, scope):
    options, query = _query(request, scope)
    responses = selectors.responses_list(scope, query.filters, expectation=query.expectation)
    paginator = Paginator(responses.prefetch_related("people"), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    rows = [(response, selectors.people_named(scope, response.people.all())) for response in page.object_list]
    context = {**_base_context(scope, options, query), "page": page, "rows": rows}
    extra = {"page": page.number} if page.number > 1 else {}
    address = reverse("insights:responses") + canonical_query(query, **extra)
    return _render(request, "insights/responses.html", "insights/_responses_body.html", context, address=address)


@staff_view
def response_detail(request, scope, pk: int):
    response = selectors.response_in_scope(scope, pk)
    if response is None:
        raise Http404
    names, unnamed = selectors.people_named(scope, response.people.order_by("name"))
    context = {
        "response": response,
        "answers": selectors.response_answers(scope, response, language=get_language()),
        "people_names": names,
        "people_unnamed": unnamed,
        "show_contact": scope.sees_customer_contact and response.contact_consent,
        # The case this answer opened, or whose follow-up it answered, where the reader may see it.
        "case_id": cases_visible(scope).filter(response=response).values_list("pk", flat=True).first(),
        "outcome_of_id": cases_visible(scope).filter(outcome_response=response).values_list("pk", flat=True).first(),
    }
    return render(request, "insights/response_detail.html", context)


def _export_queryset(request, scope):
    _options, query = _query(request, scope)
    return selectors.responses_list(scope, query.filters, expectation=query.expectation)


def _export_name(extension: str) -> str:
    return f"exceed-responses-{timezone.localdate():%Y-%m-%d}.{extension}"


@staff_view
def export_csv(request, scope):
    lines = exports.csv_lines(scope, _export_queryset(request, scope))
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_export_name("csv")}"'
    return response


@staff_view
def export_xlsx(request, scope):
    workbook = exports.xlsx_file(scope, _export_queryset(request, scope))
    return FileResponse(
        workbook,
        as_attachment=True,
        filename=_export_name("xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def _consistency_query(request, scope):
    options, query = _query(request, scope)
    funnel_by = request.GET.get("funnel", "")
    return options, query, funnel_by if funnel_by in selectors.CONSISTENCY_FUNNELS else "location"


@staff_view
def consistency(request, scope):
    """How predictable the experience is (issue 9): all from the daily rollup, in the scope."""
    options, query, funnel_by = _consistency_query(request, scope)
    figures = selectors.consistency(scope, query.filters, funnel_by=funnel_by)
    context = {
        **_base_context(scope, options, query),
        "consistency": figures,
        "predictable_min_n": PREDICTABLE_MIN_N,
        "funnel_by": funnel_by,
        "funnel_chart": charts.funnel_chart(figures.funnel),
        "control_chart": charts.control_chart(figures.weeks),
    }
    extra = {"funnel": funnel_by} if funnel_by != "location" else {}
    address = reverse("insights:consistency") + canonical_query(query, **extra)
    return _render(request, "insights/consistency.html", "insights/_consistency_body.html", context, address=address)


def _consistency_export_name(extension: str) -> str:
    return f"exceed-consistency-{timezone.localdate():%Y-%m-%d}.{extension}"


@staff_view
def consistency_csv(request, scope):
    _options, query, funnel_by = _consistency_query(request, scope)
    figures = selectors.consistency(scope, query.filters, funnel_by=funnel_by)
    lines = exports.consistency_csv_lines(figures)
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_consistency_export_name("csv")}"'
    return response


@staff_view
def consistency_xlsx(request, scope):
    _options, query, funnel_by = _consistency_query(request, scope)
    figures = selectors.consistency(scope, query.filters, funnel_by=funnel_by)
    return FileResponse(
        exports.consistency_xlsx_file(figures),
        as_attachment=True,
        filename=_consistency_export_name("xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def _report_month(request) -> tuple[date | None, str]:
    """The month asked for (``?month=2026-10``; last month without one), or why it cannot be."""
    raw = request.GET.get("month", "")
    if not raw:
        return selectors.previous_month(timezone.localdate()), ""
    try:
        month = date.fromisoformat(raw + "-01")
    except ValueError:
        return None, _("Choose a month as year and month, for example 2026-10.")
    if problem := date_problem(month):
        return None, problem
    return month, ""


@staff_view
def monthly_report(request, scope):
    """The monthly report's PDF for a chosen month (``?month=2026-10``; last month without one)."""
    month, problem = _report_month(request)
    if month is None:
        return HttpResponseBadRequest(problem)
    pdf = report.monthly_report_pdf(scope, month)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{report.monthly_report_filename(month)}"'
    return response


@staff_view
def monthly_report_page(request, scope):
    """The same report as a printable page, with the PDF a link away."""
    month, problem = _report_month(request)
    if month is None:
        return HttpResponseBadRequest(problem)
    figures = selectors.report_monthly(scope, month)
    context = {
        "report": figures,
        "scope": scope,
        "scope_label": report.scope_label(scope),
        "month_value": f"{month:%Y-%m}",
        "trend_chart": charts.trend_chart(figures["trend"]),
    }
    return render(request, "insights/monthly_report.html", context)


class RecipientsForm(forms.Form):
    receives = forms.ModelMultipleChoiceField(
        queryset=services.report_candidates(), required=False, widget=forms.CheckboxSelectMultiple
    )


@owners_only
def report_recipients(request):
    """The owner's choice of who gets the monthly report by email."""
    if request.method == "POST":
        form = RecipientsForm(request.POST)
        if form.is_valid():
            services.report_recipients_choose(receiving_ids={user.pk for user in form.cleaned_data["receives"]})
            messages.success(request, _("Saved. The next report goes to the people ticked."))
            return redirect("insights:report_recipients")
    else:
        form = RecipientsForm()
    receiving = set(services.report_recipients().values_list("pk", flat=True))
    context = {"form": form, "candidates": services.report_candidates(), "receiving": receiving}
    return render(request, "insights/report_recipients.html", context)
