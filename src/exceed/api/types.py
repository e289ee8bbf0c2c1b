"""Constrained types for the API's schemas and parameters, with the limits of ``exceed.bounds``.

A value that breaks one fails pydantic's validation, which ``main.validation_error`` answers with
a 422 naming the field; the OpenAPI document carries the numeric bounds. NUL in any JSON string or
query value is refused before this, by ``exceed.api.parser``.
"""

from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated

from pydantic import AfterValidator, Field

from exceed.bounds import (
    MAX_DB_INT,
    MAX_OFFSET,
    code_problem,
    date_problem,
    moment_problem,
)


def _refusing(problem: Callable[[object], str | None]) -> AfterValidator:
    def check(value):
        if value is not None and (message := problem(value)):
            raise ValueError(message)
        return value

    return AfterValidator(check)


# A database id (a person, a case, a rule): bigint's range, so a larger number is a 422, not a 500.
DbId = Annotated[int, Field(ge=1, le=MAX_DB_INT)]
# Handlers treat a negative offset as 0.
Offset = Annotated[int, Field(le=MAX_OFFSET)]
# A day to filter by, within 2000-01-01 .. a year from today.
BoundedDate = Annotated[date, _refusing(date_problem)]
# When something happened (a visit, an answer): not before 2000. Whether it may lie ahead is the
# handler's or service's rule (a till's clock may run a few minutes fast).
Moment = Annotated[datetime, _refusing(moment_problem)]
# A one-line identifier a till or an import sends (external id, employee number, code): no
# control characters, which would make two equal-looking identifiers differ.
Code = Annotated[str, _refusing(code_problem)]
