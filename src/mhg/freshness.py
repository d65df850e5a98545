"""Reads follow writes: a command answers once the service's read models show it.

Lists and most reads are served from read models, which projections fill from the log
behind the commands. So that a client which writes and then reads sees its write, on
any process of the service, the answer of a request that recorded events is held until
every running projection has reached the position of its last event, for at most
`read_after_write_wait` seconds, and carries that position in `Log-Position`. A
projection stopped by a failure is not waited for (it stops `/readyz` instead). ADR 0023.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

LOG_POSITION_HEADER = "Log-Position"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass
class Written:
    """The highest log position the current request recorded (0: nothing)."""

    position: int = 0


_written: ContextVar[Written | None] = ContextVar("mhg_written", default=None)


def note_written(position: int) -> None:
    """Called where events are recorded: remember the position for the request's answer.

    Outside a request (background work, the CLI) there is nothing to hold and this is a no-op.
    """
    written = _written.get()
    if written is not None and position > written.position:
        written.position = position


def _resolve(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


class Watermark:
    """How far this process's projections have all reached, and the answers waiting on it.

    Advanced by the projection thread; awaited on the event loop.
    """

    def __init__(self) -> None:
        self.reached = 0
        self._lock = threading.Lock()
        self._waiting: list[tuple[int, asyncio.Future[None]]] = []

    def advance(self, position: int) -> None:
        with self._lock:
            if position <= self.reached:
                return
            self.reached = position
            due = [future for wanted, future in self._waiting if wanted <= position]
            self._waiting = [(wanted, f) for wanted, f in self._waiting if wanted > position]
        for future in due:
            future.get_loop().call_soon_threadsafe(_resolve, future)

    async def reach(self, position: int, timeout: float) -> bool:
        """Wait until every running projection has reached `position`; False on timeout."""
        with self._lock:
            if position <= self.reached:
                return True
            future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            self._waiting.append((position, future))
        try:
            await asyncio.wait_for(future, timeout)
        except TimeoutError:
            with self._lock:
                self._waiting = [(w, f) for w, f in self._waiting if f is not future]
            return False
        return True


Projected = Callable[[int], Awaitable[bool]]
"""Waits until the service's projections have reached a position; False if they did not in time."""


class ReadsFollowWrites:
    """Holds the answer of a request that recorded events until its projections show them."""

    def __init__(self, app: ASGIApp, projected: Callable[[Scope], Projected | None]) -> None:
        self.app = app
        self.projected = projected

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        written = Written()
        token = _written.set(written)

        async def send_when_projected(message: Message) -> None:
            if message["type"] == "http.response.start" and written.position:
                projected = self.projected(scope)
                if projected is not None:
                    await projected(written.position)
                header = (LOG_POSITION_HEADER.lower().encode(), str(written.position).encode())
                message["headers"] = [*message.get("headers", []), header]
            await send(message)

        try:
            await self.app(scope, receive, send_when_projected)
        finally:
            _written.reset(token)
