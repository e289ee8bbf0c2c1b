"""Mystery shopping's periodic work (core.periodic): thin, each calls its service."""

from datetime import datetime

from exceed.mystery.services.assignments import assignments_expire, assignments_generate, assignments_remind
from exceed.mystery.services.reports import evidence_expire


def assignments_tick(*, now: datetime) -> str:
    expired = assignments_expire(now=now)
    created = assignments_generate(now=now)
    reminded = assignments_remind(now=now)
    return f"{created} generated, {reminded} reminded, {expired} expired"


def evidence_tick(*, now: datetime) -> str:
    return f"{evidence_expire(now=now)} evidence files deleted"
