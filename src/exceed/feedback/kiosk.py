"""A store tablet's kiosk credential: a signed cookie bound to one kiosk channel (issue 7, item 8).

Unlocking a tablet (with the kiosk's key from the back office, or with a manager's password on
the kiosk's own unlock form) gives the browser this cookie and nothing else: no staff session is
left on a customer-facing screen. The cookie holds a digest of the channel's current key, so
revoking the kiosks (a new key) locks every tablet at once, and a random tablet id by which each
tablet is throttled on its own.
"""

import hashlib
import secrets

from django.conf import settings
from django.core import signing
from django.utils.crypto import constant_time_compare

from exceed.feedback.models import Channel

# A tablet stays unlocked for a year, or until its kiosk's key is revoked.
MAX_AGE = 365 * 24 * 3600
_SALT = "exceed.feedback.kiosk"


def cookie_name(channel: Channel) -> str:
    return f"exceed_kiosk_{channel.slug}"


def _digest(channel: Channel) -> str:
    # The key itself never sits on the tablet: a cookie copied off it names no back-office link.
    return hashlib.sha256(channel.kiosk_key.encode()).hexdigest()[:32]


def kiosk_unlock(response, *, channel: Channel) -> None:
    """Give the browser that receives ``response`` the kiosk credential for ``channel``."""
    value = signing.dumps({"c": channel.pk, "k": _digest(channel), "t": secrets.token_hex(8)}, salt=_SALT)
    response.set_cookie(
        cookie_name(channel),
        value,
        max_age=MAX_AGE,
        path=f"/k/{channel.slug}/",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def kiosk_tablet(request, *, channel: Channel) -> str | None:
    """The unlocked tablet's id, or None when this browser holds no valid credential for ``channel``."""
    raw = request.COOKIES.get(cookie_name(channel))
    if not raw:
        return None
    try:
        value = signing.loads(raw, salt=_SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    if (
        not isinstance(value, dict)
        or value.get("c") != channel.pk
        or not constant_time_compare(str(value.get("k")), _digest(channel))
    ):
        return None
    return str(value.get("t", ""))
