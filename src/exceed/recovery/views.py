"""Staff pages for recovery: case list, quick capture, case detail with the playbook, steps, close."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from exceed.errors import DomainError
from exceed.org.decorators import managers_only, staff_only
from exceed.org.models import Touchpoint
from exceed.org.scopes import locations_in_scope
from exceed.recovery import services
from exceed.recovery.forms import AssignForm, CaptureForm, CaseFilterForm, CloseForm, StepForm
from exceed.recovery.models import CaseCategory, StepKind
from exceed.recovery.playbook import PLAYBOOK
from exceed.recovery.selectors import CaseFilter, assignable_people, case_get, cases_by_urgency, cases_filtered
from exceed.standards.selectors import service_failure_entries, version_text

SESSION_LOCATION, SESSION_TOUCHPOINT = "recovery:capture_location", "recovery:capture_touchpoint"


def form_error(form, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


CASES_PER_PAGE = 25


def case_filter_from(form, *, person_id: int | None = None) -> CaseFilter:
    if not form.is_valid():
        return CaseFilter()
    data = form.cleaned_data
    return CaseFilter(
        text=data.get("text") or "",
        # "My cases" for a login that is nobody's person is the empty list, not every case.
        owner=(person_id or -1) if data.get("mine") else None,
        status=data.get("status") or None,
        location=data["location"].pk if data.get("location") else None,
        category=data["category"].pk if data.get("category") else None,
        overdue=bool(data.get("overdue")),
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
    )


@staff_only
def case_list(request):
    """The triage list: overdue first, then due soonest, a page at a time."""
    form = CaseFilterForm(request.GET or None, locations=locations_in_scope(request.scope))
    # The login's own person, whatever its role: a manager's "my cases" are the ones given to them.
    person = getattr(request.user, "person", None)
    person_id = person.pk if person is not None else None
    cases = cases_by_urgency(cases_filtered(request.scope, case_filter_from(form, person_id=person_id)))
    page = Paginator(cases, CASES_PER_PAGE).get_page(request.GET.get("page"))
    for case in page:
        case.next_kind_label = StepKind(case.next_kind).label if case.next_kind else ""
    # The other filters ride along on the page links.
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "cases": page.object_list,
        "count": page.paginator.count,
        "query": query.urlencode(),
        "has_person": person_id is not None,
        "now": timezone.now(),
    }
    return render(request, "recovery/case_list.html", context)


@staff_only
def case_capture(request):
    """Log a failure in seconds; the location and touchpoint stay chosen for the next one."""
    locations = locations_in_scope(request.scope)
    if not locations.exists():
        raise PermissionDenied
    if not CaseCategory.objects.exists():
        services.categories_install()
    initial = {
        "location": request.session.get(SESSION_LOCATION) or locations.first().pk,
        "touchpoint": request.session.get(SESSION_TOUCHPOINT)
        or Touchpoint.objects.filter(code="in-store").values_list("pk", flat=True).first(),
    }
    form = CaptureForm(request.POST or None, locations=locations, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.case_open(
                **data, people=[request.user.person] if hasattr(request.user, "person") else [], by=request.user
            )
        except DomainError as error:
            form_error(form, error)
        else:
            request.session[SESSION_LOCATION] = data["location"].pk
            request.session[SESSION_TOUCHPOINT] = data["touchpoint"].pk if data["touchpoint"] else None
            messages.success(request, _("Case #%(number)s logged. Thank you!") % {"number": case.pk})
            return HttpResponseRedirect(reverse("recovery:capture"))
    return render(request, "recovery/capture.html", {"form": form})


def _case_or_404(request, pk):
    case = case_get(request.scope, pk)
    if case is None:
        raise Http404
    return case


@staff_only
def case_detail(request, pk, *, step_forms=None, close_form=None, assign_form=None, status=200):
    case = _case_or_404(request, pk)
    now = timezone.now()
    step_forms = step_forms or {}
    # The chain's published "service failure" entry for each step, where it wrote one (issue 9,
    # item 2); the built-in guidance otherwise.
    documented = service_failure_entries(touchpoint_id=case.touchpoint_id)
    language = get_language() or "en"
    steps = []
    for step in sorted(case.steps.all(), key=lambda s: (s.round, StepKind.values.index(s.kind))):
        version = documented.get(step.kind)
        steps.append(
            {
                "step": step,
                "playbook": PLAYBOOK[step.kind],
                "entry": version_text(version, language) if version else None,
                "overdue": step.done_at is None and step.due_at < now,
                "form": step_forms.get(step.kind) or StepForm(location=case.location, prefix=step.kind),
            }
        )
    context = {
        "case": case,
        "steps": steps,
        "close_form": close_form or CloseForm(),
        "can_close": request.scope.manages_locations,
        # Associates may be the subject of the complaint: the customer's contact is for managers.
        "show_contact": request.scope.manages_locations,
        "history": case.status_changes.all(),
        "assignments": case.assignments.all(),
        "assign_form": assign_form or AssignForm(people=assignable_people(case), initial={"owner": case.owner_id}),
    }
    return render(request, "recovery/case_detail.html", context, status=status)


@require_POST
@staff_only
def step_record(request, pk, kind):
    case = _case_or_404(request, pk)
    if kind not in StepKind.values:
        raise Http404
    form = StepForm(request.POST, location=case.location, prefix=kind)
    if form.is_valid():
        try:
            services.step_record(case=case, kind=kind, by=request.user, **form.cleaned_data)
        except DomainError as error:
            if error.status == 409:
                # The step's form is gone from the page once done, so say it at the top.
                messages.error(request, error.message)
                return case_detail(request, pk, status=409)
            form_error(form, error)
        else:
            messages.success(request, _("Recorded: %(step)s.") % {"step": StepKind(kind).label})
            return HttpResponseRedirect(reverse("recovery:case_detail", args=[case.pk]) + f"#step-{kind}")
    return case_detail(request, pk, step_forms={kind: form}, status=400)


@require_POST
@managers_only
def case_close(request, pk):
    case = _case_or_404(request, pk)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.case_close(case=case, by=request.user, reason=form.cleaned_data["reason"])
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The case is closed."))
            return HttpResponseRedirect(reverse("recovery:case_detail", args=[case.pk]))
    return case_detail(request, pk, close_form=form, status=400)


@require_POST
@managers_only
def case_reopen(request, pk):
    case = _case_or_404(request, pk)
    try:
        services.case_reopen(case=case, by=request.user, note=request.POST.get("note", ""))
    except DomainError as error:
        messages.error(request, error.message)
    return HttpResponseRedirect(reverse("recovery:case_detail", args=[case.pk]))


@require_POST
@managers_only
def case_assign(request, pk):
    case = _case_or_404(request, pk)
    form = AssignForm(request.POST, people=assignable_people(case))
    if form.is_valid():
        try:
            services.case_assign(case=case, owner=form.cleaned_data["owner"], by=request.user)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Case assigned to %(person)s.") % {"person": form.cleaned_data["owner"].name})
            return HttpResponseRedirect(reverse("recovery:case_detail", args=[case.pk]))
    return case_detail(request, pk, assign_form=form, status=400)
