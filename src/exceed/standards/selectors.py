"""Reads of the charter and the playbook, scope-filtered in one place.

What a person must acknowledge: every entry whose version in force applies to them (their job
role and one of their locations, an empty list meaning every one). Coverage counts every active
person, with a login or not: acknowledging is a login's own action, so someone without one shows as
"not yet" until they get one, which is what their manager needs to see.
"""

import difflib
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet

from exceed.core.texts import translated
from exceed.org.models import Location, Person
from exceed.org.scopes import Scope, locations_in_scope
from exceed.standards.models import (
    Acknowledgement,
    Charter,
    CharterAttribute,
    CharterVersion,
    EntryStatus,
    EntryVersion,
    PlaybookEntry,
    Situation,
    SituationCategory,
)

# The situation every shopped store's staff are told about (mystery shopping reads it).
MYSTERY_SHOPPING_NOTICE = "mystery-shopping-notice"


# The charter ---------------------------------------------------------------------------------


def charter_get() -> Charter | None:
    return Charter.objects.filter(pk=1).prefetch_related("attributes").first()


def charter_versions() -> QuerySet[CharterVersion]:
    return CharterVersion.objects.filter(charter_id=1).order_by("-number")


# What applies to whom ------------------------------------------------------------------------


def _applies(content: dict, *, job_role: str, location_ids: set[int]) -> bool:
    roles = content.get("job_roles") or []
    places = content.get("location_ids") or []
    if roles and job_role not in roles:
        return False
    return not places or bool(location_ids.intersection(places))


def version_applies(version: EntryVersion, *, job_role: str, location_ids: set[int]) -> bool:
    """Whether ``version`` applies to someone in ``job_role`` at any of ``location_ids``."""
    return _applies(version.content, job_role=job_role, location_ids=location_ids)


def version_applies_to(version: EntryVersion, person: Person) -> bool:
    location_ids = set(person.locations.values_list("pk", flat=True))
    return _applies(version.content, job_role=person.job_role, location_ids=location_ids)


def versions_in_force() -> QuerySet[EntryVersion]:
    """The version in force of every published (or re-drafted) entry that is not retired."""
    current = PlaybookEntry.objects.exclude(status=EntryStatus.RETIRED).exclude(published_version=None)
    return EntryVersion.objects.filter(pk__in=current.values("published_version")).select_related(
        "entry__situation", "entry__touchpoint"
    )


def has_acknowledged(*, person: Person, entry: PlaybookEntry) -> bool:
    """Whether ``person`` acknowledged the version of ``entry`` now in force (False if none is)."""
    if entry.published_version_id is None or entry.status == EntryStatus.RETIRED:
        return False
    return Acknowledgement.objects.filter(version_id=entry.published_version_id, person=person).exists()


def situation_acknowledged(*, person: Person, code: str = MYSTERY_SHOPPING_NOTICE) -> bool:
    """Whether ``person`` acknowledged every entry in force of situation ``code`` that applies to them,
    and at least one did: e.g. staff were told the experience is shopped."""
    versions = [v for v in versions_in_force().filter(entry__situation__code=code) if version_applies_to(v, person)]
    if not versions:
        return False
    done = set(Acknowledgement.objects.filter(person=person, version__in=versions).values_list("version_id", flat=True))
    return all(version.pk in done for version in versions)


def pending_for_person(person: Person) -> list[EntryVersion]:
    """The versions in force that apply to ``person`` and that they have not acknowledged."""
    done = set(Acknowledgement.objects.filter(person=person).values_list("version_id", flat=True))
    return [v for v in versions_in_force() if v.pk not in done and version_applies_to(v, person)]


def person_of(user) -> Person | None:
    if user is None or not user.is_authenticated:
        return None
    return Person.objects.filter(user=user, active=True).prefetch_related("locations").first()


# Reading the playbook ------------------------------------------------------------------------


