"""Gunicorn's access log without the secrets that travel in addresses.

An emailed invitation's token is the path segment after /i/, and a kiosk is unlocked with ?key=…;
either, copied from a log, opens a survey as that customer or that store. `exceed serve` runs
gunicorn with this logger class, which writes every other detail of the request as before;
settings.LOGGING puts the filter below on Django's own log lines.
"""

import functools
import logging
import re

from gunicorn.glogging import Logger

REDACTED = "[redacted]"
# /i/<token>/ (an invitation), wherever the path appears: the request line, the path, the referrer
# (a page's own assets are requested with it as referrer).
_INVITATION_PATH = re.compile(r"(/i/)[^/?#\s\"]+")
# Query parameters that carry a credential: the kiosk's key, and any token.
_SECRET_PARAMETER = re.compile(r"((?:^|[?&;])(?:key|token|kiosk_key)=)[^&;#\s\"]*", re.IGNORECASE)


def redact(text: str) -> str:
    """The text with invitation tokens and credential parameters replaced by [redacted]."""
    return _SECRET_PARAMETER.sub(r"\1" + REDACTED, _INVITATION_PATH.sub(r"\1" + REDACTED, text))


# The atoms a log format names: %(r)s, %({user-agent}i)s, … (gunicorn's own syntax).
_ATOM = re.compile(r"%\(([^)]+)\)")


@functools.lru_cache(maxsize=4)
def _named(line_format: str) -> tuple[str, ...]:
    # gunicorn looks a header's atom up in lower case ({X-Forwarded-For}i → {x-forwarded-for}i).
    return tuple(name.lower() if name.startswith("{") else name for name in _ATOM.findall(line_format))


class RedactingLogger(Logger):
    """Writes only the atoms its format names, redacted. gunicorn builds every atom of the request
    (each header and environment variable, some fifty values) and then copies them all; redacting
    them all as well cost about a tenth of a posted response's CPU (issue 11, BENCHMARKS.md).
    The line written is the same."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        named = {}
        for name in _named(self.cfg.access_log_format):
            if name in atoms:
                value = atoms[name]
                named[name] = redact(value) if isinstance(value, str) else value
        return named


class RedactingFilter(logging.Filter):
    """The same redaction for Django's own log lines ("Not Found: /i/<token>/" on a 404)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True
