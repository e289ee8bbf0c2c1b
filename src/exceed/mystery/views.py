"""The owner's and managers' pages: the overview, a report with its review and disputes, the
rewards ledger and its CSV, shoppers and their invitations, calibration pairs."""

import csv
from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Avg, Count, Q
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from exceed.core.texts import LANGUAGE_CHOICES, translated
from exceed.errors import DomainError
from exceed.mystery import selectors
from exceed.mystery.models import Assignment, Dispute, RewardEntry, Scorecard, Shopper
from exceed.mystery.services import assignments as assignment_services
from exceed.mystery.services import review as review_services
from exceed.mystery.services import shoppers as shopper_services
from exceed.org.decorators import owners_only, scope_required
from exceed.org.models import Location
from exceed.spreadsheets import spreadsheet_safe

anyone_in_mystery = scope_required(
    lambda scope: scope.runs_mystery_shopping or scope.sees_mystery_reports or scope.is_mystery_shopper
)
# The report page, also for an employee the report names.
report_readers = scope_required(
    lambda scope: (
        scope.runs_mystery_shopping
        or scope.sees_mystery_reports
        or scope.is_mystery_shopper
        or scope.sees_reports_naming_them
    )
)


@anyone_in_mystery
def home(request):
    scope = request.scope
    if scope.is_mystery_shopper:
        return HttpResponseRedirect(reverse("mystery:shop"))
    context = {"reports": selectors.reports_visible(scope).filter(approved_at__isnull=False)[:100]}
    if scope.runs_mystery_shopping:
        now = timezone.now()
        context.update(
            programmes=selectors.programmes_visible(scope),
            queue=selectors.review_queue(scope),
            disputes=selectors.disputes_open(scope),
            upcoming=selectors.assignments_visible(scope).filter(status__in=("open", "claimed"), window_end__gt=now)[
                :100
            ],
            leniency=selectors.leniency_index(scope),
            gaps=selectors.calibration_gaps(scope),
            shoppers=Shopper.objects.filter(active=True),
        )
    return render(request, "mystery/home.html", context)


@report_readers
def report_detail(request, pk: int):
    selectors.id_possible(pk)
    scope = request.scope
    report = selectors.report_get(scope, pk)
    language = translation.get_language() or "en"
    answers = [
        {
            "answer": a,
            "text": translated(a.item.text, language),
            "section": translated(a.item.section.title, language),
            "attribute": translated(a.item.charter_attribute.name, language) if a.item.charter_attribute else "",
            "entry": a.item.playbook_entry,
        }
        for a in report.answers.select_related(
            "item__section", "item__charter_attribute", "item__playbook_entry__situation"
        )
    ]
    context = {
        "report": report,
        "assignment": report.assignment,
        "answers": answers,
        "sections": report.section_scores.all(),
        "shows_shopper": selectors.shows_shopper(scope),
        "people": report.people.select_related("person"),
        "disputes": report.disputes.select_related("item"),
        "may_dispute": report.counts and scope.may_dispute_at(report.assignment.location_id),
        "may_review": scope.runs_mystery_shopping and report.assignment.status == "submitted",
        "evidence": report.evidence.filter(expired_at__isnull=True) if scope.runs_mystery_shopping else [],
        "corrective": report.corrective_cases.select_related("case"),
        "checks": report.checks.select_related("case"),
        "history": report.assignment.changes.all() if scope.runs_mystery_shopping else [],
    }
    return render(request, "mystery/report_detail.html", context)


@require_POST
@owners_only
def report_review(request, pk: int):
    selectors.id_possible(pk)
    assignment = Assignment.objects.filter(pk=pk).select_related("programme", "location").first()
    if assignment is None:
        raise Http404
    action, comment = request.POST.get("action"), request.POST.get("comment", "")
    try:
        if action == "approve":
            rating = request.POST.get("rating")
            review_services.report_approve(
                assignment=assignment, by=request.user, rating=int(rating) if rating else None, note=comment
            )
        elif action == "exclude":
            review_services.report_approve(assignment=assignment, by=request.user, exclude=True, note=comment)
        elif action == "return":
            review_services.report_return(assignment=assignment, by=request.user, comment=comment)
        elif action == "reject":
            review_services.report_reject(assignment=assignment, by=request.user, comment=comment)
        else:
            raise DomainError(_("Unknown action."), field="action")
        messages.success(request, _("Review saved."))
    except (DomainError, ValueError) as error:
        messages.error(request, getattr(error, "message", _("Please give a rating from 1 to 5.")))
    return HttpResponseRedirect(reverse("mystery:report_detail", args=[pk]))


