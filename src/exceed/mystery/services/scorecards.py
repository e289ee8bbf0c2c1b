"""Scorecards and their versions. A version a report uses is never changed: an edit then makes a
new version (a copy of the current one) and changes that, so filed reports keep theirs."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import transaction
from django.utils.translation import gettext as _

from exceed.core.texts import translations_clean
from exceed.errors import DomainError
from exceed.mystery.models import CriticalRule, Item, ItemKind, Scorecard, ScorecardVersion, Section
from exceed.standards.models import CharterAttribute, PlaybookEntry


def scorecard_current(scorecard: Scorecard) -> ScorecardVersion:
    return scorecard.versions.order_by("-number").first() or ScorecardVersion.objects.create(
        scorecard=scorecard, number=1
    )


def _in_use(version: ScorecardVersion) -> bool:
    return version.reports.exists()


def _settings_checked(name: dict, critical_rule: str, critical_cap: int) -> dict:
    """The scorecard's own settings, checked alike on creation and on change; the cleaned name."""
    name = translations_clean(name)
    if not name:
        raise DomainError(_("Please give the scorecard a name."), field="name")
    if critical_rule not in CriticalRule.values:
        raise DomainError(_("Unknown rule for critical items."), field="critical_rule")
    if not 0 <= critical_cap <= 100:
        raise DomainError(_("The cap must be between 0 and 100."), field="critical_cap")
    return name


@transaction.atomic
def scorecard_create(*, name: dict, critical_rule: str = CriticalRule.CAP, critical_cap: int = 50) -> Scorecard:
    name = _settings_checked(name, critical_rule, critical_cap)
    scorecard = Scorecard.objects.create(name=name, critical_rule=critical_rule, critical_cap=critical_cap)
    ScorecardVersion.objects.create(scorecard=scorecard, number=1)
    return scorecard


@transaction.atomic
def scorecard_version_for_edit(*, scorecard: Scorecard, note: str = "") -> ScorecardVersion:
    """The version an edit may change: the current one if no report uses it, else a fresh copy.

    The scorecard row is locked so two editors at once make one new version, not two.
    """
    Scorecard.objects.select_for_update().filter(pk=scorecard.pk).first()
    current = scorecard_current(scorecard)
    if not _in_use(current):
        return current
    fresh = ScorecardVersion.objects.create(scorecard=scorecard, number=current.number + 1, note=note[:200])
    for section in current.sections.prefetch_related("items"):
        items = list(section.items.all())
        section.pk, section.version = None, fresh
        section.save(force_insert=True)
        for item in items:
            item.pk, item.section = None, section
            item.save(force_insert=True)
    return fresh


@transaction.atomic
def _slug_checked(code: str) -> None:
    """Codes name the builder's pages and the report form's fields: letters, digits, - and _
    (Django's slug rule and its message, translated in every language), never "new" (a page)."""
    try:
        validate_slug(code)
    except ValidationError as error:
        raise DomainError(error.messages[0], field="code") from None
    if code == "new":
        raise DomainError(_("The code “new” is reserved; please choose another."), field="code")


def section_save(*, scorecard: Scorecard, code: str, title: dict, position: int | None = None) -> Section:
    if not code:
        raise DomainError(_("Please give the section a code."), field="code")
    _slug_checked(code)
    version = scorecard_version_for_edit(scorecard=scorecard)
    section, _created = Section.objects.get_or_create(version=version, code=code)
    section.title = translations_clean(title) or section.title
    if not section.title:
        raise DomainError(_("Please give the section a title."), field="title")
    if position is not None:
        section.position = position
    section.save()
    return section


def _weight(value) -> Decimal:
    try:
        weight = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise DomainError(_("The weight must be a number."), field="weight") from None
    if not Decimal(0) <= weight <= Decimal(100):
        raise DomainError(_("The weight must be between 0 and 100."), field="weight")
    return weight


