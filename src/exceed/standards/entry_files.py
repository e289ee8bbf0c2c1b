"""The playbook as a file (JSON): export, and import as drafts, so a chain can start from a template.

An import checks the whole file before it writes anything and names the place of each problem
(``entries[3].situation``); the writes then run in one transaction through the services. Imported
entries are drafts: publishing stays the owner's decision, through review.
"""

import json
from datetime import date
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from exceed.core.imports import ImportReport, Progress
from exceed.core.texts import LANGUAGE_CODES
from exceed.errors import DomainError
from exceed.org.models import Location, Touchpoint
from exceed.standards import services
from exceed.standards.models import CharterAttribute, EntryVersion, PlaybookEntry, Situation, SituationCategory

PLAYBOOK_FORMAT = "exceed.playbook/1"
TEXTS = ("steps", "words_to_use", "words_to_avoid", "authority")


def playbook_export() -> dict:
    """Every situation and entry, with each entry's published versions (newest first)."""
    entries = PlaybookEntry.objects.select_related("situation", "touchpoint").prefetch_related(
        "attributes", "locations", "versions"
    )
    return {
        "format": PLAYBOOK_FORMAT,
        "situations": [
            {
                "code": situation.code,
                "name": situation.name,
                "description": situation.description,
                "category": situation.category,
                "recovery_step": situation.recovery_step,
                "position": situation.position,
            }
            for situation in Situation.objects.all()
        ],
        "entries": [
            {
                "situation": entry.situation.code,
                "touchpoint": entry.touchpoint.code if entry.touchpoint else None,
                "status": entry.status,
                "review_on": entry.review_on.isoformat() if entry.review_on else None,
                **{name: getattr(entry, name) for name in TEXTS},
                "attributes": [attribute.code for attribute in entry.attributes.all()],
                "job_roles": entry.job_roles,
                "locations": [location.code for location in entry.locations.all()],
                "versions": [_version(version) for version in entry.versions.all()],
            }
            for entry in entries
        ],
    }


def _version(version: EntryVersion) -> dict:
    return {
        "number": version.number,
        "published_at": version.published_at.isoformat(),
        "change_note": version.change_note,
        "content": version.content,
    }


def _texts_ok(value) -> bool:
    return value is None or (
        isinstance(value, dict)
        and all(code in LANGUAGE_CODES and isinstance(text, str) for code, text in value.items())
    )


def _fail(message: str, where: str):
    raise DomainError(f"{where}: {message}", field=where)


def _check_situation(index: int, situation) -> None:
    where = f"situations[{index}]"
    if not isinstance(situation, dict):
        _fail(_("a situation must be an object"), where)
    if not isinstance(situation.get("code"), str) or not situation["code"].strip():
        _fail(_("a situation needs a code"), f"{where}.code")
    if situation.get("category") not in SituationCategory.values:
        _fail(_("unknown category %(value)s") % {"value": situation.get("category")}, f"{where}.category")
    for name in ("name", "description"):
        if not _texts_ok(situation.get(name)):
            _fail(_("must map language codes to texts"), f"{where}.{name}")
    if not (situation.get("name") or {}):
        _fail(_("a situation needs a name"), f"{where}.name")


def _check_versions(where: str, versions) -> None:
    if versions is None:
        return
    if not isinstance(versions, list):
        _fail(_("versions must be a list"), f"{where}.versions")
    for number, version in enumerate(versions):
        place = f"{where}.versions[{number}]"
        if not isinstance(version, dict) or not isinstance(version.get("number"), int) or version["number"] < 1:
            _fail(_("a version needs a number of 1 or more"), f"{place}.number")
        if not isinstance(version.get("content"), dict) or not _texts_ok(version["content"].get("steps")):
            _fail(_("a version needs its content, with steps per language"), f"{place}.content")


def _check_entry(index: int, entry, *, situations: set[str], touchpoints: set[str], attributes, locations) -> None:
    where = f"entries[{index}]"
    if not isinstance(entry, dict):
        _fail(_("an entry must be an object"), where)
    if entry.get("situation") not in situations:
        _fail(_("unknown situation %(code)s") % {"code": entry.get("situation")}, f"{where}.situation")
    touchpoint = entry.get("touchpoint")
    if touchpoint is not None and touchpoint not in touchpoints:
        _fail(_("unknown touchpoint %(code)s") % {"code": touchpoint}, f"{where}.touchpoint")
    for name in TEXTS:
        if not _texts_ok(entry.get(name)):
            _fail(_("must map language codes to texts"), f"{where}.{name}")
    for name, known in (("attributes", attributes), ("locations", locations)):
        codes = entry.get(name) or []
        if not isinstance(codes, list) or any(code not in known for code in codes):
            unknown = [code for code in codes if code not in known] if isinstance(codes, list) else codes
            _fail(_("unknown codes %(codes)s") % {"codes": unknown}, f"{where}.{name}")
    if not isinstance(entry.get("job_roles") or [], list):
        _fail(_("job roles must be a list of names"), f"{where}.job_roles")
    review_on = entry.get("review_on")
    if review_on is not None:
        try:
            date.fromisoformat(review_on)
        except (TypeError, ValueError):
            _fail(_("a date is written YYYY-MM-DD"), f"{where}.review_on")
    _check_versions(where, entry.get("versions"))


