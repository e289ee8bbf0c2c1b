"""Cursor pagination on (submitted_at, id), newest first.

Offsets skip or repeat rows while responses keep arriving; a cursor names the last row seen, so
the next page starts strictly after it whatever was inserted meanwhile. The cursor is opaque to
clients (URL-safe base64) so its form can change without breaking them.
"""

import base64
import json
from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from exceed.errors import DomainError


def cursor_encode(submitted_at: datetime, pk: int) -> str:
    raw = json.dumps([submitted_at.isoformat(), pk], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def cursor_decode(cursor: str) -> tuple[datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        stamp, pk = json.loads(raw)
        submitted_at = datetime.fromisoformat(stamp)
        if submitted_at.tzinfo is None or not isinstance(pk, int):
            raise ValueError(cursor)
    except (ValueError, TypeError, UnicodeDecodeError):
        raise DomainError(_("This cursor is not one the API handed out."), field="cursor") from None
    return submitted_at, pk


def page_after(rows: QuerySet, *, cursor: str | None, limit: int) -> tuple[list, str | None]:
    """One page of ``rows`` (newest first) after ``cursor``, and the cursor of the next page."""
    rows = rows.order_by("-submitted_at", "-pk")
    if cursor:
        submitted_at, pk = cursor_decode(cursor)
        rows = rows.filter(Q(submitted_at__lt=submitted_at) | Q(submitted_at=submitted_at, pk__lt=pk))
    page = list(rows[: limit + 1])
    if len(page) <= limit:
        return page, None
    page = page[:limit]
    return page, cursor_encode(page[-1].submitted_at, page[-1].pk)
