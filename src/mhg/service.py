"""The FastAPI application both services are made of, with the shared routes and errors."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any

from anyio import to_thread
from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute
from starlette.types import Scope

from mhg import problems
from mhg.freshness import LOG_POSITION_HEADER, Projected, ReadsFollowWrites
from mhg.identity import build_verifier, jwks_router, own_keys
from mhg.metrics import Metrics, RequestMetrics
from mhg.routes import audit_router, contract_feed_router, health_router
from mhg.runtime import ServiceParts, ServiceRuntime
from mhg.settings import ServiceSettings
from mhg.vocabularies import named_vocabularies
from mhg.web import BodyLimit, FeedProducer, RequestIdentity

API_VERSION = "1.0.0"
STORE_FREE = "x-store-free"  # an operation that never touches the store: no 503 to declare
UNSAFE_METHODS = ("post", "put", "patch", "delete")
LOG_POSITION = {
    "description": (
        "The log position of the last event this request recorded (absent when it recorded "
        "none): the lists and reads of this service already show it"
    ),
    "schema": {"type": "integer", "minimum": 1},
}


def _operation_id(route: APIRoute) -> str:
    return route.operation_id or route.name


def _has_own_body(response: dict[str, Any]) -> bool:
    """An error response documented with a body of its own (readiness's 503), not a problem."""
    schemas = str(response.get("content", {}))
    return bool(response.get("content")) and not any(
        name in schemas for name in ("ProblemDocument", "HTTPValidationError")
    )


def _honest_problems(document: dict[str, Any]) -> dict[str, Any]:
    """Problem statuses are documented as what they are: application/problem+json.

    FastAPI files every declared model under application/json and adds its own 422
    schema; the API answers errors only as RFC 9457 problems, so the document says so,
    and names the 413 (a body over the limit, declared or streamed) of every route that
    takes a body and the 503 (store unreachable or busy) every route can give. A change's
    success names the `Log-Position` header it carries when it recorded events (ADR 0023).
    """
    problem = {"$ref": "#/components/schemas/ProblemDocument"}
    for item in document.get("paths", {}).values():
        for method, operation in item.items():
            responses = operation.setdefault("responses", {})
            if method in ("post", "put", "patch") or "requestBody" in operation:
                responses.setdefault("413", {"description": "The request body is too large"})
            if not operation.pop(STORE_FREE, False):
                responses.setdefault("503", {"description": "The service cannot reach its store"})
            for status, response in responses.items():
                if status.startswith(("4", "5")) and not _has_own_body(response):
                    response["content"] = {problems.MEDIA_TYPE: {"schema": problem}}
                elif status.startswith("2") and method in UNSAFE_METHODS:
                    response.setdefault("headers", {})[LOG_POSITION_HEADER] = LOG_POSITION
    schemas = document.get("components", {}).get("schemas", {})
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    return document


def _projected(scope: Scope) -> Projected | None:
    """The running service's wait for its projections: none before start-up, when turned
    off, or when the service runs no projections (a replay, a test driving them itself)."""
    runtime: ServiceRuntime | None = getattr(scope["app"].state, "runtime", None)
    if runtime is None or not runtime.settings.read_after_write_wait:
        return None
    if not runtime.settings.run_projections:
        return None
    return runtime.projected


class ServiceAPI(FastAPI):
    """A service's FastAPI app, whose OpenAPI document states its problem responses."""

    def openapi(self) -> dict[str, Any]:
        if self.openapi_schema is None:
            self.openapi_schema = named_vocabularies(_honest_problems(super().openapi()))
        return self.openapi_schema


def build_app(
    *,
    title: str,
    description: str,
    parts: ServiceParts,
    settings: Callable[[], ServiceSettings],
    routers: Sequence[APIRouter],
) -> FastAPI:
    """A service's app. Its runtime is built in the lifespan, so import and OpenAPI touch no store."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        current = settings()
        keys = own_keys(current)  # a service without its organisation's keys does not start
        runtime = ServiceRuntime.build(parts, current)
        # Requests beyond what the store's pool can serve wait for a thread here, not
        # for a connection inside the pool (which gives up after a few seconds).
        to_thread.current_default_thread_limiter().total_tokens = runtime.request_threads
        app.state.runtime = runtime
        app.state.token_keys = keys
        app.state.verifier = build_verifier(current, keys)
        runtime.start()
        try:
            yield
        finally:
            runtime.stop()

    app = ServiceAPI(
        title=title,
        description=description,
        version=API_VERSION,
        lifespan=lifespan,
        generate_unique_id_function=_operation_id,
    )
    problems.install(app)
    for router in (
        *routers,
        contract_feed_router(),
        audit_router(),
        health_router(),
        jwks_router(),
    ):
        app.include_router(router)
    app.state.metrics = metrics = Metrics(lambda: getattr(app.state, "runtime", None))
    app.add_middleware(BodyLimit)
    app.add_middleware(ReadsFollowWrites, projected=_projected)
    app.add_middleware(FeedProducer, service=parts.service)
    app.add_middleware(RequestMetrics, metrics=metrics)
    app.add_middleware(RequestIdentity)
    return app
