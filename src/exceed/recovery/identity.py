"""Customer identities, hashed so a visit or a later answer can be matched to a case without
storing who the customer is (GDPR data minimisation)."""

import hashlib
import re

from django.conf import settings


def _salt() -> bytes:
    # Per install: derived from the secret key, so two installs never share hashes, and a leaked
    # table cannot be joined against another shop's.
    return hashlib.sha256(b"exceed.recovery.customer:" + settings.SECRET_KEY.encode()).digest()


def normalise(value: str) -> str:
    value = (value or "").strip().lower()
    if "@" in value:
        return value
    digits = re.sub(r"[^\d+]", "", value)
    # A phone number, written with spaces or dashes, hashes the same; other references keep their letters.
    return digits if len(digits) >= 6 and len(digits) >= len(re.sub(r"\s|-", "", value)) else value


def customer_hash(value: str) -> str:
    """The SHA-256 of a normalised email, phone number or customer reference; "" for nothing."""
    value = normalise(value)
    if not value:
        return ""
    return hashlib.sha256(_salt() + value.encode()).hexdigest()
