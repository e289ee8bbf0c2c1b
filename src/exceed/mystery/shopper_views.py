"""The shopper's pages, made for a phone: sign in from the emailed link, accept the terms, claim a
shop, fill the report on the spot (saved as a draft), add photos, submit."""

import math
from datetime import datetime

from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from exceed.bounds import MAX_DB_INT
from exceed.core.measures import Outcome
from exceed.core.texts import translated
from exceed.errors import DomainError
from exceed.feedback.respondent import client_address, throttle_exceeded
from exceed.logins import TwoFactorCheck, _code_field
from exceed.mystery.models import Assignment, Item, LocationPolicy, Report
from exceed.mystery.notice import notice_acknowledged
from exceed.mystery.selectors import id_possible, open_shops_by_distance, shop_list_for, shopper_of
from exceed.mystery.services import assignments as assignment_services
from exceed.mystery.services import reports as report_services
from exceed.mystery.services import shoppers as shopper_services
from exceed.mystery.services.scorecards import scorecard_current
from exceed.org.decorators import scope_required

shoppers_only = scope_required(lambda scope: scope.is_mystery_shopper)


def signin(request, token: str):
    """GET shows a button, POST signs in: a mail scanner that opens the link does not use it up."""
    try:
        user = shopper_services.signin_user(token=token)
    except DomainError as error:
        return render(request, "mystery/signin.html", {"error": error.message}, status=400)
    if request.method == "POST":
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return _in_shoppers_language(HttpResponseRedirect(reverse("mystery:shop")), user.shopper)
    return render(request, "mystery/signin.html", {"name": user.shopper.display_name})


def _shopper(request):
    shopper = shopper_of(request.user)
    if shopper is None:
        raise Http404
    return shopper


@shoppers_only
def shop(request):
    shopper = _shopper(request)
    if shopper.terms_accepted_at is None:
        return render(request, "mystery/terms.html", {"terms": shopper_services.terms_text()})
    own, open_ = shop_list_for(shopper)
    near, further = open_shops_by_distance(shopper, open_)
    return render(request, "mystery/shop.html", {"shopper": shopper, "own": own, "open": near, "further": further})


@require_POST
@shoppers_only
def terms_accept(request):
    shopper = _shopper(request)
    if request.POST.get("accept") != "yes":
        messages.error(request, _("Please tick the box to accept the terms."))
    else:
        shopper_services.shopper_accept_terms(
            shopper=shopper, wording=shopper_services.terms_text(), language=translation.get_language() or "en"
        )
    return HttpResponseRedirect(reverse("mystery:shop"))


def _own_or_claimable(shopper, pk: int) -> Assignment:
    assignment = Assignment.objects.select_related("programme", "location").filter(pk=pk).first()
    if assignment is None or assignment.shopper_id not in (None, shopper.pk):
        raise Http404  # someone else's shop does not exist, as far as this shopper can tell
    return assignment


@require_POST
@shoppers_only
def claim(request, pk: int):
    id_possible(pk)
    shopper = _shopper(request)
    assignment = _own_or_claimable(shopper, pk)
    try:
        assignment_services.assignment_claim(assignment=assignment, shopper=shopper)
    except DomainError as error:
        messages.error(request, error.message)
        return HttpResponseRedirect(reverse("mystery:shop"))
    messages.success(request, _("The shop is yours. Fill in the report during or right after your visit."))
    return HttpResponseRedirect(reverse("mystery:report_form", args=[pk]))


@require_POST
@shoppers_only
def release(request, pk: int):
    id_possible(pk)
    shopper = _shopper(request)
    try:
        assignment_services.assignment_release(assignment=_own_or_claimable(shopper, pk), shopper=shopper)
    except DomainError as error:
        messages.error(request, error.message)
    return HttpResponseRedirect(reverse("mystery:shop"))


def _local(value: str, zone) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value).replace(tzinfo=zone)
    except ValueError:
        raise DomainError(_("Please give a date and time."), field="time_in") from None


def _number(value: str, field: str) -> float | None:
    value = (value or "").strip().replace(",", ".")
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        raise DomainError(_("Please give a number."), field=field) from None
    if not math.isfinite(number):  # "nan", "inf", "1e999" parse, and would fail later as a 500
        raise DomainError(_("Please give a number."), field=field)
    return number


