"""The recovery dashboard and export (managers); the rules, failure categories and step deadlines (owners)."""

import csv

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from exceed.bounds import MAX_DB_INT
from exceed.core.texts import translations_from
from exceed.errors import DomainError
from exceed.org.decorators import managers_only, owners_only, scope_required
from exceed.org.scopes import locations_in_scope
from exceed.recovery import services
from exceed.recovery.defaults import DEADLINE_HOURS
from exceed.recovery.forms import CaseFilterForm, CategoryForm, DeadlineForm, RuleForm, SettingsForm
from exceed.recovery.measures import (
    GROUPINGS,
    figure_dict,
    recovery_measures,
    recovery_measures_and_total,
)
from exceed.recovery.models import CaseCategory, DeadlinePolicy, StepKind
from exceed.recovery.selectors import rules_visible
from exceed.recovery.views import case_filter_from, form_error
from exceed.spreadsheets import spreadsheet_safe


def _grouping(request) -> list[str]:
    names = [name for name in request.GET.get("group_by", "location").split(",") if name]
    return [name for name in names if name in GROUPINGS][:2]


@managers_only
def dashboard(request):
    form = CaseFilterForm(request.GET or None, locations=locations_in_scope(request.scope))
    filters = case_filter_from(form)
    group_by = _grouping(request)
    total, rows = recovery_measures_and_total(request.scope, filters, group_by)
    context = {
        "form": form,
        "total": total,
        "rows": rows,
        "group_by": ",".join(group_by),
        "groupings": [
            ("location", _("Location")),
            ("region", _("Region")),
            ("month", _("Month")),
            ("location,month", _("Location and month")),
        ],
        "query": request.GET.urlencode(),
    }
    return render(request, "recovery/dashboard.html", context)


EXPORT_COLUMNS = [
    ("failures", lambda r: r["failures"]),
    ("recovered", lambda r: r["recovered"]),
    ("recovery_rate_pct", lambda r: r["recovery_rate"].value),
    ("acknowledge_median_s", lambda r: r["acknowledge_seconds"].get("median")),
    ("acknowledge_p90_s", lambda r: r["acknowledge_seconds"].get("p90")),
    ("close_median_s", lambda r: r["close_seconds"].get("median")),
    ("close_p90_s", lambda r: r["close_seconds"].get("p90")),
    ("steps_on_time_pct", lambda r: r["steps_on_time"].value),
    ("steps_n", lambda r: r["steps_on_time"].n),
    ("recovery_satisfaction_pct", lambda r: r["recovery_satisfaction"].value),
    ("recovery_satisfaction_n", lambda r: r["recovery_satisfaction"].n),
    ("impressed", lambda r: r["impressed"]),
    ("double_deviations", lambda r: r["double_deviations"]),
    ("loyal_conversions", lambda r: r["loyal_conversions"]),
    ("return_score_after_recovery", lambda r: r["paradox"]["return_score_after_recovery"].value),
    ("return_score_after_recovery_n", lambda r: r["paradox"]["return_score_after_recovery"].n),
    ("return_score_after_recovery_ci_low", lambda r: r["paradox"]["return_score_after_recovery"].low),
    ("return_score_after_recovery_ci_high", lambda r: r["paradox"]["return_score_after_recovery"].high),
    ("return_score_no_failure", lambda r: r["paradox"]["return_score_no_failure"].value),
    ("return_score_no_failure_n", lambda r: r["paradox"]["return_score_no_failure"].n),
    ("return_score_no_failure_ci_low", lambda r: r["paradox"]["return_score_no_failure"].low),
    ("return_score_no_failure_ci_high", lambda r: r["paradox"]["return_score_no_failure"].high),
    ("observed_return_after_failure_pct", lambda r: r["paradox"]["observed_return_after_failure"].value),
    ("observed_return_after_failure_n", lambda r: r["paradox"]["observed_return_after_failure"].n),
    ("observed_return_no_failure_pct", lambda r: r["paradox"]["observed_return_no_failure"].value),
    ("observed_return_no_failure_n", lambda r: r["paradox"]["observed_return_no_failure"].n),
]


