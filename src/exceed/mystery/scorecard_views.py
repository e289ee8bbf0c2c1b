"""The scorecard builder (owners, issue 10 §2): the list, a scorecard's sections and items with
their texts in five languages side by side, ↑/↓ and remove (htmx swaps the list, plain forms
without script), and a phone preview of the shopper's form that stores nothing.

Sections and items are addressed by code, not id: an edit of a scorecard in use copies it into a
new version (services.scorecards.scorecard_version_for_edit), where the ids change and codes stay.
"""

from csp.constants import SELF
from csp.decorators import csp_replace
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_POST

from exceed.core.measures import Outcome
from exceed.core.texts import LANGUAGE_CHOICES, LANGUAGE_CODES, translated, translations_from, translations_initial
from exceed.errors import DomainError
from exceed.mystery import selectors
from exceed.mystery.forms import (
    START_BLANK,
    TEMPLATE_CHOICE,
    ItemForm,
    ScorecardNewForm,
    ScorecardSettingsForm,
    SectionForm,
)
from exceed.mystery.models import Assignment, Item, ItemKind, Programme, Scorecard
from exceed.mystery.services import scorecards as services
from exceed.mystery.shopper_views import form_sections
from exceed.org.decorators import scope_required
from exceed.org.models import Location

scorecard_builders = scope_required(lambda scope: scope.runs_mystery_shopping)
MAX_ROWS = 20


@scorecard_builders
def scorecard_list(request):
    return render(request, "mystery/scorecard_list.html", {"rows": selectors.scorecard_rows(request.scope)})


@scorecard_builders
def scorecard_new(request):
    form = ScorecardNewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        name, start = translations_from(form.cleaned_data, "name"), form.cleaned_data["start"]
        try:
            with transaction.atomic():
                if start == START_BLANK:
                    scorecard = services.scorecard_create(name=name)
                elif start == TEMPLATE_CHOICE:
                    from exceed.mystery.template import TEMPLATE

                    scorecard = services.scorecard_from_definition(
                        definition={**TEMPLATE, "name": name or TEMPLATE["name"]}, strict_links=False
                    )
                else:
                    source = selectors.scorecard_get(request.scope, int(start))
                    scorecard = services.scorecard_copy(source=source, name=name or source.name)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The scorecard was created."))
            return HttpResponseRedirect(reverse("mystery:scorecard", args=[scorecard.pk]))
    return render(
        request,
        "mystery/scorecard_new.html",
        {"form": form, "offered": LANGUAGE_CHOICES},
        status=400 if form.errors else 200,
    )


def _builder_context(scorecard: Scorecard, **extra) -> dict:
    version = scorecard.versions.order_by("-number").first()
    language = translation.get_language() or "en"
    sections = []
    for section in version.sections.prefetch_related("items").order_by("position", "pk") if version else []:
        items = [
            {"item": item, "text": translated(item.text, language)}
            for item in sorted(section.items.all(), key=lambda i: (i.position, i.pk))
        ]
        sections.append({"section": section, "title": translated(section.title, language), "items": items})
    return {
        "scorecard": scorecard,
        "version": version,
        "in_use": version is not None and version.reports.exists(),
        "sections": sections,
        "missing": selectors.scorecard_missing_texts(scorecard, LANGUAGE_CODES),
        "languages": dict(LANGUAGE_CHOICES),
        "offered": LANGUAGE_CHOICES,
        **extra,
    }


@scorecard_builders
def scorecard_edit(request, scorecard_id: int):
    """The scorecard page: its sections and items, and its name and critical rule."""
    scorecard = selectors.scorecard_get(request.scope, scorecard_id)
    initial = {
        **translations_initial("name", scorecard.name),
        "critical_rule": scorecard.critical_rule,
        "critical_cap": scorecard.critical_cap,
    }
    form = ScorecardSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.scorecard_settings_save(
                scorecard=scorecard,
                name=translations_from(form.cleaned_data, "name"),
                critical_rule=form.cleaned_data["critical_rule"],
                critical_cap=form.cleaned_data["critical_cap"],
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else "name_en", error.message)
        else:
            messages.success(request, _("The scorecard was saved."))
            return HttpResponseRedirect(request.path)
        scorecard.refresh_from_db()
    context = _builder_context(
        scorecard,
        form=form,
        section_form=SectionForm(),
        programmes=scorecard.programmes.all(),
    )
    return render(request, "mystery/scorecard_edit.html", context, status=400 if form.errors else 200)


