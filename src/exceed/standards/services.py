"""Writes to the charter and the playbook: each one function, keyword-only and atomic.

Entries move draft → in review → published → retired through the shared workflow
(core.workflow); publishing writes an immutable ``EntryVersion``, and acknowledgements are of a
version, so a new publication asks again for its own entry only.
"""

from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from exceed.core.texts import translations_clean
from exceed.core.workflow import Workflow
from exceed.errors import DomainError
from exceed.org.models import Location, Person, Touchpoint
from exceed.standards.models import (
    Acknowledgement,
    Charter,
    CharterAttribute,
    CharterVersion,
    EntryStatus,
    EntryStatusChange,
    EntryVersion,
    PlaybookEntry,
    Situation,
    SituationCategory,
)
from exceed.standards.selectors import version_applies_to

ENTRY_PIPELINE: dict[str, tuple[str, ...]] = {
    EntryStatus.DRAFT: (EntryStatus.IN_REVIEW, EntryStatus.RETIRED),
    EntryStatus.IN_REVIEW: (EntryStatus.DRAFT, EntryStatus.PUBLISHED, EntryStatus.RETIRED),
    # Editing a published entry starts a new draft; the published version stays in force meanwhile.
    EntryStatus.PUBLISHED: (EntryStatus.DRAFT, EntryStatus.RETIRED),
    EntryStatus.RETIRED: (EntryStatus.DRAFT,),
}

ENTRY_WORKFLOW = Workflow(
    model=PlaybookEntry,
    moves=ENTRY_PIPELINE,
    history=EntryStatusChange,
    subject="entry",
    label=lambda status: str(EntryStatus(status).label) if status in EntryStatus.values else status,
)

RECOVERY_STEPS = ("acknowledge", "apologise", "fix", "gesture", "follow_up")
TEXT_FIELDS = ("steps", "words_to_use", "words_to_avoid", "authority")


def _check_review_date(review_on: date | None, *, today: date | None = None) -> None:
    if review_on is not None and review_on < (today or timezone.localdate()):
        raise DomainError(_("The review date cannot be in the past."), field="review_on")


def _texts(value, field: str) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise DomainError(_("%(field)s must be given per language.") % {"field": field}, field=field)
    return translations_clean(value)


# The charter ---------------------------------------------------------------------------------


def charter_get_or_create() -> Charter:
    charter, _created = Charter.objects.get_or_create(pk=1)
    return charter


@transaction.atomic
def charter_update(*, statement: dict, owner=None, review_on: date | None = None) -> Charter:
    charter = charter_get_or_create()
    if review_on != charter.review_on:
        _check_review_date(review_on)
    charter.statement = _texts(statement, "statement")
    charter.owner = owner
    charter.review_on = review_on
    charter.save()
    return charter


@transaction.atomic
def charter_attribute_save(
    *,
    code: str,
    name: dict,
    description: dict | None = None,
    behaviours: dict | None = None,
    position: int = 0,
    attribute: CharterAttribute | None = None,
) -> CharterAttribute:
    """Create the attribute ``code``, or change ``attribute``."""
    charter = charter_get_or_create()
    name = _texts(name, "name")
    if not name:
        raise DomainError(_("An attribute needs a name."), field="name")
    if attribute is None:
        if not code or CharterAttribute.objects.filter(charter=charter, code=code).exists():
            raise DomainError(_("An attribute needs a code of its own."), field="code")
        attribute = CharterAttribute(charter=charter, code=code)
    attribute.name = name
    attribute.description = _texts(description, "description")
    attribute.behaviours = _texts(behaviours, "behaviours")
    attribute.position = position
    attribute.save()
    return attribute


@transaction.atomic
def charter_attribute_delete(*, attribute: CharterAttribute) -> None:
    attribute.delete()


def _charter_content(charter: Charter) -> dict:
    return {
        "statement": charter.statement,
        "review_on": charter.review_on.isoformat() if charter.review_on else None,
        "attributes": [
            {
                "code": attribute.code,
                "name": attribute.name,
                "description": attribute.description,
                "behaviours": attribute.behaviours,
            }
            for attribute in charter.attributes.all()
        ],
    }


@transaction.atomic
def charter_publish(*, by=None, change_note: str = "", at: datetime | None = None) -> CharterVersion:
    charter = Charter.objects.select_for_update().get(pk=charter_get_or_create().pk)
    if not charter.attributes.exists():
        raise DomainError(_("A charter needs at least one attribute before it is published."), field="attributes")
    charter.version += 1
    charter.save(update_fields=["version"])
    return CharterVersion.objects.create(
        charter=charter,
        number=charter.version,
        content=_charter_content(charter),
        change_note=change_note.strip(),
        published_at=at or timezone.now(),
        published_by=by,
    )


# Situations ----------------------------------------------------------------------------------


