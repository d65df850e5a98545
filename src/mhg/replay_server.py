"""A replayed service, served read-only: it answers reads as the live API would, then.

The service runs on a replay's directory (its log copy and read models, `mhg.replay`)
with no follower, no projections and no sealer. Every request that is not a read gets
405 before any route runs; and should a read path try to record anything but a read
of patient data (the access log, which still records who looked, in the replay's own
log), the application refuses it with 503.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from fastapi import FastAPI
from starlette.types import ASGIApp, Receive, Scope, Send

from mhg.access import PatientDataRead
from mhg.problems import Problem, problem_response
from mhg.runtime import ServiceRuntime

READS = frozenset({"GET", "HEAD", "OPTIONS"})
CODE = "read-only-replay"
TITLE = "This service is a read-only replay"


class ReadOnly:
    """Refuses every method but GET, HEAD and OPTIONS with a 405 problem."""

    def __init__(self, app: ASGIApp, as_of: str) -> None:
        self.app = app
        self.as_of = as_of

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] not in READS:
            response = problem_response(
                405,
                CODE,
                TITLE,
                f"this is the service as it stood at {self.as_of}; "
                f"{scope['method']} changes nothing here",
                instance=scope.get("path"),
                headers={"Allow": "GET, HEAD, OPTIONS"},
            )
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


def refuse_writes(runtime: ServiceRuntime) -> None:
    """Let the application record reads of patient data only (the access log)."""
    application = runtime.application
    record = application.record

    def guarded(*aggregates: Any, tracking: Any = None) -> None:
        if tracking is not None or not all(
            a is None or isinstance(a, PatientDataRead) for a in aggregates
        ):
            raise Problem(503, CODE, TITLE, "a replay records nothing but reads of patient data")
        record(*aggregates)

    setattr(application, "record", guarded)  # noqa: B010 - this instance only


def read_only(app: FastAPI, as_of: str) -> FastAPI:
    """The service app, made read-only: 405 for writes, and its application guarded."""
    app.add_middleware(ReadOnly, as_of=as_of)
    started: Callable[[Any], AbstractAsyncContextManager[Any]] = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(served: Any) -> AsyncIterator[None]:
        async with started(served):
            refuse_writes(served.state.runtime)
            yield

    app.router.lifespan_context = lifespan
    return app