def _back(scorecard: Scorecard):
    return HttpResponseRedirect(reverse("mystery:scorecard", args=[scorecard.pk]))


@scorecard_builders
def section_edit(request, scorecard_id: int, section_code: str | None = None):
    """Add a section, or change one's title in the five languages."""
    scorecard = selectors.scorecard_get(request.scope, scorecard_id)
    version = scorecard.versions.order_by("-number").first()
    section = version.sections.filter(code=section_code).first() if version and section_code else None
    if section_code and section is None:
        raise Http404
    form = SectionForm(request.POST or None, initial=translations_initial("title", section.title) if section else {})
    if request.method == "POST" and form.is_valid():
        title = translations_from(form.cleaned_data, "title")
        try:
            with transaction.atomic():
                code = section_code or services.section_code_new(scorecard=scorecard, title=title)
                position = None if section else version.sections.count() if version else 0
                services.section_save(scorecard=scorecard, code=code, title=title, position=position)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The section was saved."))
            return _back(scorecard)
    context = {
        "scorecard": scorecard,
        "section": section,
        "form": form,
        "offered": LANGUAGE_CHOICES,
        **_version_note(scorecard),
    }
    return render(request, "mystery/section_edit.html", context, status=400 if form.errors else 200)


def _version_note(scorecard: Scorecard) -> dict:
    version = scorecard.versions.order_by("-number").first()
    return {"version": version, "in_use": version is not None and version.reports.exists()}


def _item_initial(item: Item | None) -> dict:
    if item is None:
        return {"kind": ItemKind.YES_NO, "weight": 1}
    initial = {
        "kind": item.kind,
        "weight": item.weight,
        "na_allowed": item.na_allowed,
        "critical": item.critical,
        "bonus": item.bonus,
        "charter_attribute": item.charter_attribute_id,
        "playbook_entry": item.playbook_entry_id,
        **translations_initial("text", item.text),
        **translations_initial("help", item.help),
    }
    for row, option in enumerate(item.options):
        initial[f"option{row}_points"] = option.get("points", 0)
        initial.update(translations_initial(f"option{row}_label", option.get("label")))
    for row, (bound, points) in enumerate(item.thresholds):
        initial[f"threshold{row}_bound"], initial[f"threshold{row}_points"] = bound, points
    return initial


def _rows(request, item: Item | None) -> int:
    """Option and threshold rows: two blank ones past what is stored, at least four; "More rows"
    posts the form back with three more, so no script is needed."""
    try:
        rows = int(request.POST.get("rows", 0))
    except ValueError:
        rows = 0
    stored = max(len(item.options), len(item.thresholds)) if item else 0
    rows = max(rows, stored + 2, 4)
    if "more_rows" in request.POST:
        rows += 3
    return min(rows, MAX_ROWS)


@scorecard_builders
def item_edit(request, scorecard_id: int, section_code: str, item_code: str | None = None):
    """Add an item to a section, or change one: kind, texts, weight, flags, options, thresholds, links."""
    scorecard = selectors.scorecard_get(request.scope, scorecard_id)
    version = scorecard.versions.order_by("-number").first()
    section = version.sections.filter(code=section_code).first() if version else None
    item = section.items.filter(code=item_code).first() if section and item_code else None
    if section is None or (item_code and item is None):
        raise Http404
    rows = _rows(request, item)
    posted = request.method == "POST" and "more_rows" not in request.POST
    form = ItemForm(request.POST or None, initial=_item_initial(item), rows=rows)
    if posted and form.is_valid():
        data = form.cleaned_data
        text = translations_from(data, "text")
        kind = data["kind"]
        try:
            with transaction.atomic():
                services.item_save(
                    scorecard=scorecard,
                    section_code=section_code,
                    code=item_code or services.item_code_new(scorecard=scorecard, text=text),
                    kind=kind,
                    text=text,
                    help=translations_from(data, "help"),
                    weight=data["weight"],
                    na_allowed=data["na_allowed"],
                    critical=data["critical"],
                    bonus=data["bonus"],
                    required=not data["bonus"],
                    options=form.options if kind == ItemKind.CHOICE else [],
                    thresholds=form.thresholds if kind == ItemKind.NUMERIC else [],
                    position=None if item else section.items.count(),
                    charter_attribute=data["charter_attribute"],
                    playbook_entry=data["playbook_entry"],
                )
        except DomainError as error:
            field = {"options": "option0_label_en", "thresholds": "threshold0_bound"}.get(
                error.field or "", error.field
            )
            form.add_error(field if field in form.fields else None, error.message)
        else:
            messages.success(request, _("The item was saved."))
            return _back(scorecard)
    context = {
        "scorecard": scorecard,
        "section": section,
        "section_title": translated(section.title, translation.get_language() or "en"),
        "item": item,
        "form": form,
        "rows": rows,
        "offered": LANGUAGE_CHOICES,
        **_version_note(scorecard),
    }
    return render(request, "mystery/item_edit.html", context, status=400 if posted and form.errors else 200)