@require_POST
@anyone_in_mystery
def dispute_raise(request, pk: int):
    selectors.id_possible(pk)
    report = selectors.report_get(request.scope, pk)
    try:
        review_services.dispute_raise(
            report=report,
            item_code=request.POST.get("item", ""),
            reason=request.POST.get("reason", ""),
            by=request.user,
        )
        messages.success(request, _("Your dispute is with the owner."))
    except DomainError as error:
        if error.status == 403:
            raise PermissionDenied from None
        messages.error(request, error.message)
    return HttpResponseRedirect(reverse("mystery:report_detail", args=[pk]))


@require_POST
@owners_only
def dispute_decide(request, pk: int):
    selectors.id_possible(pk)
    dispute = Dispute.objects.filter(pk=pk).select_related("report", "item").first()
    if dispute is None:
        raise Http404
    try:
        value = request.POST.get("value", "").strip()
        review_services.dispute_decide(
            dispute=dispute,
            by=request.user,
            uphold=request.POST.get("action") != "change",
            decision=request.POST.get("decision", ""),
            value=float(value) if value else None,
            not_applicable=request.POST.get("na") == "1",
        )
        messages.success(request, _("Decision saved."))
    except (DomainError, ValueError) as error:
        messages.error(request, getattr(error, "message", _("Please give a number.")))
    return HttpResponseRedirect(reverse("mystery:report_detail", args=[dispute.report.assignment_id]))


@owners_only
def rewards(request):
    entries = selectors.rewards_visible(request.scope)
    return render(
        request,
        "mystery/rewards.html",
        {"due": entries.filter(paid_on__isnull=True), "paid": entries.filter(paid_on__isnull=False)[:100]},
    )


@require_POST
@owners_only
def reward_pay(request, pk: int):
    selectors.id_possible(pk)
    entry = RewardEntry.objects.filter(pk=pk).first()
    if entry is None:
        raise Http404
    try:
        paid_on = date.fromisoformat(request.POST.get("paid_on") or timezone.now().date().isoformat())
        review_services.reward_pay(
            entry=entry,
            paid_on=paid_on,
            method=request.POST.get("method", ""),
            reference=request.POST.get("reference", ""),
            by=request.user,
        )
        messages.success(request, _("Payment recorded."))
    except DomainError as error:
        messages.error(request, error.message)
    except ValueError:
        messages.error(request, _("Please give the payment date as YYYY-MM-DD."))
    return HttpResponseRedirect(reverse("mystery:rewards"))


@owners_only
def rewards_csv(request):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mystery-payments-due.csv"'
    writer = csv.writer(response)
    writer.writerow(["shopper", "email", "programme", "location", "period", "kind", "amount", "currency", "owed_at"])
    for entry in selectors.rewards_visible(request.scope).filter(paid_on__isnull=True):
        row = [
            entry.shopper.display_name,
            entry.shopper.user.email,
            entry.assignment.programme.name,
            entry.assignment.location.name,
            entry.assignment.period,
            entry.kind,
            entry.amount,
            entry.currency,
            entry.owed_at.date().isoformat(),
        ]
        writer.writerow([spreadsheet_safe(value) for value in row])
    return response


@owners_only
def shoppers(request):
    if request.method == "POST":
        try:
            known = Location.objects.filter(pk__in=request.POST.getlist("known_at"))
            shopper_services.shopper_invite(
                email=request.POST.get("email", ""),
                name=request.POST.get("name", ""),
                language=request.POST.get("language", "en"),
                known_at=list(known),
                by=request.user,
            )
            messages.success(request, _("Invitation sent."))
            return HttpResponseRedirect(reverse("mystery:shoppers"))
        except DomainError as error:
            messages.error(request, error.message)
    context = {
        "shoppers": Shopper.objects.prefetch_related("excluded_locations")
        .select_related("user")
        .annotate(rating=Avg("reports__shopper_rating"), shops=Count("reports", filter=Q(reports__counts=True))),
        "locations": Location.objects.filter(active=True),
        "language_choices": LANGUAGE_CHOICES,
        "values": request.POST,
    }
    return render(request, "mystery/shoppers.html", context)


@require_POST
@owners_only
def calibrate(request, pk: int):
    selectors.id_possible(pk)
    assignment = Assignment.objects.filter(pk=pk).first()
    if assignment is None:
        raise Http404
    try:
        first = Shopper.objects.get(pk=request.POST.get("first") or 0)
        second = Shopper.objects.get(pk=request.POST.get("second") or 0)
        assignment_services.calibration_pair_create(assignment=assignment, first=first, second=second, by=request.user)
        messages.success(request, _("Calibration pair created."))
    except Shopper.DoesNotExist:
        messages.error(request, _("Please choose two shoppers."))
    except DomainError as error:
        messages.error(request, error.message)
    return HttpResponseRedirect(reverse("mystery:home"))


