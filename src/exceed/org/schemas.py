"""The organisation's API schemas: locations, people and touchpoints, named by code."""

from ninja import Field, Schema
from pydantic import field_validator

from exceed.api.schemas import CODE, email_or_blank
from exceed.api.types import Code


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
    shown_to_customers: bool
    locations: list[str]


class PersonIn(Schema):
    name: str = Field(..., min_length=1, max_length=120)
    locations: list[str] = Field(default_factory=list, description="Location codes")
    email: str = Field("", max_length=254)
    job_role: str = Field("", max_length=80)
    external_ref: Code | None = Field(None, max_length=64)
    shown_to_customers: bool = Field(
        False, description="The person agreed that their name is listed on public survey pages"
    )

    _email = field_validator("email")(email_or_blank)


class PersonPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=120)
    locations: list[str] | None = Field(None, description="Location codes; replaces the list")
    email: str | None = Field(None, max_length=254)
    job_role: str | None = Field(None, max_length=80)
    external_ref: Code | None = Field(None, max_length=64)
    active: bool | None = None
    shown_to_customers: bool | None = None

    _email = field_validator("email")(email_or_blank)


class TouchpointOut(Schema):
    code: str
    name: str
    names: dict[str, str] = Field(default_factory=dict, description="The name in other languages, by language code")
    position: int
