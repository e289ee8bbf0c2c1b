"""Back-office pages for email invitations: send a batch (uploaded or pasted), preview, follow up."""

import tempfile
from pathlib import Path

from csp.decorators import csp_replace
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.clickjacking import xframe_options_sameorigin

from exceed.core.imports import read_csv
from exceed.errors import DomainError
from exceed.feedback import selectors, services
from exceed.feedback.forms import InvitationSendForm
from exceed.feedback.importers import INVITATION_COLUMNS, invitation_rows_check, pasted_rows
from exceed.feedback.mail import invitation_email_render
from exceed.feedback.models import Invitation
from exceed.feedback.tasks import invitation_batch_queue
from exceed.org.decorators import managers_only
from exceed.org.models import LANGUAGE_CHOICES, LANGUAGE_CODES
from exceed.org.scopes import locations_in_scope

BATCHES_PER_PAGE = 25
INVITATIONS_PER_PAGE = 50


@managers_only
def invitation_list(request):
    scope = request.scope
    page = Paginator(selectors.invitation_batches(scope), BATCHES_PER_PAGE).get_page(request.GET.get("page"))
    rows = [(batch, selectors.response_rate(batch.sent, batch.answered)) for batch in page.object_list]
    context = {"page": page, "rows": rows, "totals": selectors.invitation_totals(scope)}
    return render(request, "feedback/manage/invitation_list.html", context)


@managers_only
def invitation_batch(request, batch_id):
    batch = selectors.invitation_batches(request.scope).filter(pk=batch_id).first()
    if batch is None:
        raise Http404
    invitations = selectors.invitations_visible(request.scope).filter(batch=batch).order_by("pk")
    page = Paginator(invitations, INVITATIONS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"batch": batch, "page": page, "rate": selectors.response_rate(batch.sent, batch.answered)}
    return render(request, "feedback/manage/invitation_batch.html", context)


@managers_only
def invitation_new(request):
    scope = request.scope
    locations = locations_in_scope(scope)
    form = InvitationSendForm(request.POST or None, request.FILES or None, locations=locations)
    previews = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if "preview" in request.POST:
            previews = _previews(data)
        else:
            try:
                rows = _checked_rows(data, location_ids=None if scope.location_ids is None else scope.location_ids)
                batch = services.invitation_batch_create(
                    survey=data["survey"],
                    location=data["location"],
                    touchpoint=data["touchpoint"],
                    person=data["person"],
                    rows=rows,
                    created_by=request.user,
                    send_after=data["send_at"],
                    reminder_days=data["reminder_days"],
                )
            except DomainError as error:
                field = "file" if data.get("file") and error.field not in form.fields else error.field
                form.add_error(field if field in form.fields else "addresses", error.message)
            else:
                if batch.send_after <= timezone.now():
                    invitation_batch_queue.enqueue(batch.pk)
                count = batch.invitations.count()
                if data["send_at"]:
                    text = ngettext(
                        "%(count)s invitation will be sent at the chosen time.",
                        "%(count)s invitations will be sent at the chosen time.",
                        count,
                    )
                else:
                    text = ngettext(
                        "%(count)s invitation is being sent.", "%(count)s invitations are being sent.", count
                    )
                messages.success(request, text % {"count": count})
                return HttpResponseRedirect(reverse("feedback:invitation_batch", args=[batch.pk]))
    context = {"form": form, "previews": previews}
    return render(request, "feedback/manage/invitation_new.html", context)


def _checked_rows(data: dict, *, location_ids) -> list[dict]:
    """The addresses from the uploaded CSV or the pasted text, all checked; ImportRejected names each bad line."""
    defaults = {key: data[key] for key in ("location", "touchpoint", "person", "survey") if data.get(key)}
    if data.get("file"):
        upload = data["file"]
        # read_csv reads a path; the upload is small enough to sit in a temporary file for a moment.
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "upload.csv"
            with open(path, "wb") as handle:
                for chunk in upload.chunks():
                    handle.write(chunk)
            rows = read_csv(path, required=("email",), optional=INVITATION_COLUMNS)
            planned = invitation_rows_check(rows, filename=upload.name, defaults=defaults, location_ids=location_ids)
    elif data.get("addresses", "").strip():
        planned = invitation_rows_check(
            pasted_rows(data["addresses"]), filename=_("pasted addresses"), defaults=defaults, location_ids=location_ids
        )
    else:
        raise DomainError(_("Upload a CSV file or paste addresses."), field="addresses")
    return [values for _line, values in planned]


def _sample(data: dict, language: str) -> Invitation:
    return Invitation(
        survey=data["survey"],
        location=data["location"],
        touchpoint=data["touchpoint"],
        person=data["person"],
        language=language,
    )


def _preview_link() -> str:
    return settings.BASE_URL + reverse("feedback:invitation", args=["preview"])


def _previews(data: dict) -> list[dict]:
    """The email in each language, rendered by the same function that sends it, with a sample link."""
    previews = []
    for code, name in LANGUAGE_CHOICES:
        email = invitation_email_render(invitation=_sample(data, code), link=_preview_link(), language=code)
        query = {key: data[key].pk for key in ("survey", "location", "touchpoint", "person") if data.get(key)}
        query["language"] = code
        previews.append({"code": code, "name": name, "email": email, "query": urlencode(query)})
    return previews


# The email's HTML as a mail program shows it, framed by the send form. Emails carry inline styles
# (mail programs ignore style sheets), so this one response allows them, and only them; it runs no script.
@managers_only
@xframe_options_sameorigin
@csp_replace({"style-src": ["'unsafe-inline'"], "frame-ancestors": ["'self'"]})
def invitation_preview(request):
    form = InvitationSendForm(request.GET, locations=locations_in_scope(request.scope))
    language = request.GET.get("language", "")
    if not form.is_valid() or language not in LANGUAGE_CODES:
        raise Http404
    email = invitation_email_render(
        invitation=_sample(form.cleaned_data, language), link=_preview_link(), language=language
    )
    return HttpResponse(email.html)
