"""Signatures as the Standard Webhooks specification defines them (standardwebhooks.com).

The receiver computes base64(HMAC-SHA256(key, "<webhook-id>.<webhook-timestamp>.<body>")) with the
key the secret's base64 after ``whsec_``, and compares it with the ``v1,`` entry of
``webhook-signature``; any Standard Webhooks library (or Svix's) verifies what this signs.
"""

import base64
import hashlib
import hmac
import secrets

SECRET_PREFIX = "whsec_"


def secret_new() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()


def sign(secret: str, message_id: str, timestamp: int, body: str) -> str:
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    digest = hmac.new(key, f"{message_id}.{timestamp}.{body}".encode(), hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def headers(secret: str, message_id: str, timestamp: int, body: str) -> dict[str, str]:
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(secret, message_id, timestamp, body),
    }
