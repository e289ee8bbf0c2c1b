"""The owner's pages for customers' privacy requests: find, export, erase; and retention."""

import json

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from exceed.errors import DomainError
from exceed.org.decorators import scope_required
from exceed.privacy import selectors, services
from exceed.privacy.forms import CustomerForm, EraseForm, RetentionForm
from exceed.privacy.models import RetentionPeriod

privacy_handlers_only = scope_required(lambda scope: scope.may_handle_privacy_requests)


def _home(request, form, holdings=None, status=200):
    return render(
        request,
        "privacy/home.html",
        {"form": form, "holdings": holdings, "audit": selectors.audit_latest(request.scope)},
        status=status,
    )


@privacy_handlers_only
def home(request):
    """The search form; a POST (never a GET, so no address lands in access logs or history) finds."""
    if request.method != "POST":
        return _home(request, CustomerForm())
    form = CustomerForm(request.POST)
    if not form.is_valid():
        return _home(request, form, status=400)
    holdings = services.customer_find(scope=request.scope, identifier=form.identifier, by=request.user, via="page")
    return _home(request, form, holdings)


@privacy_handlers_only
@require_POST
def export(request):
    form = CustomerForm(request.POST)
    if not form.is_valid():
        return _home(request, form, status=400)
    found = services.customer_export_take(scope=request.scope, identifier=form.identifier, by=request.user, via="page")
    answer = HttpResponse(
        json.dumps(found, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    answer["Content-Disposition"] = f'attachment; filename="customer-{timezone.now():%Y%m%d-%H%M%S}.json"'
    return answer


@privacy_handlers_only
@require_POST
def erase(request):
    """First the confirmation page, with what will be erased; then, confirmed, the erasure."""
    form = EraseForm(request.POST)
    if not form.is_valid():
        return _home(request, form, status=400)
    if not form.cleaned_data.get("confirm"):
        holdings = selectors.customer_holdings(request.scope, form.identifier)
        return render(request, "privacy/erase_confirm.html", {"form": form, "holdings": holdings})
    counts = services.customer_erase(scope=request.scope, identifier=form.identifier, by=request.user, via="page")
    messages.success(
        request,
        _(
            "Erased. Responses: %(responses)s, invitations: %(invitations)s, recovery cases: %(cases)s, "
            "till visits: %(visits)s. The measures are unchanged."
        )
        % counts,
    )
    return HttpResponseRedirect(reverse("privacy:home"))


@privacy_handlers_only
def retention(request):
    periods = dict(RetentionPeriod.objects.values_list("kind", "days"))
    form = RetentionForm(request.POST or None, periods=periods)
    if request.method == "POST" and form.is_valid():
        try:
            for kind, days in form.cleaned_data.items():
                services.retention_set(scope=request.scope, kind=kind, days=days, by=request.user)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The retention periods were saved."))
            return HttpResponseRedirect(reverse("privacy:retention"))
    return render(request, "privacy/retention.html", {"form": form}, status=400 if form.errors else 200)