def _answers_from(post, items) -> dict:
    answers = {}
    for item in items:
        code = item.code
        answers[code] = report_services.AnswerInput(
            value=_number(post.get(f"v_{code}", ""), code),
            not_applicable=post.get(f"na_{code}") == "1",
            comment=post.get(f"c_{code}", ""),
            text=post.get(f"t_{code}", ""),
        )
    return answers


def _values_from_report(report: Report | None, zone) -> dict:
    if report is None:
        return {}
    values: dict = {
        "time_in": report.time_in.astimezone(zone).strftime("%Y-%m-%dT%H:%M") if report.time_in else "",
        "time_out": report.time_out.astimezone(zone).strftime("%Y-%m-%dT%H:%M") if report.time_out else "",
        "narrative": report.narrative,
        "return_likelihood": "" if report.return_likelihood is None else str(report.return_likelihood),
        "expectation": "" if report.expectation is None else str(report.expectation),
        "expenses": "" if report.expenses is None else str(report.expenses),
        "people": "\n".join(p.description for p in report.people.all() if p.description),
    }
    for answer in report.answers.select_related("item"):
        code = answer.item.code
        values[f"v_{code}"] = "" if answer.value is None else f"{answer.value:g}"
        values[f"na_{code}"] = "1" if answer.not_applicable else ""
        values[f"c_{code}"], values[f"t_{code}"] = answer.comment, answer.text
    return values


@shoppers_only
def report_form(request, pk: int):
    """The report on one page: GET shows the draft; POST saves it, and submits it when asked."""
    id_possible(pk)
    shopper = _shopper(request)
    assignment = _own_or_claimable(shopper, pk)
    if assignment.shopper_id != shopper.pk:
        raise Http404
    zone = assignment.location.zone
    report = Report.objects.filter(assignment=assignment).first()
    version = report.version if report else scorecard_current(assignment.programme.scorecard)
    items = list(Item.objects.filter(section__version=version).select_related("section"))
    errors: dict[str, str] = {}
    values = _values_from_report(report, zone)
    if request.method == "POST":
        values = request.POST.dict()
        # The photo travels with the answers (one multipart form): the draft is saved first, so a
        # file that is refused, or chosen before the draft was ever saved, loses nothing typed.
        upload = request.FILES.get("file")
        action = request.POST.get("action") or ("upload" if upload is not None else "save")
        try:
            _save(request, assignment, shopper, items, zone)
        except DomainError as error:
            _errors_from(error, errors, items)
            if upload is not None:
                errors.setdefault(
                    "file", _("The file was not added: please correct the answers marked and choose it again.")
                )
        else:
            try:
                if upload is not None or action == "upload":
                    _upload(request, assignment, shopper, upload)
                if action == "submit":
                    report_services.report_submit(assignment=assignment, shopper=shopper)
                    messages.success(request, _("Thank you: your report is submitted for review."))
                    return HttpResponseRedirect(reverse("mystery:shop"))
                messages.success(request, _("Draft saved."))
                anchor = "#evidence" if action == "upload" else ""
                return HttpResponseRedirect(reverse("mystery:report_form", args=[pk]) + anchor)
            except DomainError as error:
                _errors_from(error, errors, items)
        report = Report.objects.filter(assignment=assignment).first()
    language = translation.get_language() or "en"
    policy = LocationPolicy.objects.filter(location=assignment.location).first()
    nameable = []
    if policy and policy.staff_may_be_named:
        nameable = [p for p in assignment.location.people.filter(active=True) if notice_acknowledged(p)]
    context = {
        "assignment": assignment,
        "report": report,
        "sections": form_sections(items, language, values, errors),
        "values": values,
        "errors": errors,
        "zone": assignment.location.timezone,
        "returned": assignment.status == "returned",
        "editable": assignment.status in ("claimed", "returned"),
        "scale": range(1, 6),
        "return_scale": range(11),
        "outcomes": [(Outcome.EXCEEDED, _("Exceeded")), (Outcome.MET, _("Met")), (Outcome.BELOW, _("Below"))],
        "nameable": nameable,
        "evidence": report.evidence.all() if report else [],
    }
    return render(request, "mystery/report_form.html", context, status=400 if errors else 200)


