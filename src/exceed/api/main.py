"""The JSON API: one NinjaAPI, one router per domain app, bearer tokens carrying their user's scope."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import RequestDataTooBig
from django.db import connection
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.views import openapi_view
from ninja.security import HttpBearer

from exceed.api.models import ApiToken
from exceed.api.parser import NulRefusingParser
from exceed.api.validation import validation_message
from exceed.errors import DomainError
from exceed.org.models import Membership
from exceed.org.scopes import scope_for


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        found = _token_owner(ApiToken.hash(token), stale_before=timezone.now() - _LAST_USED_RESOLUTION)
        if found is None:
            return None
        user, api_token, stale = found
        if not user.is_active:
            return None
        # Only touch the row when the stored stamp is stale, so a busy till does not write on every call.
        if stale:
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=timezone.now())
        request.user = user
        request.scope = scope_for(user)
        return api_token


_LAST_USED_RESOLUTION = timedelta(seconds=60)


def _token_owner(key_hash: str, *, stale_before) -> tuple[User, ApiToken, bool] | None:
    """The user of an unrevoked token, their membership and whether the token's stamp is stale, in one query.

    Every API call pays for this, and the ORM's ``select_related`` over token, user and membership
    cost 13 % of a posted response (py-spy, benchmarks/ingest.py): compiling the three-table query
    took far longer than running it. A raw query on the user with the other values alongside
    builds the same objects; the token is checked on every call, so a revoked one stops at once.
    """
    quote = connection.ops.quote_name
    users, tokens, memberships = (quote(model._meta.db_table) for model in (User, ApiToken, Membership))
    rows = list(User.objects.raw(
        f"SELECT u.*, t.id AS exceed_token_id, m.id AS exceed_membership_id, m.role AS exceed_membership_role, "
        "CASE WHEN t.last_used_at IS NULL OR t.last_used_at < %s THEN 1 ELSE 0 END AS exceed_token_stale "
        f"FROM {users} u JOIN {tokens} t ON t.user_id = u.id LEFT JOIN {memberships} m ON m.user_id = u.id "
        "WHERE t.key_hash = %s AND t.revoked = %s",
        [connection.ops.adapt_datetimefield_value(stale_before), key_hash, False],
    ))
    if not rows:
        return None
    user = rows[0]
    if user.exceed_membership_id is None:
        # Cached as absent, so scope_for's look-up does not query again.
        User.membership.related.set_cached_value(user, None)
    else:
        user.membership = Membership.from_db(
            connection.alias, ["id", "user_id", "role"], [user.exceed_membership_id, user.pk, user.exceed_membership_role]
        )
    api_token = ApiToken.from_db(connection.alias, ["id", "user_id"], [user.exceed_token_id, user.pk])
    return user, api_token, bool(user.exceed_token_stale)


def _docs_only_when_enabled(view):
    """The interactive docs page answers only where ``EXCEED_API_DOCS`` is on (by default, with
    DEBUG): a production site need not show every visitor a console for its API. The OpenAPI
    schema stays public, for integrators' tools; ninja passes both views through here."""
    if getattr(view, "func", None) is not openapi_view:
        return view

    def docs(request, *args, **kwargs):
        if not settings.EXCEED_API_DOCS:
            raise Http404("The API documentation is turned off (EXCEED_API_DOCS).")
        return view(request, *args, **kwargs)

    return docs


api = NinjaAPI(
    title="Exceed API",
    version="1",
    description="Feedback, organisation and measures of an Exceed installation. Authenticate with "
    "`Authorization: Bearer <token>` (create one with `exceed token create --username U`).",
    auth=BearerToken(),
    urls_namespace="api",
    parser=NulRefusingParser(),
    docs_decorator=_docs_only_when_enabled,
)


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    return api.create_response(request, exc.as_dict(), status=exc.status)


_WRAPPERS = {"body", "query", "payload", "path", "filters", "str", "int", "bool", "float"}


def _wrapper_part(part) -> bool:
    """Parts of a pydantic error location that name ninja's wrappers or a union's member type
    (``answers.difference.str``), not a field the client sent."""
    return isinstance(part, str) and (part in _WRAPPERS or "[" in part)


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    first = exc.errors[0] if exc.errors else {}
    location = [str(part) for part in first.get("loc", []) if not _wrapper_part(part)]
    field = ".".join(location) or None
    message = validation_message(first)
    body = {"detail": f"{field}: {message}" if field else message, "field": field, "errors": exc.errors}
    return api.create_response(request, body, status=422)


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    # ninja wraps whatever the body parser raises as "Cannot parse request body"; a NUL refused by
    # NulRefusingParser keeps its own message and field.
    if isinstance(exc.__cause__, DomainError):
        return domain_error(request, exc.__cause__)
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


@api.exception_handler(RequestDataTooBig)
def body_too_large(request, exc):
    # Django would answer with an HTML page; API clients get the one JSON error shape.
    return api.create_response(request, {"detail": _("The request body is too large."), "field": "body"}, status=413)


@api.exception_handler(AuthenticationError)
def authentication_error(request, exc):
    return api.create_response(request, {"detail": _("A valid bearer token is required.")}, status=401)


# One router per domain app, each in that app's api.py.
api.add_router("", "exceed.org.api.router")
api.add_router("", "exceed.feedback.api.router")
api.add_router("", "exceed.recovery.api.router")


@api.get("/health", auth=None, tags=["meta"])
def health(request):
    return {"status": "ok"}
