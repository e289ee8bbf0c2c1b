"""The owners' pages: the charter and its attributes, situations, entries and their workflow,
and the playbook file (export, import). Forms in, services do the writing, a DomainError lands on
the field it names and nothing is stored."""

import json

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from exceed.core.texts import translated, translations_from, translations_initial
from exceed.errors import DomainError
from exceed.org.decorators import scope_required
from exceed.standards import entry_files, services
from exceed.standards.forms import AttributeForm, CharterForm, EntryForm, EntryImportForm, PublishForm, SituationForm
from exceed.standards.models import CharterAttribute, EntryStatus, PlaybookEntry, Situation
from exceed.standards.selectors import charter_get, charter_versions, entries_for_editor, entry_title

editors_only = scope_required(lambda scope: scope.may_edit_standards)
ENTRY_TEXTS = ("steps", "words_to_use", "words_to_avoid", "authority")


def _form_error(form, error: DomainError) -> None:
    field = error.field if error.field in form.fields else None
    if field is None and error.field:
        # A translated text: the English field stands for the group.
        field = f"{error.field}_en" if f"{error.field}_en" in form.fields else None
    form.add_error(field, error.message)


@editors_only
def manage(request):
    language = get_language() or "en"
    entries = [
        {"entry": entry, "title": entry_title(entry, language)}
        for entry in entries_for_editor().prefetch_related("versions")
    ]
    context = {
        "entries": entries,
        "situations": [(s, translated(s.name, language)) for s in Situation.objects.all()],
        "charter": charter_get(),
        "import_form": EntryImportForm(),
    }
    return render(request, "standards/manage/index.html", context)


# The charter -------------------------------------------------------------------------------


