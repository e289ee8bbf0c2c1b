"""The one domain error. Views turn it into a form error, the API into a 4xx JSON body."""


class DomainError(Exception):
    def __init__(self, message: str, *, field: str | None = None, status: int = 400):
        super().__init__(message)
        self.message = str(message)
        self.field = field
        self.status = status

    def as_dict(self) -> dict:
        return {"detail": self.message, "field": self.field}
