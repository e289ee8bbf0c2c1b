"""The charter and the playbook for readers: search, a situation, an entry, its versions, the
poster, acknowledging; and acknowledgement coverage for managers. Thin: each asks the scope and
a selector or a service. The owners' editing pages are in manage_views.py."""

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from exceed.core.qr import qr_code
from exceed.core.texts import translated
from exceed.errors import DomainError
from exceed.org.decorators import scope_required
from exceed.org.scopes import locations_in_scope
from exceed.standards import exports, mail, services
from exceed.standards.forms import PlaybookSearchForm, RemindForm
from exceed.standards.models import EntryVersion, PlaybookEntry, Situation
from exceed.standards.selectors import (
    charter_get,
    coverage_by_entry,
    coverage_by_location,
    entry_readable,
    entry_title,
    pending_for_person,
    person_of,
    playbook_for_reader,
    version_applies_to,
    version_diff,
    version_lines,
    version_text,
)

readers_only = scope_required(lambda scope: scope.reads_playbook)
coverage_only = scope_required(lambda scope: scope.sees_acknowledgement_coverage)


def _language() -> str:
    return get_language() or "en"


@readers_only
def playbook(request):
    """ "What do we do when…": type a few words or pick a touchpoint; each result opens its answer."""
    form = PlaybookSearchForm(request.GET or None)
    query, touchpoint = "", None
    if form.is_valid():
        query = form.cleaned_data["q"] or ""
        touchpoint = form.cleaned_data["touchpoint"]
    language = _language()
    items = playbook_for_reader(
        scope=request.scope, language=language, query=query, touchpoint_id=touchpoint.pk if touchpoint else None
    )
    person = person_of(request.user)
    # "Not read yet" marks what this login's own person still has to acknowledge (a manager's too).
    waiting = {version.pk for version in pending_for_person(person)} if person else set()
    # One result per situation: the answer page shows its entries for every touchpoint.
    situations: dict[int, dict] = {}
    for item in items:
        row = situations.setdefault(
            item.situation.pk,
            {
                "situation": item.situation,
                "name": translated(item.situation.name, language),
                "description": translated(item.situation.description, language),
                "touchpoints": [],
                "pending": False,
            },
        )
        row["touchpoints"].append(str(item.entry.touchpoint) if item.entry.touchpoint else _("every touchpoint"))
        row["pending"] = row["pending"] or item.version.pk in waiting
    context = {
        "form": form,
        "results": list(situations.values()),
        "searched": bool(query or touchpoint),
        "touchpoint": touchpoint,
        "pending": len(waiting),
        "has_person": person is not None,
    }
    return render(request, "standards/playbook.html", context)


def _readable_versions(request, entries) -> list[dict]:
    language = _language()
    person = person_of(request.user)
    shown = []
    for entry in entries:
        if entry.published_version is None or not entry_readable(scope=request.scope, entry=entry):
            continue
        version = entry.published_version
        shown.append(
            {
                "entry": entry,
                "text": version_text(version, language),
                "acknowledged": bool(person and version.acknowledgements.filter(person=person).exists()),
                "may_acknowledge": bool(person and version_applies_to(version, person)),
            }
        )
    return shown


@readers_only
def situation(request, situation_id: int):
    """One situation's answers, the reader's touchpoint first: what a QR poster opens."""
    found = get_object_or_404(Situation, pk=situation_id)
    entries = list(
        PlaybookEntry.objects.filter(situation=found)
        .exclude(status="retired")
        .select_related("situation", "touchpoint", "published_version__entry__situation")
    )
    touchpoint_id = request.GET.get("touchpoint")
    entries.sort(key=lambda entry: (str(entry.touchpoint_id) != touchpoint_id, entry.touchpoint_id is not None))
    shown = _readable_versions(request, entries)
    if not shown:
        raise Http404
    language = _language()
    context = {
        "situation": found,
        "name": translated(found.name, language),
        "description": translated(found.description, language),
        "shown": shown,
        "share_url": request.build_absolute_uri(reverse("standards:situation", args=[found.pk])),
    }
    return render(request, "standards/situation.html", context)


def _entry_or_404(request, entry_id: int) -> PlaybookEntry:
    entry = (
        PlaybookEntry.objects.select_related("situation", "touchpoint", "published_version").filter(pk=entry_id).first()
    )
    if entry is None or not entry_readable(scope=request.scope, entry=entry):
        raise Http404
    return entry


