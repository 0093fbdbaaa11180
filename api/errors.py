"""Every error the API gives is JSON of one shape: {"message": ..., "errors": {field: [...]}}.

Bad input of any kind (malformed JSON, wrong types, unknown fields, oversized bodies) is
answered with a 4xx and a message saying what to fix, never with a 500."""

import logging
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation, TooManyFieldsSent
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from accounts.models import User
from complaints.errors import NotPermitted, ProcedureError
from complaints.selectors import ComplaintNotFound
from privacy.services import log_refused

logger = logging.getLogger(__name__)

# Where ninja says a value came from; the field path after it is what the caller wrote.
LOCATIONS = {"body", "query", "path", "form", "file", "header", "cookie"}


def field_path(location: list[Any] | tuple[Any, ...], body_params: set[str]) -> str:
    parts = [str(part) for part in location]
    if parts and parts[0] in LOCATIONS:
        parts = parts[1:]
        # A JSON body is one parameter named after the view argument ("payload"); callers do not see it.
        if parts and parts[0] in body_params:
            parts = parts[1:]
    return ".".join(parts) or "body"


def error_response(
    api: NinjaAPI, request: HttpRequest, status: int, message: str, errors: dict[str, list[str]] | None = None
) -> HttpResponse:
    response = api.create_response(request, {"message": message, "errors": errors or {}}, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def install(api: NinjaAPI, *, body_params: set[str]) -> None:
    def on_validation_error(request: HttpRequest, exc: Any) -> HttpResponse:
        errors: dict[str, list[str]] = {}
        for error in exc.errors:
            path = field_path(error.get("loc", ()), body_params)
            message = str(error.get("msg", "invalid value"))
            if error.get("type") == "extra_forbidden":
                message = "unknown field"
            errors.setdefault(path, []).append(message)
        return error_response(api, request, 422, "The request has invalid fields.", errors)

    def on_http_error(request: HttpRequest, exc: Any) -> HttpResponse:
        if isinstance(exc, AuthenticationError):
            return error_response(api, request, 401, "A valid API token is required (Authorization: Bearer <token>).")
        return error_response(api, request, exc.status_code, str(exc))

    def on_not_found(request: HttpRequest, exc: Any) -> HttpResponse:
        user = getattr(request, "auth", None)
        if isinstance(exc, ComplaintNotFound) and isinstance(user, User):
            log_refused(user=user, reference=exc.reference, path=request.path)
        return error_response(api, request, 404, "Not found.")

    def on_forbidden(request: HttpRequest, exc: Any) -> HttpResponse:
        return error_response(api, request, 403, str(exc) or "Your role does not allow this.")

    def on_procedure_error(request: HttpRequest, exc: Any) -> HttpResponse:
        return error_response(api, request, 409, str(exc))

    def on_bad_request(request: HttpRequest, exc: Any) -> HttpResponse:
        if isinstance(exc, RequestDataTooBig):
            return error_response(api, request, 413, "The request body is too large.")
        return error_response(api, request, 400, "The request could not be read.")

    def on_unexpected(request: HttpRequest, exc: Any) -> HttpResponse:
        logger.exception("API request %s %s failed", request.method, request.path)
        return error_response(api, request, 500, "Something went wrong on our side; it has been logged.")

    api.add_exception_handler(ValidationError, on_validation_error)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(PermissionDenied, on_forbidden)
    api.add_exception_handler(ProcedureError, on_procedure_error)
    api.add_exception_handler(NotPermitted, on_forbidden)
    for exc_class in (
        SuspiciousOperation,
        RequestDataTooBig,
        TooManyFieldsSent,
        MultiPartParserError,
        UnicodeDecodeError,
    ):
        api.add_exception_handler(exc_class, on_bad_request)
    api.add_exception_handler(Exception, on_unexpected)
