"""Routes every service has: the contract feed, health, readiness, metrics, the audit head."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import JSONResponse, PlainTextResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel, Field

from contracts import FeedPage
from mhg import problems
from mhg.auth import Principal, Role
from mhg.bounded import Position
from mhg.readiness import Readiness, readiness
from mhg.runtime import ServiceRuntime
from mhg.web import require


async def runtime(request: Request) -> ServiceRuntime:
    """The service's runtime, as the app holds it: on the event loop (nothing to wait for)."""
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
