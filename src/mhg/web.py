"""The HTTP plumbing both services share: request identity, credentials, versions, limits."""

from __future__ import annotations

import inspect
import re
import uuid
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Header, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mhg import logs
from mhg.auth import InvalidToken, Principal, Role
from mhg.feed import PRODUCER_HEADER
from mhg.meta import Meta
from mhg.problems import forbidden, precondition_failed, problem_response, unauthorized
from mhg.trust import Verifier

_TOKEN_ID = re.compile(r"^[A-Za-z0-9._:\-]{1,128}$")
MAX_BODY_BYTES = 1_048_576

bearer = HTTPBearer(auto_error=False, description="A token from `mhg token`")


class RequestIdentity:
    """Assigns the request and correlation ids, echoes them on the response, and sets them
    for the request's log records (`mhg.logs`)."""

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

        tokens = (logs.request_id.set(request_id), logs.correlation_id.set(correlation_id))
        try:
            await self.app(scope, receive, send_with_ids)
        finally:
            logs.request_id.reset(tokens[0])
            logs.correlation_id.reset(tokens[1])


class FeedProducer:
    """Names the producing service on every answer of its contract feed, a refusal
    included, so that a follower pointed at its own service's feed recognises it."""

    def __init__(self, app: ASGIApp, service: str) -> None:
        self.app = app
        self.header = (PRODUCER_HEADER.lower().encode(), service.encode())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/contracts/"):
            await self.app(scope, receive, send)
            return

        async def send_named(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), self.header]
            await send(message)

        await self.app(scope, receive, send_named)


def _valid_or_new(value: str | None, default: str | None = None) -> str:
    if value and _TOKEN_ID.match(value):
        return value
    return default or str(uuid.uuid4())


class BodyTooLarge(StarletteHTTPException):
    """Raised from `receive` when the body read so far passes the limit (a 413 problem)."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(413, f"request bodies are limited to {max_bytes} bytes")


class BodyLimit:
    """Refuses request bodies over a limit with 413, whether their length is declared or not.

    A declared `Content-Length` over the limit is refused before anything is read. A body
    without one (chunked) is counted as it arrives: the chunk that passes the limit is not
    handed on; `receive` raises instead, so the route's body parsing fails with 413 before
    any dependency or handler runs, and the server stops reading the rest.
    """

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for key, value in scope["headers"]:
            if key == b"content-length" and (not value.isdigit() or int(value) > self.max_bytes):
                await self._refuse(scope, receive, send)
                return
        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge(self.max_bytes)
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, watched_send)
        except BodyTooLarge:
            if started:  # pragma: no cover - a route that streams a reply before reading
                raise
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = problem_response(
            413,
            "payload-too-large",
            "The request body is too large",
            f"request bodies are limited to {self.max_bytes} bytes",
            instance=scope.get("path"),
        )
        await response(scope, receive, send)


async def current_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    """Who the bearer token says is calling.

    On the event loop, without a hop to a worker thread, when the issuer's key is known
    from memory (`Verifier.verify_from_memory`: a signature check, no read, no fetch, no
    wait); in a worker thread when finding the key means reading its file or fetching it.
    """
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise unauthorized("send `Authorization: Bearer <token>`")
    verifier: Verifier = request.app.state.verifier
    try:
        known = verifier.verify_from_memory(credentials.credentials)
        if known is not None:
            return known
        return await run_in_threadpool(verifier.verify, credentials.credentials)
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


A = TypeVar("A")
T = TypeVar("T")


def part_of(
    whole: Callable[[Request], Awaitable[A]], pick: Callable[[A], T]
) -> Callable[[Request], Awaitable[T]]:
    """A dependency on one part of what `whole` gives (a capability of a service's
    application): a route that declares it is given only that part. It runs on the event
    loop (no worker thread): `whole` and `pick` only read what the app already holds."""

    async def part(request: Request) -> T:
        return pick(await whole(request))

    return part


def on_the_loop(build: Callable[..., T]) -> Callable[..., Awaitable[T]]:
    """`build` (a class whose constructor only keeps what the request gives) as a
    dependency run on the event loop: FastAPI runs a class in a worker thread, one hop
    per request for nothing that blocks. Same parameters, so the same OpenAPI."""

    async def built(*args: Any, **kwargs: Any) -> T:
        return build(*args, **kwargs)

    built.__name__ = built.__qualname__ = getattr(build, "__name__", "built")
    # what FastAPI reads for the parameters, annotations evaluated where `build` was written
    built.__dict__["__signature__"] = inspect.signature(build, eval_str=True)
    return built


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
