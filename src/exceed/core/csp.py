"""The Content-Security-Policy header, built once per policy instead of once per response.

django-csp builds the header string from the settings on every response, twice (the policy and
the report-only one): about a twentieth of what a posted API response cost in CPU (issue 11,
BENCHMARKS.md "A lean request path"). Almost every response carries the site's one policy, so
this subclass keeps the built header and sets it as it is. Whatever makes a response's policy its
own — a view's ``csp_replace``/``csp_update``/``csp``, an exemption, a nonce asked for by a
template, a debug page — goes through django-csp unchanged, and the cache is dropped when a test
changes the settings.
"""

import functools

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest
from django.http.response import HttpResponseBase

# What a view or decorator leaves on a response to give it a policy of its own (django-csp 4).
_OWN_POLICY = tuple(
    f"_csp_{kind}{suffix}" for kind in ("config", "update", "replace", "exempt") for suffix in ("", "_ro")
)


@functools.cache
def _site_headers() -> tuple[str, str] | None:
    """(policy, report-only policy) of the settings, each "" when none is set; None when a policy
    excludes address prefixes, which django-csp then decides response by response."""
    for name in ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY"):
        if (getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES"):
            return None
    return build_policy(), build_policy(report_only=True)


@receiver(setting_changed)
def _forget(setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _site_headers.cache_clear()


def _has_own_policy(request: HttpRequest, response: HttpResponseBase) -> bool:
    return (
        getattr(request, "_csp_nonce", None) is not None
        or settings.DEBUG
        or HEADER in response
        or HEADER_REPORT_ONLY in response
        or any(hasattr(response, name) for name in _OWN_POLICY)
    )


class CachedPolicyMiddleware(CSPMiddleware):
    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        headers = _site_headers()
        if headers is None or _has_own_policy(request, response):
            return super().process_response(request, response)
        policy, report_only = headers
        if policy:
            response[HEADER] = policy
        if report_only:
            response[HEADER_REPORT_ONLY] = report_only
        # As django-csp does: a nonce asked for after the header was written would not be in it.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response
