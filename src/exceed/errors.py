"""The one domain error. Views turn it into a form error, the API into a 4xx JSON body."""


class DomainError(Exception):
    def __init__(self, message: str, *, field: str | None = None, status: int = 400, extra: dict | None = None):
        super().__init__(message)
        self.message = str(message)
        self.field = field
        self.status = status
        # More for a client to act on, e.g. the stored response's ``id`` on a repeated external id.
        self.extra = dict(extra or {})

    def as_dict(self) -> dict:
        return {"detail": self.message, "field": self.field, **self.extra}
