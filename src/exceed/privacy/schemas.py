from ninja import Schema


class CustomerIn(Schema):
    """The customer a request is about: an email address, a phone number, or both."""

    email: str = ""
    phone: str = ""


class EraseIn(CustomerIn):
    # Erasure cannot be undone: the client says so explicitly.
    confirm: bool = False


class HoldingsOut(Schema):
    responses: int
    invitations: int
    cases: int
    visits: int


class ExportOut(Schema):
    responses: list[dict]
    invitations: list[dict]
    recovery_cases: list[dict]
    visits: list[dict]
