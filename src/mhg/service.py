"""The FastAPI application both services are made of, with the shared routes and errors."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute

from mhg import problems
from mhg.routes import contract_feed_router, health_router
from mhg.web import BodyLimit, RequestIdentity

API_VERSION = "1.0.0"


def _operation_id(route: APIRoute) -> str:
    return route.operation_id or route.name


def build_app(
    *,
    title: str,
    description: str,
    lifespan: Callable[[FastAPI], AbstractAsyncContextManager[Any]],
    routers: Sequence[APIRouter],
) -> FastAPI:
    app = FastAPI(
        title=title,
        description=description,
        version=API_VERSION,
        lifespan=lifespan,
        generate_unique_id_function=_operation_id,
    )
    problems.install(app)
    for router in (*routers, contract_feed_router(), health_router()):
        app.include_router(router)
    app.add_middleware(BodyLimit)
    app.add_middleware(RequestIdentity)
    return app