def _check_item(kind: str, options: list, thresholds: list, critical: bool, bonus: bool) -> None:
    if kind not in ItemKind.values:
        raise DomainError(_("Unknown kind of item."), field="kind")
    if kind == ItemKind.CHOICE:
        if len(options) < 2 or not all(isinstance(o, dict) and o.get("label") for o in options):
            raise DomainError(_("A choice item needs at least two options, each with a label."), field="options")
        if any(not isinstance(o.get("points", 0), int | float) or o.get("points", 0) < 0 for o in options):
            raise DomainError(_("An option's points must be a number of at least 0."), field="options")
    if kind == ItemKind.NUMERIC:
        pairs_ok = all(
            isinstance(t, list | tuple) and len(t) == 2 and all(isinstance(v, int | float) and v >= 0 for v in t)
            for t in thresholds
        )
        if not thresholds or not pairs_ok:
            raise DomainError(
                _("A numeric item needs thresholds: pairs of an upper bound and the points earned up to it."),
                field="thresholds",
            )
    if critical and bonus:
        raise DomainError(_("An item cannot be both critical and a bonus."), field="critical")
    if kind == ItemKind.TEXT and (critical or bonus):
        raise DomainError(_("A free-text item is not scored, so it cannot be critical or a bonus."), field="kind")


@transaction.atomic
def item_save(
    *,
    scorecard: Scorecard,
    section_code: str,
    code: str,
    kind: str,
    text: dict,
    help: dict | None = None,
    weight=1,
    na_allowed: bool = False,
    critical: bool = False,
    bonus: bool = False,
    required: bool = True,
    options: list | None = None,
    thresholds: list | None = None,
    position: int | None = None,
    charter_attribute: CharterAttribute | None = None,
    playbook_entry: PlaybookEntry | None = None,
) -> Item:
    """Add or change the item ``code`` of a section, in the version an edit may change."""
    options, thresholds = list(options or []), [list(t) for t in (thresholds or [])]
    _check_item(kind, options, thresholds, critical, bonus)
    text = translations_clean(text)
    if not code or not text:
        raise DomainError(_("Please give the item a code and a question."), field="text")
    _slug_checked(code)
    version = scorecard_version_for_edit(scorecard=scorecard)
    section = version.sections.filter(code=section_code).first()
    if section is None:
        raise DomainError(_("Unknown section: %(code)s") % {"code": section_code}, field="section")
    item = Item.objects.filter(section=section, code=code).first() or Item(section=section, code=code)
    item.kind, item.text, item.help = kind, text, translations_clean(help or {})
    item.weight, item.na_allowed, item.critical, item.bonus = _weight(weight), na_allowed, critical, bonus
    item.required = required and kind != ItemKind.TEXT
    item.options, item.thresholds = options, sorted(thresholds)
    item.charter_attribute, item.playbook_entry = charter_attribute, playbook_entry
    if position is not None:
        item.position = position
    item.save()
    return item


def charter_attribute_by_code(code: str | None, *, strict: bool = True) -> CharterAttribute | None:
    if not code:
        return None
    found = CharterAttribute.objects.filter(code=code).first()
    if found is None and strict:
        raise DomainError(_("Unknown charter attribute: %(code)s") % {"code": code}, field="charter_attribute")
    return found


def playbook_entry_by_codes(
    situation: str | None, touchpoint: str | None, *, strict: bool = True
) -> PlaybookEntry | None:
    """The entry for a situation at a touchpoint, else the situation's entry for every touchpoint."""
    if not situation:
        return None
    entries = PlaybookEntry.objects.filter(situation__code=situation)
    found = (entries.filter(touchpoint__code=touchpoint).first() if touchpoint else None) or entries.filter(
        touchpoint__isnull=True
    ).first()
    if found is None and strict:
        raise DomainError(_("No playbook entry for the situation %(code)s.") % {"code": situation}, field="playbook")
    return found


@transaction.atomic
def scorecard_from_definition(*, definition: dict, strict_links: bool = True) -> Scorecard:
    """A scorecard with its sections and items from a plain dict (the demo's template, the API).

    ``{"name": {...}, "critical_rule": "cap", "critical_cap": 50, "sections": [{"code", "title",
    "items": [{"code", "kind", "text", "help", "weight", …, "charter_attribute": code,
    "playbook": {"situation": code, "touchpoint": code}}]}]}``. Without ``strict_links`` an
    attribute or entry the chain has not written (yet) leaves the item unlinked.
    """
    scorecard = scorecard_create(
        name=definition.get("name") or {},
        critical_rule=definition.get("critical_rule", CriticalRule.CAP),
        critical_cap=int(definition.get("critical_cap", 50)),
    )
    for s_position, section in enumerate(definition.get("sections") or []):
        section_save(scorecard=scorecard, code=section["code"], title=section["title"], position=s_position)
        for i_position, entry in enumerate(section.get("items") or []):
            links = ("code", "position", "charter_attribute", "playbook")
            fields = {key: value for key, value in entry.items() if key not in links}
            playbook = entry.get("playbook") or {}
            item_save(
                scorecard=scorecard,
                section_code=section["code"],
                code=entry["code"],
                position=i_position,
                charter_attribute=charter_attribute_by_code(entry.get("charter_attribute"), strict=strict_links),
                playbook_entry=playbook_entry_by_codes(
                    playbook.get("situation"), playbook.get("touchpoint"), strict=strict_links
                ),
                **fields,
            )
    return scorecard


