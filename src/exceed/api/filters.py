"""The feedback filters of the dashboard, as query parameters taking codes instead of ids."""


from django.utils.translation import gettext as _
from ninja import Field, Schema

from exceed.api.lookups import location_by_code, region_by_code, touchpoint_by_code
from exceed.api.types import BoundedDate, DbId
from exceed.bounds import period_problem
from exceed.errors import DomainError
from exceed.feedback.models import ChannelKind
from exceed.feedback.selectors import FeedbackFilter
from exceed.org.models import LANGUAGE_CODES


class FeedbackQuery(Schema):
    date_from: BoundedDate | None = Field(None, description="First local day, YYYY-MM-DD, from 2000-01-01")
    date_to: BoundedDate | None = Field(None, description="Last local day, YYYY-MM-DD, at most a year ahead")
    region: str | None = Field(None, description="Region code")
    location: str | None = Field(None, description="Location code")
    touchpoint: str | None = Field(None, description="Touchpoint code")
    person: DbId | None = Field(None, description="Person id")
    channel: str | None = Field(None, description="link, kiosk, email, api or import")
    language: str | None = Field(None, description="Response language code")

    def to_filter(self) -> FeedbackFilter:
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise DomainError(_("The end date is before the start date."), field="date_to")
        if problem := period_problem(self.date_from, self.date_to):
            raise DomainError(problem, field="date_from", status=422)
        if self.channel and self.channel not in ChannelKind.values:
            raise DomainError(_("Unknown channel: %(channel)s") % {"channel": self.channel}, field="channel")
        if self.language and self.language not in LANGUAGE_CODES:
            raise DomainError(_("Unknown language: %(language)s") % {"language": self.language}, field="language")
        return FeedbackFilter(
            date_from=self.date_from,
            date_to=self.date_to,
            region=region_by_code(self.region).pk if self.region else None,
            location=location_by_code(self.location).pk if self.location else None,
            touchpoint=touchpoint_by_code(self.touchpoint).pk if self.touchpoint else None,
            person=self.person,
            channel=self.channel or None,
            language=self.language or None,
        )
