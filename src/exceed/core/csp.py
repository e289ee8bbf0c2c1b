"""The Content-Security-Policy header, built once per policy instead of once per response.

django-csp builds the header string from the settings on every response, twice (the policy and
the report-only one): about a twentieth of what a posted API response cost in CPU (issue 11,
BENCHMARKS.md "A lean request path"). Almost every response carries the site's one policy, so
this subclass keeps the built header and sets it as it is. Whatever makes a response's policy its
own — a view's ``csp_replace``/``csp_update``/``csp``, an exemption, a nonce asked for by a
template, a debug page — goes through django-csp unchanged, and the cache is dropped when a test
changes the settings.
"""

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
_built: dict[str, tuple[str, str]] = {}


@receiver(setting_changed)
def _forget(setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY") or setting == "DEBUG":
        _built.clear()


def _headers() -> tuple[str, str]:
    """(policy, report-only policy) of the settings, each "" when none is set."""
    if "site" not in _built:
        _built["site"] = (build_policy(), build_policy(report_only=True))
    return _built["site"]


def _site_wide(request: HttpRequest, response: HttpResponseBase) -> bool:
    if getattr(request, "_csp_nonce", None) is not None or settings.DEBUG:
        return False
    if HEADER in response or HEADER_REPORT_ONLY in response:
        return False
    if any(hasattr(response, name) for name in _OWN_POLICY):
        return False
    for name in ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY"):
        if (getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES"):
            return False
    return True


class CachedPolicyMiddleware(CSPMiddleware):
    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if not _site_wide(request, response):
            return super().process_response(request, response)
        policy, report_only = _headers()
        if policy:
            response[HEADER] = policy
        if report_only:
            response[HEADER_REPORT_ONLY] = report_only
        # As django-csp does: a nonce asked for after the header was written would not be in it.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response