@readers_only
def entry(request, entry_id: int):
    found = _entry_or_404(request, entry_id)
    shown = _readable_versions(request, [found])
    context = {
        "entry": found,
        "shown": shown,
        "name": translated(found.situation.name, _language()),
        "versions": found.versions.all(),
        "share_url": request.build_absolute_uri(reverse("standards:entry", args=[found.pk])),
    }
    return render(request, "standards/entry.html", context)


@readers_only
def version(request, entry_id: int, version_id: int):
    """An older version as it was read, and what the next one changed."""
    found = _entry_or_404(request, entry_id)
    chosen = get_object_or_404(EntryVersion, pk=version_id, entry=found)
    language = _language()
    context = {
        "entry": found,
        "version": chosen,
        "name": translated(found.situation.name, language),
        "lines": version_lines(chosen.content, language),
        "diff": version_diff(version=chosen, language=language),
    }
    return render(request, "standards/version.html", context)


@require_POST
@readers_only
def acknowledge(request, entry_id: int):
    found = _entry_or_404(request, entry_id)
    version_id = request.POST.get("version")
    chosen = EntryVersion.objects.filter(pk=version_id if str(version_id).isdigit() else None, entry=found).first()
    if chosen is None:
        raise Http404
    try:
        services.acknowledgement_create(user=request.user, version=chosen)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Thank you: acknowledged version %(number)s.") % {"number": chosen.number})
    back = request.POST.get("next") or ""
    if not back.startswith("/standards/"):
        back = reverse("standards:entry", args=[found.pk])
    return HttpResponseRedirect(back)


@readers_only
def poster(request, situation_id: int):
    """A printable A4 poster that opens one situation (inside the organisation: a sign-in is needed)."""
    found = get_object_or_404(Situation, pk=situation_id)
    if not _readable_versions(
        request, PlaybookEntry.objects.filter(situation=found).select_related("published_version")
    ):
        raise Http404
    url = request.build_absolute_uri(reverse("standards:situation", args=[found.pk]))
    context = {
        "name": translated(found.name, _language()),
        "url": url,
        "qr_svg": qr_code(url, kind="svg").decode(),
        "language": _language(),
    }
    return render(request, "standards/poster.html", context)


@readers_only
def charter(request):
    found = charter_get()
    language = _language()
    attributes = [
        {
            "name": translated(attribute.name, language),
            "description": translated(attribute.description, language),
            "behaviours": [line for line in translated(attribute.behaviours, language).splitlines() if line.strip()],
        }
        for attribute in (found.attributes.all() if found else [])
    ]
    context = {
        "charter": found,
        "statement": translated(found.statement, language) if found else "",
        "attributes": attributes,
        "published": found.versions.first() if found else None,
    }
    return render(request, "standards/charter.html", context)


# Coverage -----------------------------------------------------------------------------------


@coverage_only
def coverage(request, *, remind_form=None):
    locations = locations_in_scope(request.scope).filter(active=True)
    location_id = request.GET.get("location")
    location_id = int(location_id) if location_id and location_id.isdigit() else None
    if location_id is not None and not request.scope.covers_location(location_id):
        location_id = None
    by_entry = coverage_by_entry(scope=request.scope, location_id=location_id)
    titles = {row.version.pk: entry_title(row.version.entry, _language()) for row in by_entry}
    context = {
        "by_location": coverage_by_location(scope=request.scope),
        "by_entry": [(row, titles[row.version.pk]) for row in by_entry if row.required],
        "location_id": location_id,
        "locations": locations,
        "remind_form": remind_form or RemindForm(locations=locations),
        "language": _language(),
    }
    return render(request, "standards/coverage.html", context)


@require_POST
@coverage_only
def coverage_remind(request):
    form = RemindForm(request.POST, locations=locations_in_scope(request.scope).filter(active=True))
    if not form.is_valid():
        return coverage(request, remind_form=form)
    location = form.cleaned_data["location"]
    try:
        sent = mail.acknowledgement_remind(scope=request.scope, by=request.user, location_id=location.pk)
    except DomainError as error:
        form.add_error("location", error.message)
        return coverage(request, remind_form=form)
    messages.success(
        request, _("%(count)s reminders sent to people at %(location)s.") % {"count": sent, "location": location.name}
    )
    return HttpResponseRedirect(reverse("standards:coverage"))


@coverage_only
def coverage_export(request, kind: str):
    if kind == "csv":
        response = HttpResponse(exports.coverage_csv(request.scope), content_type="text/csv; charset=utf-8")
    elif kind == "xlsx":
        response = HttpResponse(
            exports.coverage_xlsx(request.scope),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="acknowledgement-coverage.{kind}"'
    return response