def _check_situation(*, name: dict, category: str, recovery_step: str) -> None:
    if not name:
        raise DomainError(_("A situation needs a name."), field="name")
    if category not in SituationCategory.values:
        raise DomainError(_("%(value)s is not a known category.") % {"value": category}, field="category")
    if recovery_step and (category != SituationCategory.SERVICE_FAILURE or recovery_step not in RECOVERY_STEPS):
        raise DomainError(
            _("Only a service failure names a recovery step, one of %(steps)s.") % {"steps": ", ".join(RECOVERY_STEPS)},
            field="recovery_step",
        )


@transaction.atomic
def situation_create(
    *,
    code: str,
    name: dict,
    category: str,
    description: dict | None = None,
    recovery_step: str = "",
    position: int = 0,
) -> Situation:
    name = _texts(name, "name")
    _check_situation(name=name, category=category, recovery_step=recovery_step)
    if not code or Situation.objects.filter(code=code).exists():
        raise DomainError(_("A situation needs a code of its own."), field="code")
    return Situation.objects.create(
        code=code,
        name=name,
        description=_texts(description, "description"),
        category=category,
        recovery_step=recovery_step,
        position=position,
    )


@transaction.atomic
def situation_update(
    *,
    situation: Situation,
    name: dict,
    category: str,
    description: dict | None = None,
    recovery_step: str = "",
    position: int = 0,
) -> Situation:
    name = _texts(name, "name")
    _check_situation(name=name, category=category, recovery_step=recovery_step)
    situation.name = name
    situation.description = _texts(description, "description")
    situation.category = category
    situation.recovery_step = recovery_step
    situation.position = position
    situation.save()
    return situation


# Entries -------------------------------------------------------------------------------------


def touchpoint_by_code(code: str | None) -> Touchpoint | None:
    """The touchpoint named ``code``; None (every touchpoint) for a blank code."""
    if not code:
        return None
    touchpoint = Touchpoint.objects.filter(code=code).first()
    if touchpoint is None:
        raise DomainError(_("There is no touchpoint %(code)s.") % {"code": code}, field="touchpoint")
    return touchpoint


def _check_job_roles(job_roles) -> list[str]:
    if not isinstance(job_roles, list) or not all(isinstance(role, str) for role in job_roles):
        raise DomainError(_("Job roles must be a list of names."), field="job_roles")
    return sorted({role.strip() for role in job_roles if role.strip()})


@transaction.atomic
def entry_create(
    *,
    situation: Situation,
    touchpoint: Touchpoint | None,
    owner=None,
    review_on: date | None = None,
    steps: dict | None = None,
    words_to_use: dict | None = None,
    words_to_avoid: dict | None = None,
    authority: dict | None = None,
    attributes: list[CharterAttribute] = (),  # type: ignore[assignment]
    job_roles: list[str] = (),  # type: ignore[assignment]
    locations: list[Location] = (),  # type: ignore[assignment]
) -> PlaybookEntry:
    _check_review_date(review_on)
    if touchpoint is not None and not Touchpoint.objects.filter(pk=touchpoint.pk).exists():
        raise DomainError(_("There is no such touchpoint."), field="touchpoint")
    if PlaybookEntry.objects.filter(situation=situation, touchpoint=touchpoint).exists():
        raise DomainError(_("This situation already has an entry for this touchpoint."), field="touchpoint")
    entry = PlaybookEntry.objects.create(
        situation=situation,
        touchpoint=touchpoint,
        owner=owner,
        review_on=review_on,
        steps=_texts(steps, "steps"),
        words_to_use=_texts(words_to_use, "words_to_use"),
        words_to_avoid=_texts(words_to_avoid, "words_to_avoid"),
        authority=_texts(authority, "authority"),
        job_roles=_check_job_roles(list(job_roles)),
    )
    entry.attributes.set(attributes)
    entry.locations.set(locations)
    return entry


@transaction.atomic
def entry_update(
    *,
    entry: PlaybookEntry,
    by=None,
    owner=None,
    review_on: date | None = None,
    steps: dict | None = None,
    words_to_use: dict | None = None,
    words_to_avoid: dict | None = None,
    authority: dict | None = None,
    attributes: list[CharterAttribute] = (),  # type: ignore[assignment]
    job_roles: list[str] = (),  # type: ignore[assignment]
    locations: list[Location] = (),  # type: ignore[assignment]
) -> PlaybookEntry:
    """Change the working copy; a published entry goes back to draft (its version stays in force)."""
    if entry.status == EntryStatus.RETIRED:
        raise DomainError(_("A retired entry cannot be changed; bring it back as a draft first."), field="status")
    if review_on != entry.review_on:
        _check_review_date(review_on)
    if entry.status == EntryStatus.PUBLISHED:
        ENTRY_WORKFLOW.move(entry, EntryStatus.DRAFT, by=by, note=_("Edited after publication"))
    PlaybookEntry.objects.filter(pk=entry.pk).update(
        owner=owner,
        review_on=review_on,
        steps=_texts(steps, "steps"),
        words_to_use=_texts(words_to_use, "words_to_use"),
        words_to_avoid=_texts(words_to_avoid, "words_to_avoid"),
        authority=_texts(authority, "authority"),
        job_roles=_check_job_roles(list(job_roles)),
        updated_at=timezone.now(),
    )
    entry.refresh_from_db()
    entry.attributes.set(attributes)
    entry.locations.set(locations)
    return entry


