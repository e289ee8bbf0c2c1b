"""The Content-Security-Policy header built once (exceed.core.csp) is the one django-csp would
build for every response, and a response with a policy of its own still gets its own."""

from csp.constants import HEADER, HEADER_REPORT_ONLY, NONCE, SELF
from csp.decorators import csp_exempt, csp_replace
from csp.middleware import CSPMiddleware
from csp.utils import build_policy
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from exceed.core.csp import CachedPolicyMiddleware


def _through(middleware_class, view, path="/"):
    request = RequestFactory().get(path)
    middleware = middleware_class(view)
    return request, middleware(request)


def _plain(request):
    return HttpResponse("ok")


def test_a_plain_response_gets_exactly_the_policy_django_csp_builds():
    _request, ours = _through(CachedPolicyMiddleware, _plain)
    _request, theirs = _through(CSPMiddleware, _plain)
    assert ours[HEADER] == theirs[HEADER] == build_policy()
    assert "frame-ancestors 'none'" in ours[HEADER]
    assert HEADER_REPORT_ONLY not in ours


def test_a_view_that_replaces_a_directive_keeps_its_own_policy():
    view = csp_replace({"frame-ancestors": [SELF]})(_plain)
    _request, answer = _through(CachedPolicyMiddleware, view)
    assert "frame-ancestors 'self'" in answer[HEADER]
    _request, plain = _through(CachedPolicyMiddleware, _plain)
    assert "frame-ancestors 'none'" in plain[HEADER]  # the replacement did not leak into the cache


def test_an_exempt_view_gets_no_header():
    _request, answer = _through(CachedPolicyMiddleware, csp_exempt()(_plain))
    assert HEADER not in answer


def test_a_nonce_asked_for_while_rendering_is_in_that_response_header_only():
    def with_nonce(request):
        return HttpResponse(f"<script nonce='{request.csp_nonce}'></script>")

    # Exceed's pages use no nonce; a policy that lists one, as a template's inline script would need.
    policy = {"DIRECTIVES": {"default-src": [SELF], "script-src": [SELF, NONCE]}}
    with override_settings(CONTENT_SECURITY_POLICY=policy):
        _request, answer = _through(CachedPolicyMiddleware, with_nonce)
        nonce = answer.content.decode().split("'")[1]
        assert f"'nonce-{nonce}'" in answer[HEADER]
        _request, plain = _through(CachedPolicyMiddleware, _plain)
        assert "nonce-" not in plain[HEADER]


def test_changed_settings_change_the_header():
    _through(CachedPolicyMiddleware, _plain)  # cached with the site's policy
    policy = {"DIRECTIVES": {"default-src": [SELF], "img-src": ["https://example.com"]}}
    with override_settings(CONTENT_SECURITY_POLICY=policy, CONTENT_SECURITY_POLICY_REPORT_ONLY=policy):
        _request, answer = _through(CachedPolicyMiddleware, _plain)
        assert "img-src https://example.com" in answer[HEADER]
        assert "img-src https://example.com" in answer[HEADER_REPORT_ONLY]
    _request, answer = _through(CachedPolicyMiddleware, _plain)
    assert "example.com" not in answer[HEADER]


def test_a_nonce_asked_for_after_the_header_was_written_is_refused():
    request, _answer = _through(CachedPolicyMiddleware, _plain)
    try:
        str(request.csp_nonce)
    except Exception as error:
        assert "after the CSP header has been written" in str(error)
    else:
        raise AssertionError("a nonce after the header must be refused")
