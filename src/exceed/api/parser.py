"""The API's request parser: ninja's, refusing a NUL character anywhere in a JSON body or a query.

PostgreSQL cannot store or even compare text holding NUL (a 500, ``DataError``) while SQLite
stores it; every string an API client sends passes through here first, so one check covers every
schema field, answer value and filter, and the error names where the NUL was (issue 7).
"""

from ninja.parser import Parser

from exceed.bounds import nul_path, text_problem
from exceed.errors import DomainError


class NulRefusingParser(Parser):
    def parse_body(self, request):
        body = super().parse_body(request)
        if (where := nul_path(body)) is not None:
            raise DomainError(text_problem("\x00") or "", field=where or "body", status=422)
        return body

    def parse_querydict(self, data, list_fields, request):
        for key, values in data.lists():
            for text in (key, *values):
                if problem := text_problem(text):
                    raise DomainError(problem, field=key.replace("\x00", "\\u0000"), status=422)
        return super().parse_querydict(data, list_fields, request)
