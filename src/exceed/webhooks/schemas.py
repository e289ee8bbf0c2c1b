from datetime import datetime

from ninja import Field, Schema


class SubscriptionIn(Schema):
    url: str = Field(..., max_length=500, examples=["https://hooks.example.com/exceed"])
    events: list[str] = Field(..., examples=[["response.stored", "case.opened"]])
    description: str = Field("", max_length=200)


class SubscriptionOut(Schema):
    id: int
    url: str
    events: list[str]
    description: str
    active: bool
    created_at: datetime


class SubscriptionCreated(SubscriptionOut):
    secret: str = Field(
        ...,
        description="The signing secret (Standard Webhooks). Shown only now: keep it.",
        examples=["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"],
    )


class DeliveryOut(Schema):
    id: int
    message_id: str
    event: str
    status: str
    attempts: int
    created_at: datetime
    last_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str
    next_attempt_at: datetime | None
    delivered_at: datetime | None
