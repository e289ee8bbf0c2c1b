"""The JSON API: one NinjaAPI, one router per domain app, bearer tokens carrying their user's scope."""

from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
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


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        found = _resolvers["owner"](ApiToken.hash(token), stale_before=timezone.now() - _LAST_USED_RESOLUTION)
        if found is None:
            return None
        user, api_token, stale = found
        if not user.is_active:
            return None
        # Only touch the row when the stored stamp is stale, so a busy till does not write on every call.
        if stale:
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=timezone.now())
        request.user = user
        # Every handler reads the caller's scope from the request, as the HTML views do.
        request.scope = _resolvers["scope"](user)  # type: ignore[attr-defined]
        return api_token


_LAST_USED_RESOLUTION = timedelta(seconds=60)

# Who owns a token and what they may see are the organisation's to decide; this package is
# infrastructure below every domain app, so the organisation app hands them over when it loads
# (org/apps.py) instead of this module importing it.
_resolvers: dict = {}


def use_token_resolvers(*, owner, scope) -> None:
    """``owner(key_hash, stale_before=)`` → (user, token, stale) or None; ``scope(user)`` → Scope."""
    _resolvers.update(owner=owner, scope=scope)


def add_domain_router(router: str) -> None:
    """Each domain app registers its router (a dotted path to ``<app>/api.py``'s) when it loads."""
    api.add_router("", router)


# Every error, whichever layer raises it, has this shape: {"detail": text, "field": name or null}.
ERROR_STATUSES = {
    400: "The request names something unknown (a code, an id, a query parameter the operation does not take) "
    "or breaks a rule; `field` names the culprit.",
    401: "No valid bearer token.",
    403: "The token's scope does not cover this.",
    404: "Not found, or not visible to this token.",
    405: "Method not allowed on this path.",
    409: "Conflicts with what is stored (a repeated external id, an answered invitation).",
    413: "The request body is too large.",
    422: "The body or a parameter does not match the schema; `field` names the first culprit.",
}

ERROR_EXAMPLES = {
    400: {"detail": "Unknown query parameter: locaton", "field": "locaton"},
    401: {"detail": "A valid bearer token is required.", "field": None},
    403: {"detail": "Only owners manage webhooks.", "field": None},
    404: {"detail": "Not found.", "field": None},
    405: {"detail": 'Method "PUT" not allowed.', "field": None},
    409: {"detail": "A response with this external id exists already.", "field": "external_id", "id": 4711},
    413: {"detail": "The request body is too large.", "field": "body"},
    422: {"detail": "answers.return: Input should be less than or equal to 10", "field": "answers.return"},
}


class ExceedApi(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        """The OpenAPI with every error status listed on every operation, in the one error shape."""
        schema = super().get_openapi_schema(*args, **kwargs)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components["Error"] = {
            "title": "Error",
            "type": "object",
            "properties": {
                "detail": {"type": "string"},
                "field": {"anyOf": [{"type": "string"}, {"type": "null"}]},
                "id": {
                    "type": "integer",
                    "description": "On a 409 for a repeated external id: the stored response's id.",
                },
            },
            "required": ["detail"],
            "example": {"detail": "Unknown location code: XX", "field": "location"},
        }
        for path in schema.get("paths", {}).values():
            for operation in path.values():
                responses = operation.setdefault("responses", {})
                for status, text in ERROR_STATUSES.items():
                    if status == 401 and not operation.get("security"):
                        continue
                    responses.setdefault(str(status), {"description": text})
                    responses[str(status)]["content"] = {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/Error"},
                            "example": ERROR_EXAMPLES[status],
                        }
                    }
        return schema


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


api = ExceedApi(
    title="Exceed API",
    version="1",
    description="Feedback, organisation and measures of an Exceed installation. Authenticate with "
    "`Authorization: Bearer <token>` (create one with `exceed token create --username U`).",
    auth=BearerToken(),
    urls_namespace="api",
    parser=NulRefusingParser(),
    docs_decorator=_docs_only_when_enabled,
)


def _refuse_unknown_query_parameters(run):
    """Every operation answers a query parameter it does not declare with a 400 naming it.

    A typo (``?locaton=cph``) silently ignored returns every location's data as if filtered;
    integrators must hear about it. The declared names are ninja's own flattened query fields,
    so a parameter added to any handler is known here without a list to keep.
    """
    operation = run.__self__
    declared = {
        name
        for model in operation.models
        if model.__ninja_param_source__ == "query"
        for name in getattr(model, "__ninja_flatten_map__", {})
    }

    @wraps(run)
    def checked(request, *args, **kwargs):
        unknown = sorted(set(request.GET) - declared)
        if unknown:
            # Authentication first: a caller without a valid token learns nothing about which
            # parameters an operation takes. Only this refused path pays for the extra check.
            refused = operation._run_checks(request)
            if refused is not None:
                return refused
            error = DomainError(_("Unknown query parameter: %(name)s") % {"name": unknown[0]}, field=unknown[0])
            return domain_error(request, error)
        return run(request, *args, **kwargs)

    return checked


api.add_decorator(_refuse_unknown_query_parameters, mode="view")


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
    return api.create_response(request, {"detail": _("A valid bearer token is required."), "field": None}, status=401)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": _("Not found."), "field": None}, status=404)


@api.get("/health", auth=None, tags=["meta"])
def health(request):
    return {"status": "ok"}