@managers_only
def export_csv(request):
    form = CaseFilterForm(request.GET or None, locations=locations_in_scope(request.scope))
    group_by = _grouping(request) if "group_by" in request.GET else ["location", "month"]
    rows = recovery_measures(request.scope, case_filter_from(form), group_by)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="recovery-measures.csv"'
    writer = csv.writer(response)
    group_columns = []
    for name in group_by:
        group_columns += [name] if name == "month" else [name, f"{name}_name"]
    writer.writerow(group_columns + [name for name, _value in EXPORT_COLUMNS])
    for row in rows:
        group = figure_dict(row["group"])
        values = []
        for name in group_by:
            values += [group.get(name)] if name == "month" else [group.get(name), group.get(f"{name}_label")]
        # Location and region names are typed by people: neutralise formulas (exceed.spreadsheets).
        writer.writerow([spreadsheet_safe(value) for value in values + [value(row) for _name, value in EXPORT_COLUMNS]])
    return response


@owners_only
def rules(request):
    """The owner's rules for opening cases, and the follow-up and loyalty timings."""
    settings_row = services.settings_get()
    edit = request.GET.get("edit", "")
    if edit and not (edit.isascii() and edit.isdigit() and int(edit) <= MAX_DB_INT):
        raise Http404("No such rule.")  # ?edit=abc or a NUL was a 500 (issue 7)
    editing = get_object_or_404(rules_visible(request.scope), pk=edit) if edit else None
    initial = {}
    if editing:
        initial = {name: getattr(editing, name) for name in RuleForm.base_fields}
    else:
        initial = {"expectation_below": True, "return_at_most": 6, "active": True}
    rule_form = RuleForm(request.POST if request.POST.get("form") == "rule" else None, initial=initial)
    settings_form = SettingsForm(
        request.POST if request.POST.get("form") == "settings" else None,
        initial={
            "followup_delay_hours": settings_row.followup_delay_hours,
            "loyalty_window_days": settings_row.loyalty_window_days,
            "digest_minutes": settings_row.digest_minutes,
        },
    )
    if request.method == "POST":
        form = rule_form if request.POST.get("form") == "rule" else settings_form
        if form.is_valid():
            try:
                if form is rule_form:
                    services.rule_save(rule=editing, **form.cleaned_data)
                else:
                    services.settings_update(**form.cleaned_data)
            except DomainError as error:
                form_error(form, error)
            else:
                messages.success(request, _("Saved."))
                return HttpResponseRedirect(reverse("recovery:rules"))
    context = {
        "rules": rules_visible(request.scope),
        "rule_form": rule_form,
        "settings_form": settings_form,
        "editing": editing,
    }
    return render(request, "recovery/rules.html", context, status=400 if request.method == "POST" else 200)


# --- Failure categories and step deadlines (owners) --------------------------------------------

recovery_settings_only = scope_required(lambda scope: scope.manages_recovery_settings)


@recovery_settings_only
def categories(request):
    return render(
        request, "recovery/category_list.html", {"categories": CaseCategory.objects.order_by("position", "name")}
    )


@recovery_settings_only
def category_edit(request, category_id=None):
    category = get_object_or_404(CaseCategory, pk=category_id) if category_id is not None else None
    form = CategoryForm(request.POST or None, instance=category)
    if category is not None:
        # The code is how imports and the API name a category; it does not change.
        form.fields["code"].disabled = True
    else:
        form.fields["active"].disabled = True
        form.initial["active"] = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        names = translations_from(data, "names")
        try:
            if category is None:
                category = services.category_create(
                    code=data["code"], name=data["name"], names=names, position=data["position"]
                )
            else:
                services.category_update(
                    category=category, name=data["name"], names=names, position=data["position"], active=data["active"]
                )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The category %(name)s was saved.") % {"name": category})
            return HttpResponseRedirect(reverse("recovery:categories"))
    status = 400 if request.method == "POST" else 200
    return render(request, "recovery/category_form.html", {"form": form, "category": category}, status=status)


@recovery_settings_only
def deadlines(request):
    """Every step deadline an owner set, the built-in ones, and a form to set one more."""
    form = DeadlineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.deadline_policy_save(**form.cleaned_data)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The step deadline was saved."))
            return HttpResponseRedirect(reverse("recovery:deadlines"))
    policies = DeadlinePolicy.objects.select_related("category").order_by(
        "category__position", "category__name", "severity", "step"
    )
    built_in = [(label, DEADLINE_HOURS[value]) for value, label in StepKind.choices]
    context = {"form": form, "policies": policies, "built_in": built_in}
    return render(request, "recovery/deadlines.html", context, status=400 if request.method == "POST" else 200)


@recovery_settings_only
@require_POST
def deadline_delete(request, policy_id):
    services.deadline_policy_delete(policy=get_object_or_404(DeadlinePolicy, pk=policy_id))
    messages.success(request, _("The step deadline was removed; the next general one applies to new cases."))
    return HttpResponseRedirect(reverse("recovery:deadlines"))
