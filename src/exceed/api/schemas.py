"""The API's typed boundary: what comes in and what goes out, for every router.

Codes (location, region, touchpoint, survey slug) stand in for database ids wherever people use
codes; people are named by id because they have no code.
"""

from datetime import date, datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from ninja import Field, Schema
from pydantic import field_validator

from exceed.api.types import Code, DbId, Moment

CODE = r"^[-a-zA-Z0-9_]+$"


def _email_or_blank(value: str) -> str:
    value = (value or "").strip()
    if value:
        try:
            validate_email(value)
        except DjangoValidationError:
            raise ValueError("not a valid email address")
    return value


class ErrorOut(Schema):
    detail: str
    field: str | None = None


# --- Organisation --------------------------------------------------------------------------------


class LocationOut(Schema):
    code: str
    name: str
    region: str
    region_name: str
    timezone: str
    default_language: str
    address: str
    active: bool


class LocationIn(Schema):
    code: str = Field(..., min_length=1, max_length=32, pattern=CODE)
    name: str = Field(..., min_length=1, max_length=120)
    region: str = Field(..., min_length=1, max_length=32, description="Region code")
    region_name: str | None = Field(None, max_length=120, description="Creates the region if its code is new")
    timezone: str = Field("UTC", max_length=64)
    default_language: str = Field("en", max_length=5)
    address: str = Field("", max_length=2000)


class LocationPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=120)
    region: str | None = Field(None, min_length=1, max_length=32, description="Region code")
    timezone: str | None = Field(None, max_length=64)
    default_language: str | None = Field(None, max_length=5)
    address: str | None = Field(None, max_length=2000)
    active: bool | None = None


class PersonOut(Schema):
    id: int
    name: str
    email: str
    job_role: str
    external_ref: str | None
    active: bool
    locations: list[str]


class PersonIn(Schema):
    name: str = Field(..., min_length=1, max_length=120)
    locations: list[str] = Field(default_factory=list, description="Location codes")
    email: str = Field("", max_length=254)
    job_role: str = Field("", max_length=80)
    external_ref: Code | None = Field(None, max_length=64)

    _email = field_validator("email")(_email_or_blank)


class PersonPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=120)
    locations: list[str] | None = Field(None, description="Location codes; replaces the list")
    email: str | None = Field(None, max_length=254)
    job_role: str | None = Field(None, max_length=80)
    external_ref: Code | None = Field(None, max_length=64)
    active: bool | None = None

    _email = field_validator("email")(_email_or_blank)


class TouchpointOut(Schema):
    code: str
    name: str
    position: int


# --- Surveys -------------------------------------------------------------------------------------


class ChoiceOut(Schema):
    code: str
    label: dict[str, str]


class QuestionOut(Schema):
    code: str
    kind: str
    required: bool
    text: dict[str, str]
    help_text: dict[str, str]
    choices: list[ChoiceOut]


class SurveyOut(Schema):
    slug: str
    title: dict[str, str]
    default_language: str
    active: bool
    questions: list[QuestionOut]


# --- Responses -----------------------------------------------------------------------------------


class ContactIn(Schema):
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=40)


class ResponseIn(Schema):
    survey: str = Field("visit", max_length=64, description="Survey slug")
    location: str = Field(..., max_length=32, description="Location code")
    touchpoint: str | None = Field(None, max_length=32, description="Touchpoint code")
    people: list[DbId] = Field(default_factory=list, max_length=50, description="Ids of the people who served")
    language: str | None = Field(None, max_length=5, description="Defaults to the location's language")
    answers: dict[str, str | int | bool | list[str | int] | None] = Field(
        ..., description="Question code → value: a number, below/met/exceeded, text, choice code(s), person id(s)"
    )
    transaction_ref: Code = Field("", max_length=120)
    external_id: Code | None = Field(None, min_length=1, max_length=120, description="Idempotency key: a repeat is refused with 409")
    submitted_at: Moment | None = Field(None, description="With a UTC offset; defaults to now")
    contact: ContactIn | None = None


class ResponseOut(Schema):
    id: int
    survey: str
    location: str
    touchpoint: str | None
    channel: str
    people: list[int]
    language: str
    submitted_at: datetime
    local_date: date
    transaction_ref: str
    external_id: str | None
    return_likelihood: int | None
    expectation: str | None = Field(None, description="below, met or exceeded")
    csat: int | None
    comment: str
    contact_consent: bool
    contact_email: str | None = Field(None, description="Only for managers, and only with consent")
    contact_phone: str | None = None
    answers: dict[str, int | str | bool | list[str] | list[int] | None]


class ResponsePage(Schema):
    items: list[ResponseOut]
    next_cursor: str | None


# --- Measures ------------------------------------------------------------------------------------


class FigureOut(Schema):
    value: float | None
    n: int
    ci_low: float | None
    ci_high: float | None


class MeasureOut(Schema):
    group: dict[str, str | int | date | None]
    responses: int
    return_score: FigureOut
    return_mean: float | None
    expectation_index: FigureOut
    exceeded_share: FigureOut
    csat: FigureOut


# --- Invitations ---------------------------------------------------------------------------------


class InvitationIn(Schema):
    email: str = Field(..., max_length=254)
    location: str = Field(..., max_length=32, description="Location code")
    touchpoint: str | None = Field(None, max_length=32, description="Touchpoint code")
    person: DbId | None = Field(None, description="Id of the person who served")
    language: str = Field("", max_length=5)
    transaction_ref: Code = Field("", max_length=120)
    survey: str = Field("visit", max_length=64, description="Survey slug")


class InvitationOut(Schema):
    id: int
    email: str
    survey: str
    location: str
    touchpoint: str | None
    person: int | None
    language: str
    transaction_ref: str
    status: str
    created_at: datetime
