"""Middleware for the API's requests: its one error shape for a wrong method, and the HTML site's
layers that an API call, authenticated by its bearer token, has no use for."""

import json
from collections.abc import Callable

from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpResponseNotAllowed
from django.utils.translation import gettext as _
from django_otp.middleware import OTPMiddleware
from whitenoise.middleware import WhiteNoiseMiddleware

API_PREFIX = "/api/v1/"


class ApiMethodNotAllowed:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if isinstance(response, HttpResponseNotAllowed) and request.path.startswith("/api/"):
            response.content = json.dumps({"detail": _("Method not allowed."), "field": None}).encode()
            response["Content-Type"] = "application/json"
        return response


def _for_the_api(request) -> bool:
    return request.path_info.startswith(API_PREFIX)


class _PagesOnly:
    """Mixed in before an HTML-site middleware: the API's requests step past it.

    An API call carries a bearer token, not a session cookie: the session, the session's user and
    its second factor, messages and static files have nothing to do there, yet each was a layer of
    calls on every posted response (issue 11). The layers an API answer needs (security headers,
    the language from Accept-Language, the frame and content-security policies, the error shape)
    stay in MIDDLEWARE as they are, and so do CSRF and the sign-in lockout, whose presence Django's
    and django-axes' deployment checks look for by name (ninja's views are exempt from CSRF anyway). Subclasses, so
    that the admin's checks still find the middleware they ask for;
    tests/api/test_lean_middleware.py shows the split.
    """

    get_response: Callable

    def __call__(self, request):
        if _for_the_api(request):
            return self.get_response(request)
        return super().__call__(request)  # type: ignore[misc]  # the middleware it is mixed into


class StaticFiles(_PagesOnly, WhiteNoiseMiddleware):
    pass


class Sessions(_PagesOnly, SessionMiddleware):
    pass


class SessionUser(_PagesOnly, AuthenticationMiddleware):
    pass


class SecondFactor(_PagesOnly, OTPMiddleware):
    pass


class Messages(_PagesOnly, MessageMiddleware):
    pass