@dataclass
class PlaybookItem:
    """One entry in force as its reader sees it."""

    version: EntryVersion
    acknowledged: bool = False

    @property
    def entry(self) -> PlaybookEntry:
        return self.version.entry

    @property
    def situation(self) -> Situation:
        return self.version.entry.situation


def _searchable(version: EntryVersion, language: str) -> str:
    situation = version.entry.situation
    texts = [translated(situation.name, language), translated(situation.description, language)]
    texts += [translated(version.content.get(name), language) for name in ("steps", "words_to_use", "words_to_avoid")]
    # English too, so a search typed in English still finds an entry read in Finnish.
    texts += [translated(situation.name, "en")]
    if version.entry.touchpoint is not None:
        texts += [str(version.entry.touchpoint), version.entry.touchpoint.code]
    return " ".join(texts).casefold()


def playbook_for_reader(
    *, scope: Scope, language: str, query: str = "", touchpoint_id: int | None = None, situation_id: int | None = None
) -> list[PlaybookItem]:
    """The entries in force this login may read, searched by words, touchpoint and situation.

    Associates read what applies to them; managers and owners every entry; shoppers nothing (a
    shopper must not learn the script they check). An entry for every touchpoint matches any
    touchpoint searched for.
    """
    if not scope.reads_playbook:
        return []
    versions: list[EntryVersion] = list(versions_in_force())
    if touchpoint_id is not None:
        versions = [v for v in versions if v.entry.touchpoint_id in (None, touchpoint_id)]
    if situation_id is not None:
        versions = [v for v in versions if v.entry.situation_id == situation_id]
    person = Person.objects.filter(pk=scope.person_id).first() if scope.person_id else None
    if not scope.reads_whole_playbook:
        if person is None:
            return []
        versions = [v for v in versions if version_applies_to(v, person)]
    else:
        versions = [v for v in versions if _in_scope(v, scope)]
    words = [word for word in query.casefold().split() if word]
    if words:
        versions = [v for v in versions if all(word in _searchable(v, language) for word in words)]
    done = set(Acknowledgement.objects.filter(person=person).values_list("version_id", flat=True)) if person else set()
    items = [PlaybookItem(version=v, acknowledged=v.pk in done) for v in versions]
    items.sort(
        key=lambda item: (
            item.situation.position,
            item.situation.code,
            item.entry.touchpoint.position if item.entry.touchpoint else -1,
        )
    )
    return items


def _in_scope(version: EntryVersion, scope: Scope) -> bool:
    """A manager reads the entries for any location they cover (whatever the job role)."""
    places = version.content.get("location_ids") or []
    return not places or scope.location_ids is None or bool(scope.location_ids.intersection(places))


def entry_readable(*, scope: Scope, entry: PlaybookEntry) -> bool:
    """Whether this login may open ``entry`` (its version in force, or, for owners, the draft)."""
    if scope.may_edit_standards:
        return True
    version = entry.published_version
    if not scope.reads_playbook or version is None or entry.status == EntryStatus.RETIRED:
        return False
    if scope.reads_whole_playbook:
        return _in_scope(version, scope)
    person = Person.objects.filter(pk=scope.person_id).first() if scope.person_id else None
    return person is not None and version_applies_to(version, person)


def entries_for_editor() -> QuerySet[PlaybookEntry]:
    return PlaybookEntry.objects.select_related("situation", "touchpoint", "published_version").order_by(
        "situation__position", "situation__code", "touchpoint__position", "pk"
    )


def service_failure_entries(*, touchpoint_id: int | None = None) -> dict[str, EntryVersion]:
    """For each recovery step, the version in force of its service-failure entry: the one for
    ``touchpoint_id`` where there is one, else the one for every touchpoint."""
    found: dict[str, EntryVersion] = {}
    versions = (
        versions_in_force()
        .filter(entry__situation__category=SituationCategory.SERVICE_FAILURE)
        .exclude(entry__situation__recovery_step="")
    )
    for version in sorted(versions, key=lambda v: v.entry.touchpoint_id is not None):
        step = version.entry.situation.recovery_step
        if version.entry.touchpoint_id is None or version.entry.touchpoint_id == touchpoint_id:
            found[step] = version  # a touchpoint's own entry comes last, and wins
    return found


