"""The standards API's schemas: texts are maps of language code to text (core.texts)."""

from datetime import date, datetime

from ninja import Field, Schema

from exceed.api.types import BoundedDate, Code


class AttributeOut(Schema):
    code: str
    name: dict[str, str]
    description: dict[str, str]
    behaviours: dict[str, str]
    position: int


class CharterOut(Schema):
    statement: dict[str, str]
    owner: str | None
    review_on: date | None
    version: int
    published_at: datetime | None
    attributes: list[AttributeOut]


class SituationIn(Schema):
    code: Code = Field(..., max_length=60)
    name: dict[str, str]
    description: dict[str, str] = {}
    category: str
    recovery_step: str = ""
    position: int = Field(0, ge=0, le=999)


class SituationOut(Schema):
    id: int
    code: str
    name: dict[str, str]
    description: dict[str, str]
    category: str
    recovery_step: str
    position: int


class VersionOut(Schema):
    id: int
    number: int
    published_at: datetime
    change_note: str
    content: dict


class DraftOut(Schema):
    steps: dict[str, str]
    words_to_use: dict[str, str]
    words_to_avoid: dict[str, str]
    authority: dict[str, str]
    attributes: list[str]
    job_roles: list[str]
    locations: list[str]


class EntryOut(Schema):
    id: int
    situation: str
    touchpoint: str | None
    status: str
    published_version: int | None
    review_on: date | None
    # The working copy: owners only.
    draft: DraftOut | None
    # Owners: every version, newest first; readers: the version in force.
    versions: list[VersionOut]


class EntryIn(Schema):
    situation: Code = ""
    touchpoint: Code | None = None
    steps: dict[str, str] = {}
    words_to_use: dict[str, str] = {}
    words_to_avoid: dict[str, str] = {}
    authority: dict[str, str] = {}
    attributes: list[Code] = []
    job_roles: list[str] = []
    locations: list[Code] = []
    review_on: BoundedDate | None = None


class PublishIn(Schema):
    change_note: str = Field("", max_length=2000)


class AcknowledgementOut(Schema):
    entry: int
    version: int
    person: int
    at: datetime


class LocationCoverageOut(Schema):
    location: str
    asked: int
    acknowledged: int
    pct: int | None


class EntryCoverageOut(Schema):
    entry: int
    version: int
    asked: int
    acknowledged: int
    pct: int | None


class CoverageOut(Schema):
    locations: list[LocationCoverageOut]
    entries: list[EntryCoverageOut]


class RemindIn(Schema):
    location: Code


class RemindOut(Schema):
    sent: int


class ImportReportOut(Schema):
    created: int
    updated: int
