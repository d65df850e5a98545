"""Routes every service has: the contract feed, health, readiness, metrics; idempotent creation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any
from uuid import UUID, uuid4

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import JSONResponse, PlainTextResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel, Field

from contracts import FeedPage
from mhg import errors, problems
from mhg.auth import Principal, Role
from mhg.bounded import Position
from mhg.idempotency import StoredResponse, derived_id, fingerprint
from mhg.readiness import Readiness, readiness
from mhg.runtime import ServiceRuntime
from mhg.web import require

TWIN_WAIT = 5.0  # seconds a request waits for a concurrent twin to store its first response


def runtime(request: Request) -> ServiceRuntime:
    value: ServiceRuntime = request.app.state.runtime
    return value


Runtime = Annotated[ServiceRuntime, Depends(runtime)]
ServiceCaller = Annotated[Principal, Depends(require(Role.SERVICE))]


def contract_feed_router() -> APIRouter:
    router = APIRouter(tags=["contracts"])

    @router.get(
        "/contracts/v1/feed",
        operation_id="readContractFeedV1",
        summary="Messages this service published, in order, after a position",
        response_model=FeedPage,
        responses=problems.responses(401, 403, 422),
    )
    def read_feed(
        rt: Runtime,
        _caller: ServiceCaller,
        after: Annotated[Position, Query(description="Last position you processed")] = 0,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    ) -> FeedPage:
        return rt.publisher.page(after, limit)

    return router


class Health(BaseModel):
    status: str


def health_router() -> APIRouter:
    router = APIRouter(tags=["operations"])

    @router.get(
        "/healthz",
        operation_id="getHealth",
        summary="The process is up (answers even while the store does not)",
        response_model=Health,
        openapi_extra={"x-store-free": True},
    )
    async def healthz() -> Health:
        # async, and nothing it depends on touches the store: it answers on the event loop
        # while every request thread waits for an unreachable store
        return Health(status="ok")

    @router.get(
        "/readyz",
        operation_id="getReadiness",
        summary="Ready to serve, or every reason not, each with a stable code",
        description=(
            "200 when ready. 503 while the store does not answer, a background worker has "
            "stopped, a projection has failed or lags more than the configured limit, the "
            "read store is ahead of the log, the peer feed cannot be read, or the peer feed "
            "is this service's own. Each reason in `reasons` has a stable `code` (README)."
        ),
        response_model=Readiness,
        responses={
            503: {"model": Readiness, "description": "Not ready: `reasons` says why"},
        },
    )
    def readyz(rt: Runtime) -> JSONResponse:
        body = readiness(rt)
        status = 200 if body.status == "ready" else 503
        return JSONResponse(body.model_dump(mode="json"), status_code=status)

    @router.get(
        "/metrics",
        operation_id="getMetrics",
        summary="Operational metrics in the Prometheus text format (no credential needed)",
        description=(
            "Requests and latency by route template, projection positions, lag and failures, "
            "follower lag and errors, seal lag, store errors. No patient data: unauthenticated."
        ),
        response_class=PlainTextResponse,
        responses={200: {"content": {CONTENT_TYPE_LATEST: {"schema": {"type": "string"}}}}},
    )
    def metrics(request: Request) -> Response:
        registry = request.app.state.metrics.registry
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    return router


class ChainHead(BaseModel):
    """The last sealed position of this service's log and its link (hex SHA-256)."""

    service: str
    position: int
    link: str
    sealed_at: str
    algorithm: str | None = None
    public_key: str | None = Field(default=None, description="base64 Ed25519 public key")
    signature: str | None = Field(default=None, description="base64 signature of the head")


# The chain head is for auditors and the PC's people (README, "Audit"), at either service.
AuditReader = Annotated[
    Principal,
    Depends(
        require(Role.AUDITOR, Role.MEDICAL_DIRECTOR, Role.PHYSICIAN, Role.APP, Role.PC_QUALITY)
    ),
]


def audit_router() -> APIRouter:
    router = APIRouter(tags=["audit"])

    @router.get(
        "/audit/head",
        operation_id="getChainHead",
        summary="The head of this service's hash-chained log, signed when a key is configured",
        description=(
            "Keep a copy: `mhg audit verify --against HEAD.json` later proves the log up to "
            "it was only ever appended to. 404 until the first record is sealed."
        ),
        response_model=ChainHead,
        responses=problems.responses(401, 403, 404),
    )
    def chain_head(rt: Runtime, _caller: AuditReader) -> ChainHead:
        head = rt.head()
        if head is None:
            raise problems.Problem(
                404, "no-chain-head", "Nothing sealed yet", "the log has no sealed record yet"
            )
        return ChainHead.model_validate(head)

    return router


def create_idempotently(
    rt: ServiceRuntime,
    principal: Principal,
    key: str | None,
    operation: str,
    payload: Any,
    *,
    create: Callable[[UUID], dict[str, Any]],
    existing: Callable[[UUID], dict[str, Any] | None],
    location: Callable[[dict[str, Any]], str],
) -> JSONResponse:
    """Run a creating command at most once per (caller, Idempotency-Key).

    `create` makes the resource under the given id and returns its representation;
    `existing` returns the representation if a resource with that id exists already
    (a retry after a crash between saving the events and storing the response).
    """
    print_ = fingerprint(operation, payload)
    if key is None:
        return _created(create(uuid4()), location, replayed=False, status=201)
    stored = rt.idempotency.replay(principal, key, operation, print_)
    if stored is not None:
        return _created(stored.body, location, replayed=True, status=stored.status)
    new_id = derived_id(principal, key, operation)
    try:
        body = existing(new_id) or create(new_id)
    except errors.Conflict:
        # A twin with this key may have saved first (the conflict is then its doing):
        # answer with its first response once it is stored, never with the race it won.
        if existing(new_id) is None:
            raise
        first = rt.idempotency.await_first(principal, key, operation, print_, TWIN_WAIT)
        if first is not None:
            return _created(first.body, location, replayed=True, status=first.status)
        current = existing(new_id)  # the twin stopped before storing: answer as a retry would
        if current is None:  # pragma: no cover - it existed a moment ago; nothing deletes
            raise
        body = current
    mine = StoredResponse(201, body)
    first = rt.idempotency.remember(principal, key, operation, print_, mine)
    return _created(first.body, location, replayed=first is not mine, status=first.status)


def _created(
    body: dict[str, Any], location: Callable[[dict[str, Any]], str], *, replayed: bool, status: int
) -> JSONResponse:
    headers = {"Location": location(body)}
    if "version" in body:
        headers["ETag"] = f'"{body["version"]}"'
    if replayed:
        headers["Idempotent-Replayed"] = "true"
    return JSONResponse(body, status_code=status, headers=headers)
