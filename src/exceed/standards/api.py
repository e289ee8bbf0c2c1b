"""/api/v1/standards/…: the charter, situations, playbook entries with their versions,
acknowledgements and coverage, and the playbook file (export, import).

Thin: each handler reads the caller's scope, calls a selector or a service and returns a schema.
An entry the caller may not read is "not found". Mystery shoppers read nothing here: a shopper
must not learn the script they check.
"""

from django.utils.translation import gettext as _
from ninja import Body, Query, Router, Schema, Status

from exceed.api.types import DbId
from exceed.errors import DomainError
from exceed.org.lookups import location_by_code
from exceed.standards import entry_files, mail, services
from exceed.standards.models import EntryVersion, PlaybookEntry, Situation
from exceed.standards.schemas import (
    AcknowledgementOut,
    CharterOut,
    CoverageOut,
    EntryIn,
    EntryOut,
    ImportReportOut,
    PublishIn,
    RemindIn,
    RemindOut,
    SituationIn,
    SituationOut,
    VersionOut,
)
from exceed.standards.selectors import (
    charter_get,
    coverage_by_entry,
    coverage_by_location,
    entries_for_editor,
    entry_readable,
    person_of,
    playbook_for_reader,
)

router = Router(tags=["standards"])


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise DomainError(message, status=403)


def _version_out(version: EntryVersion) -> dict:
    return {
        "id": version.pk,
        "number": version.number,
        "published_at": version.published_at,
        "change_note": version.change_note,
        "content": version.content,
    }


def _entry_out(entry: PlaybookEntry, *, with_draft: bool) -> dict:
    versions = [_version_out(v) for v in entry.versions.all()] if with_draft else []
    if not with_draft and entry.published_version is not None:
        versions = [_version_out(entry.published_version)]
    return {
        "id": entry.pk,
        "situation": entry.situation.code,
        "touchpoint": entry.touchpoint.code if entry.touchpoint else None,
        "status": entry.status if with_draft else "published",
        "published_version": entry.published_version.number if entry.published_version else None,
        "review_on": entry.review_on if with_draft else None,
        "draft": (
            {
                "steps": entry.steps,
                "words_to_use": entry.words_to_use,
                "words_to_avoid": entry.words_to_avoid,
                "authority": entry.authority,
                "attributes": [attribute.code for attribute in entry.attributes.all()],
                "job_roles": entry.job_roles,
                "locations": [location.code for location in entry.locations.all()],
            }
            if with_draft
            else None
        ),
        "versions": versions,
    }


def _situation_out(situation: Situation) -> dict:
    return {
        "id": situation.pk,
        "code": situation.code,
        "name": situation.name,
        "description": situation.description,
        "category": situation.category,
        "recovery_step": situation.recovery_step,
        "position": situation.position,
    }


@router.get("/standards/charter", response=CharterOut)
def charter_read(request):
    _require(request.scope.reads_playbook, _("You may not read the playbook."))
    found = charter_get()
    published = found.versions.first() if found else None
    return {
        "statement": found.statement if found else {},
        "owner": found.owner.username if found and found.owner else None,
        "review_on": found.review_on if found else None,
        "version": found.version if found else 0,
        "published_at": published.published_at if published else None,
        "attributes": [
            {
                "code": a.code,
                "name": a.name,
                "description": a.description,
                "behaviours": a.behaviours,
                "position": a.position,
            }
            for a in (found.attributes.all() if found else [])
        ],
    }


@router.get("/standards/situations", response=list[SituationOut])
def situations_list(request):
    _require(request.scope.reads_playbook, _("You may not read the playbook."))
    return [_situation_out(situation) for situation in Situation.objects.all()]


@router.post("/standards/situations", response={201: SituationOut})
def situations_create(request, payload: SituationIn):
    _require(request.scope.may_edit_standards, _("Only owners write the playbook."))
    situation = services.situation_create(**payload.dict())
    return Status(201, _situation_out(situation))


class EntryQuery(Schema):
    q: str = ""


@router.get("/standards/entries", response=list[EntryOut])
def entries_list(request, query: Query[EntryQuery]):
    """Owners: every entry with its draft and all versions. Others: the versions in force they may read."""
    _require(request.scope.reads_playbook, _("You may not read the playbook."))
    if request.scope.may_edit_standards and not query.q:
        entries = entries_for_editor().prefetch_related("versions", "attributes", "locations")
        return [_entry_out(entry, with_draft=True) for entry in entries]
    items = playbook_for_reader(scope=request.scope, language=request.LANGUAGE_CODE or "en", query=query.q)
    return [_entry_out(item.entry, with_draft=False) for item in items]


def _entry_or_404(request, entry_id: int) -> PlaybookEntry:
    entry = (
        PlaybookEntry.objects.select_related("situation", "touchpoint", "published_version").filter(pk=entry_id).first()
    )
    if entry is None or not request.scope.reads_playbook or not entry_readable(scope=request.scope, entry=entry):
        raise DomainError(_("No such entry."), status=404)
    return entry


@router.get("/standards/entries/{entry_id}", response=EntryOut)
def entries_read(request, entry_id: DbId):
    entry = _entry_or_404(request, entry_id)
    return _entry_out(entry, with_draft=request.scope.may_edit_standards)