# Versions and diffs --------------------------------------------------------------------------


def version_lines(content: dict, language: str) -> list[str]:
    """A version as lines of text in ``language``, for reading and for comparing."""
    from django.utils.translation import gettext as _

    lines: list[str] = []
    for name, label in (
        ("steps", _("Steps")),
        ("words_to_use", _("Words to use")),
        ("words_to_avoid", _("Words to avoid")),
        ("authority", _("What you may decide alone")),
    ):
        text = translated(content.get(name), language)
        if text:
            lines.append(f"{label}:")
            lines += [f"  {line.strip()}" for line in text.splitlines() if line.strip()]
    return lines


def version_diff(*, version: EntryVersion, language: str) -> list[str] | None:
    """The changes from ``version`` to the next one, as a unified diff; None for the latest."""
    following = EntryVersion.objects.filter(entry_id=version.entry_id, number__gt=version.number).order_by("number")
    newer = following.first()
    if newer is None:
        return None
    return list(
        difflib.unified_diff(
            version_lines(version.content, language),
            version_lines(newer.content, language),
            fromfile=f"v{version.number}",
            tofile=f"v{newer.number}",
            lineterm="",
        )
    )


# Coverage ------------------------------------------------------------------------------------


@dataclass
class Coverage:
    """How many of the people asked to acknowledge have done so."""

    required: int = 0
    acknowledged: int = 0
    pending_people: list = field(default_factory=list)

    @property
    def share(self) -> float | None:
        return self.acknowledged / self.required if self.required else None

    @property
    def percent(self) -> int | None:
        return round(100 * self.acknowledged / self.required) if self.required else None


@dataclass
class LocationCoverage(Coverage):
    location: Location | None = None


@dataclass
class EntryCoverage(Coverage):
    version: EntryVersion = field(default=None)  # type: ignore[assignment]

    @property
    def situation(self) -> Situation:
        return self.version.entry.situation


def _coverage_inputs(scope: Scope, location_id: int | None = None):
    locations = locations_in_scope(scope)
    if location_id is not None:
        locations = locations.filter(pk=location_id)
    locations = list(locations.order_by("name"))
    ids = {location.pk for location in locations}
    people = list(
        Person.objects.filter(active=True, locations__in=ids)
        .distinct()
        .select_related("user")
        .prefetch_related("locations")
        .order_by("name")
    )
    versions = list(versions_in_force())
    done = set(
        Acknowledgement.objects.filter(version__in=versions, person__in=people).values_list("version_id", "person_id")
    )
    return locations, ids, people, versions, done


def coverage_by_location(*, scope: Scope, location_id: int | None = None) -> list[LocationCoverage]:
    """Per location in scope: people × entries that apply to them there, and how many acknowledged."""
    if not scope.sees_acknowledgement_coverage:
        return []
    locations, ids, people, versions, done = _coverage_inputs(scope, location_id)
    rows = {location.pk: LocationCoverage(location=location) for location in locations}
    for person in people:
        for location in person.locations.all():
            if location.pk not in ids:
                continue
            row = rows[location.pk]
            pending = False
            for version in versions:
                if _applies(version.content, job_role=person.job_role, location_ids={location.pk}):
                    row.required += 1
                    if (version.pk, person.pk) in done:
                        row.acknowledged += 1
                    else:
                        pending = True
            if pending:
                row.pending_people.append(person)
    return list(rows.values())


def coverage_by_entry(*, scope: Scope, location_id: int | None = None) -> list[EntryCoverage]:
    """Per entry in force: the people in scope it applies to, and how many acknowledged it."""
    if not scope.sees_acknowledgement_coverage:
        return []
    _locations, ids, people, versions, done = _coverage_inputs(scope, location_id)
    rows = []
    for version in versions:
        row = EntryCoverage(version=version)
        for person in people:
            here = {location.pk for location in person.locations.all()} & ids
            if _applies(version.content, job_role=person.job_role, location_ids=here):
                row.required += 1
                if (version.pk, person.pk) in done:
                    row.acknowledged += 1
                else:
                    row.pending_people.append(person)
        rows.append(row)
    rows.sort(key=lambda row: (row.situation.position, row.situation.code))
    return rows


