"""The HTTP plumbing both services share: request identity, credentials, versions, limits."""

from __future__ import annotations

import re
import uuid
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Header, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mhg.auth import InvalidToken, Principal, Role
from mhg.meta import Meta
from mhg.problems import forbidden, precondition_failed, problem_response, unauthorized
from mhg.trust import Verifier

_TOKEN_ID = re.compile(r"^[A-Za-z0-9._:\-]{1,128}$")
MAX_BODY_BYTES = 1_048_576

bearer = HTTPBearer(auto_error=False, description="A token from `mhg token`")


class RequestIdentity:
    """Assigns the request and correlation ids and echoes them on the response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        request_id = _valid_or_new(headers.get("x-request-id"))
        correlation_id = _valid_or_new(headers.get("x-correlation-id"), default=request_id)
        scope.setdefault("state", {})
        scope["state"]["request_id"] = request_id
        scope["state"]["correlation_id"] = correlation_id

        async def send_with_ids(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = [
                    *message["headers"],
                    (b"x-request-id", request_id.encode()),
                    (b"x-correlation-id", correlation_id.encode()),
                ]
            await send(message)

        await self.app(scope, receive, send_with_ids)


def _valid_or_new(value: str | None, default: str | None = None) -> str:
    if value and _TOKEN_ID.match(value):
        return value
    return default or str(uuid.uuid4())


class BodyLimit:
    """Refuses request bodies over a limit with 413, before anything reads them."""

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for key, value in scope["headers"]:
            if key == b"content-length" and (not value.isdigit() or int(value) > self.max_bytes):
                response = problem_response(
                    413,
                    "payload-too-large",
                    "The request body is too large",
                    f"request bodies are limited to {self.max_bytes} bytes",
                    instance=scope.get("path"),
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def current_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise unauthorized("send `Authorization: Bearer <token>`")
    try:
        verifier: Verifier = request.app.state.verifier
        return verifier.verify(credentials.credentials)
    except InvalidToken as error:
        raise unauthorized(str(error)) from None


Caller = Annotated[Principal, Depends(current_principal)]


def require(*roles: Role) -> Callable[[Principal], Awaitable[Principal]]:
    """A dependency that admits only the given roles (401 without a credential, 403 otherwise)."""
    allowed = frozenset(roles)

    async def dependency(principal: Caller) -> Principal:
        if principal.role not in allowed:
            names = ", ".join(sorted(r.value for r in allowed))
            raise forbidden(f"role {principal.role.value} may not do this; allowed: {names}")
        return principal

    dependency.__name__ = "require_" + "_or_".join(sorted(r.value for r in allowed))
    return dependency


def command_meta(request: Request, principal: Principal) -> Meta:
    """Who is acting and in which request: the metadata of the events this request causes."""
    state = request.state
    return Meta(
        actor_id=principal.subject,
        actor_role=principal.role.value,
        actor_org=principal.org,
        request_id=state.request_id,
        correlation_id=state.correlation_id,
        causation_id=state.request_id,
    )


IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        description="The ETag you read; the update is refused with 412 if it changed since",
        max_length=64,
    ),
]


def etag(version: int) -> str:
    return f'"{version}"'


def expected_version(if_match: str | None) -> int | None:
    """The aggregate version an `If-Match` header names (None: unconditional).

    An If-Match that is not an ETag this API issued can match no current version:
    per RFC 9110 that is a failed precondition (412), not a malformed request.
    """
    if if_match is None or if_match.strip() == "*":
        return None
    value = if_match.strip().removeprefix("W/").strip('"')
    if not (value.isascii() and value.isdecimal()) or len(value) > 18:
        raise precondition_failed(f"If-Match {if_match!r} matches no version of this resource")
    return int(value)


def set_etag(response: Response, version: int) -> None:
    response.headers["ETag"] = etag(version)