@owners_only
def programme_new(request):
    """A new programme; "from the template" builds the method's scorecard in five languages."""
    from exceed.mystery.forms import TEMPLATE_CHOICE, ProgrammeForm
    from exceed.mystery.services.programmes import programme_create
    from exceed.mystery.services.scorecards import scorecard_from_definition
    from exceed.mystery.template import TEMPLATE

    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                scorecard = (
                    scorecard_from_definition(definition=TEMPLATE, strict_links=False)
                    if data["scorecard"] == TEMPLATE_CHOICE
                    else Scorecard.objects.get(pk=data["scorecard"])
                )
                programme_create(
                    **{
                        key: data[key]
                        for key in (
                            "name",
                            "touchpoint",
                            "rhythm",
                            "interval_days",
                            "lockout_days",
                            "claims_per_period",
                            "reward_amount",
                            "reward_currency",
                            "expense_cap",
                            "min_shops_ranked",
                            "case_threshold",
                            "evidence_days",
                        )
                    },
                    scorecard=scorecard,
                    windows=form.windows(),
                    locations=list(data["locations"]),
                )
            messages.success(request, _("Programme created; its shops are generated within the quarter hour."))
            return HttpResponseRedirect(reverse("mystery:home"))
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
    return render(request, "mystery/programme_new.html", {"form": form})


@owners_only
def evidence_file(request, pk: int):
    """A photo or receipt, for the owner only; gone once the evidence period has passed."""
    selectors.id_possible(pk)
    from django.http import FileResponse

    from exceed.mystery.models import Evidence

    evidence = Evidence.objects.filter(pk=pk, expired_at__isnull=True).first()
    if evidence is None or not evidence.file:
        raise Http404
    response = FileResponse(evidence.file.open("rb"), content_type=evidence.content_type)
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@owners_only
def shopper_active(request, pk: int):
    """Pause a shopper (no new claims, no sign-in) or let them shop again."""
    selectors.id_possible(pk)
    shopper = Shopper.objects.filter(pk=pk).first()
    if shopper is None:
        raise Http404
    shopper_services.shopper_set_active(shopper=shopper, active=request.POST.get("active") == "1")
    messages.success(request, _("Saved."))
    return HttpResponseRedirect(reverse("mystery:shoppers"))


@require_POST
@owners_only
def shopper_link(request, pk: int):
    """A new sign-in link by email: each link works once, and a shopper has no password to fall back on."""
    selectors.id_possible(pk)
    shopper = Shopper.objects.filter(pk=pk, active=True).select_related("user").first()
    if shopper is None:
        raise Http404
    shopper_services.signin_email_send(shopper=shopper)
    messages.success(request, _("A new sign-in link is on its way."))
    return HttpResponseRedirect(reverse("mystery:shoppers"))


results_readers = scope_required(lambda scope: scope.runs_mystery_shopping or scope.sees_mystery_reports)


def _results(request):
    """The results for the filter in the query string; None with the form's errors when it is wrong."""
    from exceed.mystery.forms import ResultsForm

    programmes = selectors.programmes_for_results(request.scope)
    form = ResultsForm(request.GET or None, programmes=programmes)
    if request.GET and not form.is_valid():
        return form, None
    data = form.cleaned_data if request.GET else {}
    programme = data.get("programme") or programmes.first()
    if programme is None:
        return form, None
    return form, selectors.results_for(
        request.scope, programme=programme, since=data.get("since"), until=data.get("until")
    )


@results_readers
def results(request):
    form, found = _results(request)
    status = 400 if form.errors else 200
    return render(request, "mystery/results.html", {"form": form, "results": found}, status=status)


@results_readers
def results_csv(request):
    from exceed.mystery import exports

    form, found = _results(request)
    if found is None:
        return HttpResponse(_("No results for this choice."), status=400 if form.errors else 404)
    response = HttpResponse(exports.results_csv(found), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="mystery-results-{date.today():%Y-%m-%d}.csv"'
    return response


@results_readers
def results_xlsx(request):
    from django.http import FileResponse

    from exceed.mystery import exports

    form, found = _results(request)
    if found is None:
        return HttpResponse(_("No results for this choice."), status=400 if form.errors else 404)
    return FileResponse(
        exports.results_xlsx(found),
        as_attachment=True,
        filename=f"mystery-results-{date.today():%Y-%m-%d}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