def form_sections(items, language: str, values: dict, errors: dict) -> list:
    """The report form's sections with their rows, in ``language``; the shopper's page and the
    owner's phone preview (empty values) render the same template from it."""
    sections: dict = {}
    for item in items:
        sections.setdefault(item.section, []).append(
            {
                "item": item,
                "text": translated(item.text, language),
                "help": translated(item.help, language),
                "options": [(i, translated(o["label"], language)) for i, o in enumerate(item.options)],
                "value": values.get(f"v_{item.code}", ""),
                "na": values.get(f"na_{item.code}") == "1",
                "comment": values.get(f"c_{item.code}", ""),
                "text_value": values.get(f"t_{item.code}", ""),
                "error": errors.get(item.code, ""),
            }
        )
    return [(section, translated(section.title, language), rows) for section, rows in sections.items()]


def _save(request, assignment, shopper, items, zone) -> Report:
    post = request.POST
    people = [{"description": line} for line in post.get("people", "").splitlines() if line.strip()]
    # A tampered choice (not an id) is ignored like an empty one, not a 500.
    if post.get("person", "").isdigit() and int(post["person"]) <= MAX_DB_INT:
        people.append({"person_id": post.get("person"), "description": post.get("person_description", "")})
    report_like = _number(post.get("return_likelihood", ""), "return_likelihood")
    expectation = _number(post.get("expectation", ""), "expectation")
    return report_services.report_save(
        assignment=assignment,
        shopper=shopper,
        answers=_answers_from(post, items),
        time_in=_local(post.get("time_in", ""), zone),
        time_out=_local(post.get("time_out", ""), zone),
        narrative=post.get("narrative", ""),
        return_likelihood=None if report_like is None else int(report_like),
        expectation=None if expectation is None else int(expectation),
        expenses=post.get("expenses") or None,
        people=people,
    )


def _errors_from(error: DomainError, errors: dict, items) -> None:
    for problem in error.extra.get("problems", [{"field": error.field, "detail": error.message}]):
        errors.setdefault(problem["field"] or "form", problem["detail"])
    if error.field not in {i.code for i in items} | {
        "time_in",
        "time_out",
        "return_likelihood",
        "expectation",
        "expenses",
        "people",
        "file",
    }:
        errors.setdefault("form", error.message)


def _upload(request, assignment, shopper, upload) -> None:
    if upload is None:
        raise DomainError(_("Please choose a file."), field="file")
    if upload.size > report_services.MAX_UPLOAD_BYTES:
        raise DomainError(_("The file is too large; the limit is 8 MB."), field="file")
    evidence = report_services.evidence_add(
        assignment=assignment,
        shopper=shopper,
        name=upload.name or "",
        data=upload.read(),
        is_receipt=request.POST.get("is_receipt") == "1",
    )
    if evidence.reused:
        messages.warning(request, _("This photo has been uploaded before; the reviewer will see that."))
    else:
        messages.success(request, _("Photo added."))


@require_POST
@shoppers_only
def evidence_upload(request, pk: int):
    """The former upload address. A whole report form posted here is handled as on the report page
    (draft saved, then the file); a page opened before the upload joined the report form posts the
    file alone, and then only the file is added: saving that post as the draft would blank it."""
    if set(request.POST) - {"csrfmiddlewaretoken", "is_receipt"}:
        return report_form(request, pk)
    id_possible(pk)
    shopper = _shopper(request)
    assignment = _own_or_claimable(shopper, pk)
    try:
        _upload(request, assignment, shopper, request.FILES.get("file"))
    except DomainError as error:
        messages.error(request, error.message)
    return HttpResponseRedirect(reverse("mystery:report_form", args=[pk]) + "#evidence")


# --- Password sign-in, besides the link --------------------------------------------------------


class ShopperSignInForm(TwoFactorCheck, AuthenticationForm):
    """Email and password; the shopper's login's username is their email address. Goes through
    authenticate(), so django-axes counts failures and locks out as on the staff sign-in."""

    otp_token = _code_field()

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = gettext_lazy("Email address")

    def clean_username(self):
        return (self.cleaned_data.get("username") or "").strip().lower()

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        shopper = getattr(user, "shopper", None)
        if shopper is None:
            raise ValidationError(_("This sign-in is for mystery shoppers."), code="not_shopper")
        if not shopper.active:
            raise ValidationError(_("Your shopper account is paused."), code="paused")


