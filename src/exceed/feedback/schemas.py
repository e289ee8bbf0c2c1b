"""Feedback's API schemas: surveys, responses, measures, invitations and the measures' filters."""

from datetime import date, datetime

from django.utils.translation import gettext as _
from ninja import Field, Schema

from exceed.api.types import BoundedDate, Code, DbId, Moment
from exceed.bounds import period_problem
from exceed.errors import DomainError
from exceed.feedback.models import ChannelKind
from exceed.feedback.selectors import SOURCE_CUSTOMERS, SOURCES, FeedbackFilter
from exceed.org.lookups import location_by_code, region_by_code, touchpoint_by_code
from exceed.org.models import LANGUAGE_CODES


class ChoiceOut(Schema):
    code: str
    label: dict[str, str]


class QuestionOut(Schema):
    code: str
    kind: str
    required: bool
    text: dict[str, str]
    help_text: dict[str, str]
    # What the ends of a scale mean; empty on other kinds.
    anchor_low: dict[str, str]
    anchor_high: dict[str, str]
    choices: list[ChoiceOut]


class SurveyOut(Schema):
    slug: str
    title: dict[str, str]
    default_language: str
    # The languages respondents may answer in; every text is given in each once the survey is active.
    languages: list[str]
    active: bool
    questions: list[QuestionOut]

    @staticmethod
    def resolve_languages(survey) -> list[str]:
        return survey.offered_languages


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
    external_id: Code | None = Field(
        None, min_length=1, max_length=120, description="Idempotency key: a repeat is refused with 409"
    )
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


# --- The measures' filters, as query parameters taking codes instead of ids ----------------------


class FeedbackQuery(Schema):
    date_from: BoundedDate | None = Field(None, description="First local day, YYYY-MM-DD, from 2000-01-01")
    date_to: BoundedDate | None = Field(None, description="Last local day, YYYY-MM-DD, at most a year ahead")
    region: str | None = Field(None, description="Region code")
    location: str | None = Field(None, description="Location code")
    touchpoint: str | None = Field(None, description="Touchpoint code")
    person: DbId | None = Field(None, description="Person id")
    channel: str | None = Field(None, description="link, kiosk, email, api, import or mystery")
    language: str | None = Field(None, description="Response language code")
    source: str | None = Field(
        None,
        description="customers (the default), mystery (approved mystery shops only) or all; a channel, if given, decides",
    )

    def to_filter(self) -> FeedbackFilter:
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise DomainError(_("The end date is before the start date."), field="date_to")
        if problem := period_problem(self.date_from, self.date_to):
            raise DomainError(problem, field="date_from", status=422)
        if self.channel and self.channel not in ChannelKind.values:
            raise DomainError(_("Unknown channel: %(channel)s") % {"channel": self.channel}, field="channel")
        if self.language and self.language not in LANGUAGE_CODES:
            raise DomainError(_("Unknown language: %(language)s") % {"language": self.language}, field="language")
        if self.source and self.source not in SOURCES:
            raise DomainError(
                _("Unknown source: %(source)s. Use customers, mystery or all.") % {"source": self.source},
                field="source",
            )
        return FeedbackFilter(
            date_from=self.date_from,
            date_to=self.date_to,
            region=region_by_code(self.region).pk if self.region else None,
            location=location_by_code(self.location).pk if self.location else None,
            touchpoint=touchpoint_by_code(self.touchpoint).pk if self.touchpoint else None,
            person=self.person,
            channel=self.channel or None,
            language=self.language or None,
            source=self.source or SOURCE_CUSTOMERS,
        )
