"""What every router's schemas share: the one error shape and the field checks of codes and emails.

Each domain app keeps its own schemas in ``<app>/schemas.py``. Codes (location, region,
touchpoint, survey slug) stand in for database ids wherever people use codes; people are named by
id because they have no code.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from ninja import Schema

CODE = r"^[-a-zA-Z0-9_]+$"


def email_or_blank(value: str) -> str:
    value = (value or "").strip()
    if value:
        try:
            validate_email(value)
        except DjangoValidationError:
            raise ValueError("not a valid email address") from None
    return value


class ErrorOut(Schema):
    detail: str
    field: str | None = None