# --- The owner's scorecard builder (issue 10 §2) ------------------------------------------------


@transaction.atomic
def scorecard_settings_save(*, scorecard: Scorecard, name: dict, critical_rule: str, critical_cap: int) -> Scorecard:
    """The name and the critical rule live on the scorecard, not a version: a report keeps its
    stored score, so changing the rule changes only shops scored from now on."""
    name = _settings_checked(name, critical_rule, critical_cap)
    scorecard.name, scorecard.critical_rule, scorecard.critical_cap = name, critical_rule, critical_cap
    scorecard.save(update_fields=["name", "critical_rule", "critical_cap"])
    return scorecard


@transaction.atomic
def scorecard_copy(*, source: Scorecard, name: dict) -> Scorecard:
    """A new scorecard (version 1) with the current content of ``source``, links included."""
    copy = scorecard_create(name=name, critical_rule=source.critical_rule, critical_cap=source.critical_cap)
    version = scorecard_current(copy)
    for section in scorecard_current(source).sections.prefetch_related("items"):
        items = list(section.items.all())
        section.pk, section.version = None, version
        section.save(force_insert=True)
        for item in items:
            item.pk, item.section = None, section
            item.save(force_insert=True)
    return copy


def _free_code(wanted: str, taken: set[str], fallback: str) -> str:
    from django.utils.text import slugify

    base = slugify(wanted)[:34].strip("-") or fallback
    code, n = base, 2
    while code in taken or code == "new":
        code, n = f"{base}-{n}", n + 1
    return code


def section_code_new(*, scorecard: Scorecard, title: dict) -> str:
    """A code for a new section from its English (else first) title, free in the current version."""
    taken = set(scorecard_current(scorecard).sections.values_list("code", flat=True))
    return _free_code(title.get("en") or next(iter(title.values()), ""), taken, "section")


def item_code_new(*, scorecard: Scorecard, text: dict) -> str:
    """A code for a new item, free in the whole version: the shopper's form names its fields by it."""
    taken = set(Item.objects.filter(section__version=scorecard_current(scorecard)).values_list("code", flat=True))
    return _free_code(text.get("en") or next(iter(text.values()), ""), taken, "item")


def _renumber(rows: list, code: str, offset: int) -> None:
    index = next((i for i, row in enumerate(rows) if row.code == code), None)
    if index is None:
        raise DomainError(_("Unknown code: %(code)s") % {"code": code}, field="code")
    target = index + offset
    if 0 <= target < len(rows):
        rows[index], rows[target] = rows[target], rows[index]
    for position, row in enumerate(rows):
        if row.position != position:
            row.position = position
            row.save(update_fields=["position"])


@transaction.atomic
def section_move(*, scorecard: Scorecard, code: str, offset: int) -> None:
    version = scorecard_version_for_edit(scorecard=scorecard)
    _renumber(list(version.sections.order_by("position", "pk")), code, offset)


@transaction.atomic
def section_remove(*, scorecard: Scorecard, code: str) -> None:
    """Remove a section and its items from the version an edit may change (reports keep theirs)."""
    version = scorecard_version_for_edit(scorecard=scorecard)
    if not version.sections.filter(code=code).delete()[0]:
        raise DomainError(_("Unknown section: %(code)s") % {"code": code}, field="section")


def _section_for_edit(scorecard: Scorecard, section_code: str) -> Section:
    section = scorecard_version_for_edit(scorecard=scorecard).sections.filter(code=section_code).first()
    if section is None:
        raise DomainError(_("Unknown section: %(code)s") % {"code": section_code}, field="section")
    return section


@transaction.atomic
def item_move(*, scorecard: Scorecard, section_code: str, code: str, offset: int) -> None:
    section = _section_for_edit(scorecard, section_code)
    _renumber(list(section.items.order_by("position", "pk")), code, offset)


@transaction.atomic
def item_remove(*, scorecard: Scorecard, section_code: str, code: str) -> None:
    section = _section_for_edit(scorecard, section_code)
    if not section.items.filter(code=code).delete()[0]:
        raise DomainError(_("Unknown item: %(code)s") % {"code": code}, field="item")