@editors_only
def charter_edit(request):
    charter = charter_get() or services.charter_get_or_create()
    initial = {
        "owner": charter.owner_id,
        "review_on": charter.review_on,
        **translations_initial("statement", charter.statement),
    }
    form = CharterForm(request.POST or None, initial=initial)
    publish_form = PublishForm(request.POST or None if "publish" in request.POST else None, prefix="publish")
    if request.method == "POST" and "publish" not in request.POST and form.is_valid():
        data = form.cleaned_data
        try:
            services.charter_update(
                statement=translations_from(data, "statement"), owner=data["owner"], review_on=data["review_on"]
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Charter saved."))
            return HttpResponseRedirect(reverse("standards:charter_edit"))
    context = {
        "form": form,
        "publish_form": publish_form,
        "charter": charter,
        "attributes": [(a, translated(a.name, get_language() or "en")) for a in charter.attributes.all()],
        "versions": charter_versions(),
    }
    return render(request, "standards/manage/charter.html", context)


@require_POST
@editors_only
def charter_publish(request):
    form = PublishForm(request.POST, prefix="publish")
    form.is_valid()
    try:
        published = services.charter_publish(by=request.user, change_note=form.cleaned_data.get("change_note") or "")
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Charter version %(number)s published.") % {"number": published.number})
    return HttpResponseRedirect(reverse("standards:charter_edit"))


@editors_only
def attribute_edit(request, attribute_id: int | None = None):
    attribute = get_object_or_404(CharterAttribute, pk=attribute_id) if attribute_id else None
    initial = {}
    if attribute is not None:
        initial = {
            "code": attribute.code,
            "position": attribute.position,
            **translations_initial("name", attribute.name),
            **translations_initial("description", attribute.description),
            **translations_initial("behaviours", attribute.behaviours),
        }
    form = AttributeForm(request.POST or None, initial=initial)
    if attribute is not None:
        form.fields["code"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.charter_attribute_save(
                code=data["code"],
                name=translations_from(data, "name"),
                description=translations_from(data, "description"),
                behaviours=translations_from(data, "behaviours"),
                position=data["position"],
                attribute=attribute,
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Attribute saved."))
            return HttpResponseRedirect(reverse("standards:charter_edit"))
    return render(request, "standards/manage/form.html", {"form": form, "title": _("Charter attribute")})


# Situations --------------------------------------------------------------------------------


@editors_only
def situation_edit(request, situation_id: int | None = None):
    situation = get_object_or_404(Situation, pk=situation_id) if situation_id else None
    initial = {}
    if situation is not None:
        initial = {
            "code": situation.code,
            "category": situation.category,
            "recovery_step": situation.recovery_step,
            "position": situation.position,
            **translations_initial("name", situation.name),
            **translations_initial("description", situation.description),
        }
    form = SituationForm(request.POST or None, initial=initial)
    if situation is not None:
        form.fields["code"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        values = {
            "name": translations_from(data, "name"),
            "description": translations_from(data, "description"),
            "category": data["category"],
            "recovery_step": data["recovery_step"],
            "position": data["position"],
        }
        try:
            if situation is None:
                services.situation_create(code=data["code"], **values)
            else:
                services.situation_update(situation=situation, **values)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Situation saved."))
            return HttpResponseRedirect(reverse("standards:manage"))
    return render(request, "standards/manage/form.html", {"form": form, "title": _("Situation")})


# Entries -----------------------------------------------------------------------------------


def _entry_initial(entry: PlaybookEntry) -> dict:
    initial = {
        "owner": entry.owner_id,
        "review_on": entry.review_on,
        "attributes": list(entry.attributes.values_list("pk", flat=True)),
        "job_roles": ", ".join(entry.job_roles),
        "locations": list(entry.locations.values_list("pk", flat=True)),
    }
    for name in ENTRY_TEXTS:
        initial.update(translations_initial(name, getattr(entry, name)))
    return initial


def _entry_values(data: dict) -> dict:
    return {
        "owner": data["owner"],
        "review_on": data["review_on"],
        "attributes": list(data["attributes"]),
        "job_roles": data["job_roles"],
        "locations": list(data["locations"]),
        **{name: translations_from(data, name) for name in ENTRY_TEXTS},
    }


@editors_only
def entry_new(request):
    initial = {"owner": request.user.pk, "situation": request.GET.get("situation")}
    form = EntryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.entry_create(
                situation=data["situation"], touchpoint=data["touchpoint"], **_entry_values(data)
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Draft saved."))
            return HttpResponseRedirect(reverse("standards:entry_edit", args=[created.pk]))
    return render(request, "standards/manage/form.html", {"form": form, "title": _("New playbook entry")})


@editors_only
def entry_edit(request, entry_id: int, *, publish_form=None):
    found = get_object_or_404(PlaybookEntry.objects.select_related("situation", "touchpoint"), pk=entry_id)
    form = EntryForm(request.POST or None, initial=_entry_initial(found), editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.entry_update(entry=found, by=request.user, **_entry_values(form.cleaned_data))
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Draft saved."))
            return HttpResponseRedirect(reverse("standards:entry_edit", args=[found.pk]))
    from exceed.standards.services import ENTRY_PIPELINE

    context = {
        "form": form,
        "entry": found,
        "title": entry_title(found, get_language() or "en"),
        "moves": ENTRY_PIPELINE.get(found.status, ()),
        "publish_form": publish_form or PublishForm(),
        "versions": found.versions.all(),
        "history": found.status_changes.select_related("by"),
        "statuses": EntryStatus,
    }
    return render(request, "standards/manage/entry.html", context)


MOVES = {
    "submit": services.entry_submit,
    "send_back": services.entry_send_back,
    "retire": services.entry_retire,
    "reopen": services.entry_reopen,
}


@require_POST
@editors_only
def entry_move(request, entry_id: int, action: str):
    found = get_object_or_404(PlaybookEntry, pk=entry_id)
    if action == "publish":
        form = PublishForm(request.POST)
        form.is_valid()
        try:
            published = services.entry_publish(
                entry=found, by=request.user, change_note=form.cleaned_data.get("change_note") or ""
            )
        except DomainError as error:
            _form_error(form, error)
            return entry_edit(_as_get(request), entry_id, publish_form=form)
        messages.success(request, _("Version %(number)s published.") % {"number": published.number})
        return HttpResponseRedirect(reverse("standards:entry_edit", args=[found.pk]))
    if action not in MOVES:
        raise Http404
    try:
        MOVES[action](entry=found, by=request.user, note=request.POST.get("note", "")[:2000])
    except DomainError as error:
        messages.error(request, error.message)
    return HttpResponseRedirect(reverse("standards:entry_edit", args=[found.pk]))


def _as_get(request):
    # The edit page is shown again with the publish form's error; its own form must read as unbound.
    request.method = "GET"
    return request


# The playbook file -------------------------------------------------------------------------


@editors_only
def playbook_export(request):
    body = json.dumps(entry_files.playbook_export(), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="exceed-playbook.json"'
    return response


@require_POST
@editors_only
def playbook_import(request):
    form = EntryImportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            text = form.cleaned_data["file"].read().decode("utf-8")
        except UnicodeDecodeError:
            messages.error(request, _("The file is not UTF-8 text."))
            return HttpResponseRedirect(reverse("standards:manage"))
        try:
            report = entry_files.playbook_import_json(text=text, by=request.user)
        except DomainError as error:
            messages.error(request, _("Nothing was imported: %(reason)s") % {"reason": error.message})
        else:
            messages.success(request, report.summary(_("Situations and entries")))
    else:
        messages.error(request, _("Choose a playbook file (JSON) to import."))
    return HttpResponseRedirect(reverse("standards:manage"))
