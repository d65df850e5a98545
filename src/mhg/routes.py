"""Routes every service has: the contract feed, health, readiness; and idempotent creation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any
from uuid import UUID

from eventsourcing.persistence import PersistenceError
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.exc import SQLAlchemyError

from contracts import FeedPage
from mhg import problems
from mhg.auth import Principal, Role
from mhg.idempotency import StoredResponse, derived_id, fingerprint
from mhg.runtime import ServiceRuntime
from mhg.web import require


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
        after: Annotated[int, Query(ge=0, description="Last position you processed")] = 0,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    ) -> FeedPage:
        return rt.publisher.page(after, limit)

    return router


class Health(BaseModel):
    status: str


class Readiness(BaseModel):
    status: str
    store: str
    stopped_workers: list[str]
    log_head: int
    projection_lag: int
    follower_consumed: int
    follower_lag: int
    follower_error: str | None


def health_router() -> APIRouter:
    router = APIRouter(tags=["operations"])

    @router.get(
        "/healthz", operation_id="getHealth", summary="The process is up", response_model=Health
    )
    def healthz() -> Health:
        return Health(status="ok")

    @router.get(
        "/readyz",
        operation_id="getReadiness",
        summary="The store answers; how far projections and the feed follower lag",
        response_model=Readiness,
        responses={
            503: {
                "model": Readiness,
                "description": "The store does not answer, or background work has stopped",
            }
        },
    )
    def readyz(rt: Runtime) -> JSONResponse:
        follower = rt.follower.status
        try:
            rt.store.ping()
            head = rt.application.head_position()
            lag = rt.projections.lag()
            consumed = max(
                rt.application.consumed_position(rt.parts.subscription), follower.consumed
            )
        except (PersistenceError, SQLAlchemyError) as error:
            body = Readiness(
                status="unavailable",
                store=type(error).__name__,
                stopped_workers=rt.dead_workers(),
                log_head=0,
                projection_lag=0,
                follower_consumed=follower.consumed,
                follower_lag=follower.lag,
                follower_error=follower.last_error,
            )
            return JSONResponse(body.model_dump(), status_code=503)
        stopped = rt.dead_workers()
        body = Readiness(
            status="not-ready" if stopped else "ready",
            store="ok",
            stopped_workers=stopped,
            log_head=head,
            projection_lag=lag,
            follower_consumed=consumed,
            follower_lag=max(follower.producer_head - consumed, 0),
            follower_error=follower.last_error,
        )
        return JSONResponse(body.model_dump(), status_code=503 if stopped else 200)

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
    if key is not None:
        stored = rt.idempotency.replay(principal, key, operation, print_)
        if stored is not None:
            return _created(stored.body, location, replayed=True, status=stored.status)
    new_id = derived_id(principal, key, operation)
    body = (existing(new_id) if key is not None else None) or create(new_id)
    if key is not None:
        rt.idempotency.remember(principal, key, operation, print_, StoredResponse(201, body))
    return _created(body, location, replayed=False, status=201)


def _created(
    body: dict[str, Any], location: Callable[[dict[str, Any]], str], *, replayed: bool, status: int
) -> JSONResponse:
    headers = {"Location": location(body)}
    if "version" in body:
        headers["ETag"] = f'"{body["version"]}"'
    if replayed:
        headers["Idempotent-Replayed"] = "true"
    return JSONResponse(body, status_code=status, headers=headers)
