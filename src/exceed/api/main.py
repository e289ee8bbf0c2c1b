"""The JSON API: one NinjaAPI, one router per domain app, bearer tokens carrying their user's scope."""

from django.http import HttpRequest
from django.utils import timezone
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.security import HttpBearer

from exceed.api.models import ApiToken
from exceed.errors import DomainError
from exceed.org.scopes import scope_for


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        api_token = ApiToken.objects.select_related("user").filter(key_hash=ApiToken.hash(token), revoked=False).first()
        if api_token is None or not api_token.user.is_active:
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


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    first = exc.errors[0] if exc.errors else {}
    location = [str(part) for part in first.get("loc", []) if part not in ("body", "query", "payload", "path")]
    field = ".".join(location) or None
    message = first.get("msg", "Invalid input")
    body = {"detail": f"{field}: {message}" if field else message, "field": field, "errors": exc.errors}
    return api.create_response(request, body, status=422)


@api.exception_handler(AuthenticationError)
def authentication_error(request, exc):
    return api.create_response(request, {"detail": "A valid bearer token is required."}, status=401)


# One router per domain app, each in that app's api.py.
api.add_router("", "exceed.org.api.router")
api.add_router("", "exceed.feedback.api.router")
api.add_router("", "exceed.recovery.api.router")


@api.get("/health", auth=None, tags=["meta"])
def health(request):
    return {"status": "ok"}
