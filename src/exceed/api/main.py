"""The JSON API: one NinjaAPI, one router per domain app, bearer tokens carrying their user's scope."""

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.security import HttpBearer

from exceed.api.models import ApiToken
from exceed.errors import DomainError
from exceed.org.scopes import scope_for


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        # The membership comes in the same query, so working out the scope costs one query less.
        try:
            api_token = ApiToken.objects.select_related("user", "user__membership").get(
                key_hash=ApiToken.hash(token), revoked=False
            )
        except ApiToken.DoesNotExist:
            return None
        if not api_token.user.is_active:
            return None
        # Only touch the row when the stored stamp is stale, so a busy till does not write on every call.
        now = timezone.now()
        if api_token.last_used_at is None or (now - api_token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        request.user = api_token.user
        request.scope = scope_for(api_token.user)
        return api_token


api = NinjaAPI(
    title="Exceed API",
    version="1",
    description="Feedback, organisation and measures of an Exceed installation. Authenticate with "
    "`Authorization: Bearer <token>` (create one with `exceed token create --username U`).",
    auth=BearerToken(),
    urls_namespace="api",
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
    message = first.get("msg", "Invalid input")
    body = {"detail": f"{field}: {message}" if field else message, "field": field, "errors": exc.errors}
    return api.create_response(request, body, status=422)


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
