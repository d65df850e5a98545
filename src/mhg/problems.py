"""RFC 9457 problem documents: every error the API returns, one stable type each."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any

from eventsourcing.persistence import (
    ConnectionUnavailableError,
    InterfaceError,
    OperationalError,
)
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.exc import InterfaceError as SQLInterfaceError
from sqlalchemy.exc import OperationalError as SQLOperationalError
from sqlalchemy.exc import TimeoutError as SQLPoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from mhg import errors

log = logging.getLogger(__name__)

MEDIA_TYPE = "application/problem+json"
TYPE_PREFIX = "/problems/"
RESERVED_MEMBERS = frozenset({"type", "title", "status", "detail", "instance"})
"""RFC 9457 members: an extension of the same name is renamed `current_<name>`."""


class ProblemDocument(BaseModel):
    """An RFC 9457 problem; `type` is stable per error, extension members may follow."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(examples=["/problems/service-line-not-authorized"])
    title: str
    status: int
    detail: str
    instance: str | None = None


class Problem(Exception):
    """An error the web layer raises itself (credentials, preconditions, idempotency)."""

    def __init__(self, status: int, code: str, title: str, detail: str, **extensions: Any) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.title = title
        self.detail = detail
        self.extensions = extensions


def unauthorized(detail: str) -> Problem:
    return Problem(401, "unauthorized", "Missing or invalid credential", detail)


def forbidden(detail: str) -> Problem:
    return Problem(403, "forbidden", "Your role may not do this", detail)


def precondition_failed(detail: str, **extensions: Any) -> Problem:
    return Problem(412, "stale-version", errors.StaleVersion.title, detail, **extensions)


_STATUS_TITLES = {
    400: ("bad-request", "Bad request"),
    401: ("unauthorized", "Missing or invalid credential"),
    403: ("forbidden", "Your role may not do this"),
    404: ("not-found", "No such resource"),
    405: ("method-not-allowed", "Method not allowed"),
    406: ("not-acceptable", "Not acceptable"),
    409: ("conflict", "The current state forbids this action"),
    412: ("stale-version", "The resource changed since the version you sent"),
    413: ("payload-too-large", "The request body is too large"),
    415: ("unsupported-media-type", "Unsupported media type"),
    422: ("invalid-request", "The request is not valid"),
    428: ("precondition-required", "This request must be conditional"),
    503: ("store-unavailable", "The service cannot reach its store"),
}


def problem_response(
    status: int,
    code: str,
    title: str,
    detail: str,
    *,
    instance: str | None = None,
    headers: Mapping[str, str] | None = None,
    extensions: Mapping[str, Any] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": TYPE_PREFIX + code,
        "title": title,
        "status": status,
        "detail": detail,
    }
    if instance:
        body["instance"] = instance
    for name, value in (extensions or {}).items():
        body[f"current_{name}" if name in RESERVED_MEMBERS else name] = value
    return JSONResponse(
        body, status_code=status, media_type=MEDIA_TYPE, headers=dict(headers or {})
    )


def allowed_methods(request: Request) -> list[str]:
    """Every method the app answers on this path, from its OpenAPI document (Starlette
    names only the first matching route's methods)."""
    methods: set[str] = set()
    paths: dict[str, dict[str, Any]] = request.app.openapi().get("paths", {})
    for template, operations in paths.items():
        if re.fullmatch(re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template)), request.url.path):
            methods.update(method.upper() for method in operations)
    return sorted(methods)


def _domain_status(error: errors.DomainError) -> int:
    if isinstance(error, errors.NotFound):
        return 404
    if isinstance(error, errors.StaleVersion):
        return 412
    if isinstance(error, errors.Conflict):
        return 409
    return 422


def _conditional(request: Request) -> bool:
    """The request carried an If-Match naming a version (not `*`)."""
    if_match = request.headers.get("if-match")
    return if_match is not None and if_match.strip() != "*"


def _field_errors(error: RequestValidationError) -> list[dict[str, Any]]:
    fields = []
    for item in error.errors():
        location = ".".join(str(part) for part in item.get("loc", ()))
        fields.append({"field": location, "message": item.get("msg", ""), "type": item.get("type")})
    return fields


def install(app: FastAPI) -> None:
    """Make every error of `app` a problem document."""

    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return problem_response(
            exc.status,
            exc.code,
            exc.title,
            exc.detail,
            instance=request.url.path,
            headers=headers,
            extensions=exc.extensions,
        )

    @app.exception_handler(errors.DomainError)
    async def _domain(request: Request, exc: errors.DomainError) -> JSONResponse:
        if isinstance(exc, errors.ConcurrentUpdate) and _conditional(request):
            # the request named a version and another request saved a newer one first
            exc = errors.StaleVersion(
                "another request changed this resource since the version you sent; read it again"
            )
        return problem_response(
            _domain_status(exc),
            exc.code,
            exc.title,
            exc.detail,
            instance=request.url.path,
            extensions=exc.extensions,
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        fields = _field_errors(exc)
        named = ", ".join(f["field"] for f in fields[:5]) or "the request"
        return problem_response(
            422,
            "invalid-request",
            "The request is not valid",
            f"invalid: {named}",
            instance=request.url.path,
            extensions={"errors": fields},
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 400:  # FastAPI's only 400: a body it could not decode
            return problem_response(
                422,
                "invalid-request",
                "The request is not valid",
                "the body is not JSON in UTF-8",
                instance=request.url.path,
                extensions={"errors": [{"field": "body", "message": str(exc.detail)}]},
            )
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            headers["Allow"] = ", ".join(allowed_methods(request))
        code, title = _STATUS_TITLES.get(exc.status_code, ("http-error", "HTTP error"))
        return problem_response(
            exc.status_code,
            code,
            title,
            str(exc.detail),
            instance=request.url.path,
            headers=headers,
        )

    async def _unavailable(request: Request, exc: Exception) -> JSONResponse:
        log.warning("store unavailable on %s: %s", request.url.path, type(exc).__name__)
        return problem_response(
            503,
            "store-unavailable",
            "The service cannot reach its store",
            "the event store did not answer; retry later",
            instance=request.url.path,
            headers={"Retry-After": "2"},
        )

    async def _busy(request: Request, exc: Exception) -> JSONResponse:
        log.warning("store busy on %s: no connection free in time", request.url.path)
        return problem_response(
            503,
            "store-busy",
            "The store is busy",
            "no store connection became free in time; retry shortly",
            instance=request.url.path,
            headers={"Retry-After": "1"},
        )

    for store_error in (OperationalError, InterfaceError, SQLOperationalError, SQLInterfaceError):
        app.add_exception_handler(store_error, _unavailable)
    for busy in (ConnectionUnavailableError, SQLPoolTimeout):
        app.add_exception_handler(busy, _busy)


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The `responses=` entry of a route: its problem statuses, declared honestly."""
    out: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        _, title = _STATUS_TITLES.get(status, ("http-error", "HTTP error"))
        out[status] = {
            "model": ProblemDocument,
            "description": title,
            "content": {MEDIA_TYPE: {}},
        }
    return out