def _in_shoppers_language(response, shopper):
    """The shopper's pages speak the shopper's language from sign-in on, by link or by password."""
    from django.conf import settings

    translation.activate(shopper.language)
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, shopper.language)
    return response


class ShopperSignInView(LoginView):
    template_name = "mystery/signin_password.html"
    authentication_form = ShopperSignInForm
    next_page = "mystery:shop"
    redirect_authenticated_user = False

    def form_valid(self, form):
        return _in_shoppers_language(super().form_valid(form), form.get_user().shopper)


signin_password = ShopperSignInView.as_view()


# At most this many links per address and per client in the survey throttle's window (shared by
# every worker, in the database): the form can neither flood a shopper's inbox nor probe addresses
# in bulk. An address is counted whether or not it is a shopper's, so the limit tells nothing.
LINK_REQUESTS_PER_ADDRESS = 3
LINK_REQUESTS_PER_CLIENT = 10


def _link_requests_exceeded(request, email: str) -> bool:
    by_client = throttle_exceeded(
        scope_key="mystery-link-client", client=client_address(request), limit=LINK_REQUESTS_PER_CLIENT
    )
    by_address = throttle_exceeded(
        scope_key="mystery-link-address", client=email.strip().lower(), limit=LINK_REQUESTS_PER_ADDRESS
    )
    return by_client or by_address


@require_http_methods(["GET", "POST"])
def signin_link_request(request):
    """'Email me a new sign-in link': the same answer whether or not the address is a shopper's."""
    sent = throttled = False
    if request.method == "POST":
        email = request.POST.get("email", "").replace("\x00", "")  # no address holds a NUL
        throttled = _link_requests_exceeded(request, email)
        if not throttled:
            shopper_services.signin_link_request(email=email)
            sent = True
    context = {"sent": sent, "throttled": throttled}
    return render(request, "mystery/signin_link.html", context, status=429 if throttled else 200)


@shoppers_only
@require_http_methods(["GET", "POST"])
def password_set(request):
    shopper = _shopper(request)
    error = ""
    if request.method == "POST":
        password, again = request.POST.get("password", ""), request.POST.get("password_again", "")
        try:
            if password != again:
                raise DomainError(_("The two passwords differ."), field="password_again")
            shopper_services.shopper_password_set(shopper=shopper, password=password)
        except DomainError as problem:
            error = problem.message
        else:
            update_session_auth_hash(request, shopper.user)  # this session stays signed in
            messages.success(request, _("Your password is set. You can now sign in with it or with a link."))
            return HttpResponseRedirect(reverse("mystery:shop"))
    has_password = shopper.user.has_usable_password()
    return render(
        request, "mystery/password.html", {"error": error, "has_password": has_password}, status=400 if error else 200
    )


@shoppers_only
@require_http_methods(["GET", "POST"])
def profile(request):
    """Where the shopper starts from (typed, or from the browser's position) and how far they go."""
    shopper = _shopper(request)
    error = ""
    values = {
        "home_latitude": "" if shopper.home_latitude is None else f"{shopper.home_latitude:.5f}",
        "home_longitude": "" if shopper.home_longitude is None else f"{shopper.home_longitude:.5f}",
        "travel_km": "" if shopper.travel_km is None else str(shopper.travel_km),
    }
    if request.method == "POST":
        values = {name: request.POST.get(name, "").strip() for name in values}
        try:
            travel = _number(values["travel_km"], "travel_km")
            if travel is not None and travel != int(travel):
                raise DomainError(_("The distance is a whole number of kilometres from 1 to 20000."), field="travel_km")
            shopper_services.shopper_home_set(
                shopper=shopper,
                latitude=_number(values["home_latitude"], "home_latitude"),
                longitude=_number(values["home_longitude"], "home_longitude"),
                travel_km=None if travel is None else int(travel),
            )
        except DomainError as problem:
            error = problem.message
        else:
            messages.success(request, _("Saved."))
            return HttpResponseRedirect(reverse("mystery:shop"))
    return render(request, "mystery/profile.html", {"values": values, "error": error}, status=400 if error else 200)