def playbook_import(*, definition, by=None) -> ImportReport:
    """Create the file's situations (or update them) and its entries as drafts, all or nothing."""
    if not isinstance(definition, dict) or definition.get("format") != PLAYBOOK_FORMAT:
        raise DomainError(
            _("This is not an Exceed playbook file (format %(format)s expected).") % {"format": PLAYBOOK_FORMAT},
            field="format",
        )
    situations = definition.get("situations") or []
    entries = definition.get("entries") or []
    if not isinstance(situations, list) or not isinstance(entries, list):
        raise DomainError(_("situations and entries must be lists"), field="entries")
    for index, situation in enumerate(situations):
        _check_situation(index, situation)
    known_situations = set(Situation.objects.values_list("code", flat=True)) | {s["code"] for s in situations}
    attributes = {a.code: a for a in CharterAttribute.objects.filter(charter_id=1)}
    locations = {location.code: location for location in Location.objects.all()}
    touchpoints = {touchpoint.code: touchpoint for touchpoint in Touchpoint.objects.all()}
    for index, entry in enumerate(entries):
        _check_entry(
            index,
            entry,
            situations=known_situations,
            touchpoints=set(touchpoints),
            attributes=attributes,
            locations=locations,
        )
    report = ImportReport()
    with transaction.atomic():
        for index, situation in enumerate(situations):
            _situation_write(situation, report, where=f"situations[{index}]")
        for index, entry in enumerate(entries):
            _entry_write(
                entry,
                report,
                touchpoints=touchpoints,
                attributes=attributes,
                locations=locations,
                by=by,
                where=f"entries[{index}]",
            )
    return report


def _situation_write(situation: dict, report: ImportReport, *, where: str) -> None:
    values = {
        "name": situation["name"],
        "description": situation.get("description") or {},
        "category": situation["category"],
        "recovery_step": situation.get("recovery_step") or "",
        "position": int(situation.get("position") or 0),
    }
    try:
        existing = Situation.objects.filter(code=situation["code"]).first()
        if existing is None:
            services.situation_create(code=situation["code"], **values)
            report.created += 1
        else:
            services.situation_update(situation=existing, **values)
            report.updated += 1
    except DomainError as error:
        raise DomainError(f"{where}: {error.message}", field=f"{where}.{error.field}") from None


def _entry_write(entry: dict, report: ImportReport, *, touchpoints, attributes, locations, by, where: str) -> None:
    situation = Situation.objects.get(code=entry["situation"])
    touchpoint = touchpoints.get(entry["touchpoint"]) if entry.get("touchpoint") else None
    texts = {name: entry.get(name) or {} for name in TEXTS}
    versions = entry.get("versions") or []
    if not any(texts.values()) and versions:
        # A template may carry only its versions: the newest one becomes the draft.
        newest = max(versions, key=lambda version: version["number"])["content"]
        texts = {name: newest.get(name) or {} for name in TEXTS}
    values = {
        **texts,
        "review_on": date.fromisoformat(entry["review_on"]) if entry.get("review_on") else None,
        "attributes": [attributes[code] for code in entry.get("attributes") or []],
        "job_roles": entry.get("job_roles") or [],
        "locations": [locations[code] for code in entry.get("locations") or []],
    }
    try:
        existing = PlaybookEntry.objects.filter(situation=situation, touchpoint=touchpoint).first()
        if existing is None:
            services.entry_create(situation=situation, touchpoint=touchpoint, owner=by, **values)
            report.created += 1
        else:
            services.entry_update(entry=existing, by=by, owner=existing.owner, **values)
            report.updated += 1
    except DomainError as error:
        raise DomainError(f"{where}: {error.message}", field=f"{where}.{error.field}") from None


def playbook_import_json(*, text: str, by=None) -> ImportReport:
    try:
        definition = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DomainError(
            _("The file is not valid JSON (line %(line)s).") % {"line": exc.lineno}, field="file"
        ) from None
    return playbook_import(definition=definition, by=by)


def playbook_import_file(path, progress: Progress) -> ImportReport:
    """`exceed import playbook FILE.json`."""
    return playbook_import_json(text=Path(path).read_text(encoding="utf-8"))
