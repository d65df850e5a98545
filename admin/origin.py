"""The workspace's one origin: the built app, both APIs passed through, development sign-in.

The browser talks to one origin, so the services need no CORS. The pass-through adds
nothing and keeps nothing: each request goes to the service as the browser sent it
(its bearer token included), each answer comes back as the service gave it.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from mhg.auth import Role
from mhg_cli.token_command import development_token

DIST = Path(__file__).parent / "web" / "dist"
PASSED_REQUEST_HEADERS = (
    "authorization",
    "content-type",
    "accept",
    "idempotency-key",
    "if-match",
    "x-correlation-id",
)
PASSED_RESPONSE_HEADERS = ("content-type", "etag", "location", "x-correlation-id", "retry-after")
# The roles a person signs in as (a service's own credential is not a person's).
PERSON_ROLES = tuple(role for role in Role if role != Role.SERVICE)
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
PROBLEM = "application/problem+json"


@dataclass(frozen=True)
class Upstreams:
    """Where the two services answer."""

    mso: str = "http://127.0.0.1:8001"
    pc: str = "http://127.0.0.1:8002"


def problem(status: int, title: str, detail: str, field: str) -> JSONResponse:
    return JSONResponse(
        {
            "type": "/problems/invalid-sign-in",
            "title": title,
            "status": status,
            "detail": detail,
            "field": field,
        },
        status_code=status,
        media_type=PROBLEM,
    )


async def development_sign_in(request: Request) -> Response:
    """A development token for a chosen role and name (the `mhg token` of ADR 0014)."""
    try:
        body = await request.json()
    except ValueError:
        return problem(400, "Invalid sign-in", "The body must be JSON: {role, name}.", "body")
    role = body.get("role") if isinstance(body, dict) else None
    name = body.get("name") if isinstance(body, dict) else None
    if role not in {r.value for r in PERSON_ROLES}:
        roles = ", ".join(r.value for r in PERSON_ROLES)
        return problem(422, "Unknown role", f"role must be one of: {roles}.", "role")
    if not isinstance(name, str) or not NAME.match(name):
        detail = (
            "name: 1-64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit."
        )
        return problem(422, "Invalid name", detail, "name")
    token = development_token(Role(role), name)
    return JSONResponse({"token": token, "role": role, "name": name})


def pass_through(client: httpx.AsyncClient, upstream: str) -> Route:
    async def forward(request: Request) -> Response:
        headers = {k: v for k, v in request.headers.items() if k in PASSED_REQUEST_HEADERS}
        answer = await client.request(
            request.method,
            f"{upstream}/{request.path_params['path']}",
            params=str(request.query_params),
            headers=headers,
            content=await request.body(),
        )
        kept = {k: v for k, v in answer.headers.items() if k in PASSED_RESPONSE_HEADERS}
        return Response(answer.content, status_code=answer.status_code, headers=kept)

    methods = ["GET", "POST", "PUT", "PATCH", "DELETE"]
    return Route("/{path:path}", forward, methods=methods)


def create_app(upstreams: Upstreams, *, development: bool = True, dist: Path = DIST) -> Starlette:
    client = httpx.AsyncClient(timeout=30.0)
    routes: list[BaseRoute] = [
        Mount("/api/mso", routes=[pass_through(client, upstreams.mso)]),
        Mount("/api/pc", routes=[pass_through(client, upstreams.pc)]),
    ]
    if development:
        routes.append(Route("/session/development", development_sign_in, methods=["POST"]))
    routes.append(Mount("/", StaticFiles(directory=dist, html=True)))

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        yield
        await client.aclose()

    return Starlette(routes=routes, lifespan=lifespan)
