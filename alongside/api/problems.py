"""Errors as RFC 9457 problem details (`application/problem+json`), for every operation.

An operation raises `ProblemError(status, detail)` (or lets a 404, a validation error, a refused
token through) and declares what it may answer with `responses(200: Out, ...)`, so the schema
documents every status it can return.
"""

from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from alongside.core.errors import DomainError

CONTENT_TYPE = "application/problem+json"
TYPE_BASE = "https://alongside.example/problems/"


class FieldError(Schema):
    field: str
    message: str


class ProblemOut(Schema):
    """A problem: `type` names the kind, `title` says it in a few words, `detail` for this call."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[FieldError] | None = None


class ProblemError(Exception):
    """Raise in an operation to answer with a problem."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        errors: list[FieldError] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.status = status
        self.detail = detail
        self.errors = errors
        self.headers = dict(headers or {})
        super().__init__(detail)


# Statuses every operation can answer: a caller not signed in or with a refused token, a token
# without the operation's scope, too many calls.
COMMON = (401, 403, 429)


def not_found() -> ProblemError:
    """A record the caller may not reach (another program's, to a token; one the person's pages
    do not show): answered as if it did not exist."""
    return ProblemError(404, _("There is no such record, or not for you."))


def responses(ok: Mapping[int, Any], *statuses: int) -> dict[int, Any]:
    """An operation's `response=`: its successes and a problem for each status it may answer,
    besides COMMON and 422 (bad parameters), which every operation may answer."""
    return {**ok, **dict.fromkeys(sorted({*COMMON, 422, *statuses}), ProblemOut)}


def problem_response(request: HttpRequest, problem: ProblemError, api: NinjaAPI) -> HttpResponse:
    slug = HTTPStatus(problem.status).phrase.lower().replace(" ", "-")
    body = ProblemOut(
        type=TYPE_BASE + slug,
        title=_title(problem.status),
        status=problem.status,
        detail=problem.detail,
        errors=problem.errors,
    )
    response = api.create_response(
        request, body.model_dump(exclude_none=True), status=problem.status
    )
    response["Content-Type"] = CONTENT_TYPE
    for name, value in problem.headers.items():
        response[name] = value
    return response


def _title(status: int) -> str:
    titles = {
        400: _("The request could not be read"),
        401: _("Not signed in, or the token cannot be used"),
        403: _("Not allowed"),
        404: _("Not found"),
        409: _("In conflict with the record as it is"),
        422: _("Some values are not valid"),
        429: _("Too many calls"),
        503: _("Not ready yet"),
    }
    return str(titles.get(status, HTTPStatus(status).phrase))


def _field_errors(errors: list[dict[str, Any]]) -> list[FieldError]:
    found = []
    for error in errors:
        location = [str(part) for part in error.get("loc", ()) if part not in ("body", "payload")]
        found.append(FieldError(field=".".join(location), message=str(error.get("msg", ""))))
    return found


def install(api: NinjaAPI) -> None:
    """Make every error of `api` a problem."""

    def raised(request: HttpRequest, exc: Any) -> HttpResponse:
        return problem_response(request, exc, api)

    def invalid(request: HttpRequest, exc: Any) -> HttpResponse:
        errors = _field_errors(exc.errors)
        return raised(request, ProblemError(422, _("Some values are not valid."), errors=errors))

    def refused(request: HttpRequest, exc: Any) -> HttpResponse:
        return raised(request, ProblemError(422, exc.message))

    def not_signed_in(request: HttpRequest, exc: Any) -> HttpResponse:
        detail = _("Sign in, or send a token: Authorization: Bearer …")
        return raised(request, ProblemError(401, detail, headers={"WWW-Authenticate": "Bearer"}))

    def http_error(request: HttpRequest, exc: Any) -> HttpResponse:
        return raised(request, ProblemError(exc.status_code, str(exc)))

    def not_found_raised(request: HttpRequest, exc: Any) -> HttpResponse:
        return raised(request, not_found())

    def denied(request: HttpRequest, exc: Any) -> HttpResponse:
        return raised(request, ProblemError(403, _("You may not do this.")))

    api.add_exception_handler(ProblemError, raised)
    api.add_exception_handler(ValidationError, invalid)
    api.add_exception_handler(DomainError, refused)
    api.add_exception_handler(AuthenticationError, not_signed_in)
    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(Http404, not_found_raised)
    api.add_exception_handler(PermissionDenied, denied)


class ProblemDetailsAPI(NinjaAPI):
    """A NinjaAPI whose every error is a problem, documented as `application/problem+json`."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        install(self)

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> Any:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for operations in schema["paths"].values():
            for operation in operations.values():
                for answer in operation.get("responses", {}).values():
                    content = answer.get("content", {})
                    body = content.get("application/json", {})
                    if body.get("schema", {}).get("$ref", "").endswith("/ProblemOut"):
                        answer["content"] = {CONTENT_TYPE: content.pop("application/json")}
        return schema