def _entry_values(payload: EntryIn) -> dict:
    from exceed.standards.models import CharterAttribute

    attributes = []
    for code in payload.attributes:
        attribute = CharterAttribute.objects.filter(charter_id=1, code=code).first()
        if attribute is None:
            raise DomainError(_("Unknown charter attribute: %(code)s") % {"code": code}, field="attributes")
        attributes.append(attribute)
    return {
        "steps": payload.steps,
        "words_to_use": payload.words_to_use,
        "words_to_avoid": payload.words_to_avoid,
        "authority": payload.authority,
        "review_on": payload.review_on,
        "attributes": attributes,
        "job_roles": payload.job_roles,
        "locations": [location_by_code(code) for code in payload.locations],
    }


@router.post("/standards/entries", response={201: EntryOut})
def entries_create(request, payload: EntryIn):
    _require(request.scope.may_edit_standards, _("Only owners write the playbook."))
    situation = Situation.objects.filter(code=payload.situation).first()
    if situation is None:
        raise DomainError(_("Unknown situation: %(code)s") % {"code": payload.situation}, field="situation")
    entry = services.entry_create(
        situation=situation,
        touchpoint=services.touchpoint_by_code(payload.touchpoint),
        owner=request.user,
        **_entry_values(payload),
    )
    return Status(201, _entry_out(entry, with_draft=True))


@router.put("/standards/entries/{entry_id}", response=EntryOut)
def entries_update(request, entry_id: DbId, payload: EntryIn):
    _require(request.scope.may_edit_standards, _("Only owners write the playbook."))
    entry = _entry_or_404(request, entry_id)
    entry = services.entry_update(entry=entry, by=request.user, owner=entry.owner, **_entry_values(payload))
    return _entry_out(entry, with_draft=True)


@router.post("/standards/entries/{entry_id}/submit", response=EntryOut)
def entries_submit(request, entry_id: DbId):
    _require(request.scope.may_edit_standards, _("Only owners write the playbook."))
    entry = services.entry_submit(entry=_entry_or_404(request, entry_id), by=request.user)
    return _entry_out(entry, with_draft=True)


@router.post("/standards/entries/{entry_id}/publish", response={201: VersionOut})
def entries_publish(request, entry_id: DbId, payload: PublishIn):
    _require(request.scope.may_edit_standards, _("Only owners write the playbook."))
    version = services.entry_publish(
        entry=_entry_or_404(request, entry_id), by=request.user, change_note=payload.change_note
    )
    return Status(201, _version_out(version))


@router.post("/standards/entries/{entry_id}/retire", response=EntryOut)
def entries_retire(request, entry_id: DbId):
    _require(request.scope.may_edit_standards, _("Only owners write the playbook."))
    entry = services.entry_retire(entry=_entry_or_404(request, entry_id), by=request.user)
    return _entry_out(entry, with_draft=True)


@router.post("/standards/entries/{entry_id}/acknowledge", response={201: AcknowledgementOut})
def entries_acknowledge(request, entry_id: DbId):
    """The caller's own person acknowledges the version in force (it must apply to them)."""
    entry = _entry_or_404(request, entry_id)
    if entry.published_version is None:
        raise DomainError(_("This entry has not been published yet."), field="version", status=409)
    ack = services.acknowledgement_create(user=request.user, version=entry.published_version)
    return Status(201, {"entry": entry.pk, "version": ack.version.number, "person": ack.person_id, "at": ack.at})


@router.get("/standards/acknowledgements", response=list[AcknowledgementOut])
def acknowledgements_list(request):
    """Managers: every acknowledgement of a version in force by people in scope; others: their own."""
    from exceed.org.scopes import locations_in_scope
    from exceed.standards.models import Acknowledgement

    _require(request.scope.reads_playbook, _("You may not read the playbook."))
    acks = Acknowledgement.objects.select_related("version")
    if request.scope.sees_acknowledgement_coverage:
        acks = acks.filter(person__locations__in=locations_in_scope(request.scope)).distinct()
    else:
        person = person_of(request.user)
        acks = acks.filter(person=person) if person else acks.none()
    return [
        {"entry": ack.version.entry_id, "version": ack.version.number, "person": ack.person_id, "at": ack.at}
        for ack in acks.order_by("-at", "pk")[:5000]
    ]


@router.get("/standards/coverage", response=CoverageOut)
def coverage_read(request):
    _require(request.scope.sees_acknowledgement_coverage, _("Coverage is for managers."))
    return {
        "locations": [
            {"location": row.location.code, "asked": row.required, "acknowledged": row.acknowledged, "pct": row.percent}
            for row in coverage_by_location(scope=request.scope)
        ],
        "entries": [
            {
                "entry": row.version.entry_id,
                "version": row.version.number,
                "asked": row.required,
                "acknowledged": row.acknowledged,
                "pct": row.percent,
            }
            for row in coverage_by_entry(scope=request.scope)
        ],
    }


@router.post("/standards/coverage/remind", response=RemindOut)
def coverage_remind(request, payload: RemindIn):
    location = location_by_code(payload.location)
    sent = mail.acknowledgement_remind(scope=request.scope, by=request.user, location_id=location.pk)
    return {"sent": sent}


@router.get("/standards/export")
def playbook_export(request):
    _require(request.scope.may_edit_standards, _("Only owners write the playbook."))
    return entry_files.playbook_export()


@router.post("/standards/import", response=ImportReportOut)
def playbook_import(request, payload: Body[dict]):
    _require(request.scope.may_edit_standards, _("Only owners write the playbook."))
    report = entry_files.playbook_import(definition=payload, by=request.user)
    return {"created": report.created, "updated": report.updated}