def pending_in_scope(
    *, scope: Scope, location_id: int | None = None, version_id: int | None = None
) -> dict[Person, list[EntryVersion]]:
    """Who in scope has not acknowledged what: the people a manager's reminder goes to."""
    if not scope.sees_acknowledgement_coverage:
        return {}
    _locations, ids, people, versions, done = _coverage_inputs(scope, location_id)
    if version_id is not None:
        versions = [v for v in versions if v.pk == version_id]
    pending: dict[Person, list[EntryVersion]] = defaultdict(list)
    for person in people:
        here = {location.pk for location in person.locations.all()} & ids
        for version in versions:
            if (version.pk, person.pk) not in done and _applies(
                version.content, job_role=person.job_role, location_ids=here
            ):
                pending[person].append(version)
    return dict(pending)


def entry_title(entry: PlaybookEntry, language: str) -> str:
    """ "Late delivery · Phone", in ``language`` (the touchpoint's name reads in the active language)."""
    from django.utils.translation import gettext as _

    where = str(entry.touchpoint) if entry.touchpoint is not None else _("every touchpoint")
    return f"{translated(entry.situation.name, language)} · {where}"


def person_language(person: Person) -> str:
    """The login's chosen language, else the person's first store's, else English."""
    membership = getattr(person.user, "membership", None) if person.user_id else None
    if membership is not None and membership.language:
        return membership.language
    location = person.locations.order_by("name").first()
    return location.default_language if location else "en"


@dataclass
class VersionText:
    """A version in one language, ready for a template: lists of lines per part."""

    version: EntryVersion
    title: str
    steps: list[str]
    words_to_use: list[str]
    words_to_avoid: list[str]
    authority: list[str]
    attributes: list[str]


def _lines(texts: dict | None, language: str) -> list[str]:
    return [line.strip() for line in translated(texts, language).splitlines() if line.strip()]


def version_text(version: EntryVersion, language: str) -> VersionText:
    content = version.content
    codes = content.get("attributes") or []
    names = {
        attribute.code: translated(attribute.name, language)
        for attribute in CharterAttribute.objects.filter(charter_id=1, code__in=codes)
    }
    return VersionText(
        version=version,
        title=entry_title(version.entry, language),
        steps=_lines(content.get("steps"), language),
        words_to_use=_lines(content.get("words_to_use"), language),
        words_to_avoid=_lines(content.get("words_to_avoid"), language),
        authority=_lines(content.get("authority"), language),
        attributes=[names.get(code, code) for code in codes],
    )


@dataclass
class CellCoverage(Coverage):
    location: Location = field(default=None)  # type: ignore[assignment]
    version: EntryVersion = field(default=None)  # type: ignore[assignment]


def coverage_by_location_and_entry(*, scope: Scope) -> list[CellCoverage]:
    """Per location in scope × entry in force that applies there: the export's rows."""
    if not scope.sees_acknowledgement_coverage:
        return []
    locations, ids, people, versions, done = _coverage_inputs(scope)
    cells = {
        (location.pk, version.pk): CellCoverage(location=location, version=version)
        for location in locations
        for version in versions
    }
    for person in people:
        for location in person.locations.all():
            if location.pk not in ids:
                continue
            for version in versions:
                if _applies(version.content, job_role=person.job_role, location_ids={location.pk}):
                    cell = cells[(location.pk, version.pk)]
                    cell.required += 1
                    if (version.pk, person.pk) in done:
                        cell.acknowledged += 1
                    else:
                        cell.pending_people.append(person)
    return [cell for cell in cells.values() if cell.required]