@scorecard_builders
@require_POST
def builder_action(request, scorecard_id: int, section_code: str, action: str, item_code: str | None = None):
    """Move a section or an item up or down, or remove it. Without script the page reloads; with
    htmx the builder is swapped in place."""
    scorecard = selectors.scorecard_get(request.scope, scorecard_id)
    error = ""
    if action not in ("up", "down", "delete"):
        raise Http404
    try:
        if item_code is None and action == "delete":
            services.section_remove(scorecard=scorecard, code=section_code)
        elif item_code is None:
            services.section_move(scorecard=scorecard, code=section_code, offset=-1 if action == "up" else 1)
        elif action == "delete":
            services.item_remove(scorecard=scorecard, section_code=section_code, code=item_code)
        else:
            services.item_move(
                scorecard=scorecard, section_code=section_code, code=item_code, offset=-1 if action == "up" else 1
            )
    except DomainError as refused:
        error = refused.message
    if request.headers.get("HX-Request"):
        return render(request, "mystery/_scorecard_builder.html", _builder_context(scorecard, error=error))
    if error:
        messages.error(request, error)
    return _back(scorecard)


def _preview_language(request) -> str:
    asked = request.GET.get("lang", "")
    return asked if asked in LANGUAGE_CODES else translation.get_language() or "en"


@scorecard_builders
def scorecard_phone(request, scorecard_id: int):
    """The preview page: the shopper's report form in a phone-sized frame, one tab per language."""
    scorecard = selectors.scorecard_get(request.scope, scorecard_id)
    language = _preview_language(request)
    context = {
        "scorecard": scorecard,
        "language": language,
        "offered": LANGUAGE_CHOICES,
        "missing": selectors.scorecard_missing_texts(scorecard, [language])[language],
    }
    return render(request, "mystery/scorecard_phone.html", context)


@scorecard_builders
@require_GET
@xframe_options_sameorigin
@csp_replace({"frame-ancestors": [SELF]})
def scorecard_preview(request, scorecard_id: int):
    """The shopper's own report template over the current version, read-only. GET only and built
    from unsaved objects: no programme, shop or report is stored for a preview."""
    scorecard = selectors.scorecard_get(request.scope, scorecard_id)
    language = _preview_language(request)
    version = scorecard.versions.order_by("-number").first()
    items = list(Item.objects.filter(section__version=version).select_related("section")) if version else []
    with translation.override(language):
        location = Location(name=_("Your store"), default_language=language)
        programme = Programme(name=translated(scorecard.name, language), expense_cap=15, reward_currency="EUR")
        assignment = Assignment(programme=programme, location=location, window_end=timezone.now())
        context = {
            "assignment": assignment,
            "report": None,
            "sections": form_sections(items, language, {}, {}),
            "values": {},
            "errors": {},
            "zone": location.timezone,
            "returned": False,
            "editable": False,
            "preview": True,
            "scale": range(1, 6),
            "return_scale": range(11),
            "outcomes": [(Outcome.EXCEEDED, _("Exceeded")), (Outcome.MET, _("Met")), (Outcome.BELOW, _("Below"))],
            "nameable": [],
            "evidence": [],
        }
        return render(request, "mystery/report_form.html", context)