@transaction.atomic
def entry_submit(*, entry: PlaybookEntry, by=None, note: str = "") -> PlaybookEntry:
    """Ask for review: the entry must hold what publishing needs."""
    _check_publishable(entry)
    return ENTRY_WORKFLOW.move(entry, EntryStatus.IN_REVIEW, by=by, note=note)


@transaction.atomic
def entry_send_back(*, entry: PlaybookEntry, by=None, note: str = "") -> PlaybookEntry:
    return ENTRY_WORKFLOW.move(entry, EntryStatus.DRAFT, by=by, note=note)


@transaction.atomic
def entry_retire(*, entry: PlaybookEntry, by=None, note: str = "") -> PlaybookEntry:
    return ENTRY_WORKFLOW.move(entry, EntryStatus.RETIRED, by=by, note=note)


@transaction.atomic
def entry_reopen(*, entry: PlaybookEntry, by=None, note: str = "") -> PlaybookEntry:
    """Bring a retired (or published) entry back as a draft."""
    return ENTRY_WORKFLOW.move(entry, EntryStatus.DRAFT, by=by, note=note)


def _check_publishable(entry: PlaybookEntry) -> None:
    if not any(text.strip() for text in (entry.steps or {}).values()):
        raise DomainError(_("An entry needs at least one step before it is published."), field="steps")


def _entry_content(entry: PlaybookEntry) -> dict:
    return {
        "situation": entry.situation.code,
        "touchpoint": entry.touchpoint.code if entry.touchpoint else None,
        **{field: getattr(entry, field) for field in TEXT_FIELDS},
        "attributes": [attribute.code for attribute in entry.attributes.all()],
        "job_roles": list(entry.job_roles),
        "location_ids": sorted(entry.locations.values_list("pk", flat=True)),
    }


@transaction.atomic
def entry_publish(*, entry: PlaybookEntry, by=None, change_note: str = "", at: datetime | None = None) -> EntryVersion:
    """Publish the reviewed working copy as the next immutable version.

    1. Lock the entry, so two publications cannot take the same number.
    2. Check it holds steps, then move it (in review → published) through the workflow.
    3. Write the version and point the entry at it: acknowledgements of earlier versions no
       longer count, for this entry only.
    """
    caller_entry = entry
    entry = (
        PlaybookEntry.objects.select_for_update(of=("self",)).select_related("situation", "touchpoint").get(pk=entry.pk)
    )
    _check_publishable(entry)
    last = entry.versions.order_by("-number").values_list("number", flat=True).first() or 0
    if last and not change_note.strip():
        raise DomainError(_("A new version needs a change note."), field="change_note")
    at = at or timezone.now()
    ENTRY_WORKFLOW.move(entry, EntryStatus.PUBLISHED, by=by, note=change_note, at=at)
    version = EntryVersion.objects.create(
        entry=entry,
        number=last + 1,
        content=_entry_content(entry),
        change_note=change_note.strip(),
        published_at=at,
        published_by=by,
    )
    PlaybookEntry.objects.filter(pk=entry.pk).update(published_version=version)
    caller_entry.status, caller_entry.published_version = entry.status, version
    return version


# Acknowledgements ----------------------------------------------------------------------------


@transaction.atomic
def acknowledgement_create(*, user, version: EntryVersion, at: datetime | None = None) -> Acknowledgement:
    """``user``'s person says they read ``version``; it must be the one in force and apply to them.

    Acknowledging twice returns the first acknowledgement (a double tap on a phone is not an error).
    """
    person = Person.objects.filter(user=user, active=True).first() if user is not None else None
    if person is None:
        raise DomainError(_("Only an employee with a login can acknowledge an entry."), field="person", status=403)
    entry = PlaybookEntry.objects.get(pk=version.entry_id)
    if entry.status == EntryStatus.RETIRED:
        raise DomainError(_("This entry is retired; there is nothing to acknowledge."), field="version", status=409)
    if entry.published_version_id != version.pk:
        raise DomainError(
            _("Version %(number)s has been replaced; read and acknowledge the current version.")
            % {"number": version.number},
            field="version",
            status=409,
        )
    if not version_applies_to(version, person):
        raise DomainError(_("This entry does not apply to you."), field="version", status=403)
    existing = Acknowledgement.objects.filter(version=version, person=person).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Acknowledgement.objects.create(version=version, person=person, by=user, at=at or timezone.now())
    except IntegrityError:  # the same tap, twice at once
        return Acknowledgement.objects.get(version=version, person=person)
