"""Request bodies are limited while they stream: a chunked body (no Content-Length) over
the limit gets a 413 problem as soon as it passes the limit, and nothing runs or is written."""

from __future__ import annotations

import select
import socket
import time
from collections.abc import Iterator

import anyio
import pytest
from starlette.types import ASGIApp, Message

from mhg.web import MAX_BODY_BYTES
from tests.conftest import StoreUrl, auth
from tests.integration.services import Pair, service_pair
from tests.integration.test_mso_scheduling_concurrency import served

# Issues 9 and 10 ask for every point on both backends.
pytestmark = pytest.mark.storage

ADMIN = auth("mso_admin", "ann")
CHUNK = 65_536


@pytest.fixture
def pair(store_url: StoreUrl) -> Iterator[Pair]:
    with service_pair(store_url) as services:
        yield services


def huge_chunked_post(app: ASGIApp) -> tuple[list[Message], int]:
    """POST /sites with a 16 MB chunked body; what the app sent and how many chunks it pulled."""
    pulled = 0
    sent: list[Message] = []

    async def receive() -> Message:
        nonlocal pulled
        pulled += 1
        more = pulled < 16 * MAX_BODY_BYTES // CHUNK
        return {"type": "http.request", "body": b" " * CHUNK, "more_body": more}

    async def send(message: Message) -> None:
        sent.append(message)

    headers = [(b"content-type", b"application/json"), (b"transfer-encoding", b"chunked")]
    headers += [(k.lower().encode(), v.encode()) for k, v in ADMIN.items()]
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/sites",
        "raw_path": b"/sites",
        "root_path": "",
        "query_string": b"",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8001),
        "state": {},
    }

    async def call() -> None:
        await app(scope, receive, send)

    anyio.run(call)
    return sent, pulled


def test_a_chunked_body_past_the_limit_is_refused_as_it_arrives(pair: Pair) -> None:
    head = pair.mso_runtime.application.head_position()

    sent, pulled = huge_chunked_post(pair.mso.app)

    start = next(m for m in sent if m["type"] == "http.response.start")
    assert start["status"] == 413
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    assert b"/problems/payload-too-large" in body
    assert pulled == MAX_BODY_BYTES // CHUNK + 1  # stopped at the chunk that passed the limit
    assert pair.mso_runtime.application.head_position() == head


def test_a_chunked_body_under_the_limit_is_accepted(pair: Pair) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"name": "Northgate", "kind": "clinic",'
        yield b' "address": "9 Elm St"}'

    response = pair.mso.post(
        "/sites", content=chunks(), headers={**ADMIN, "Content-Type": "application/json"}
    )
    assert response.status_code == 201, response.text


def test_uvicorn_answers_413_to_a_100_mb_chunked_post_without_reading_it(pair: Pair) -> None:
    token = ADMIN["Authorization"]
    head = pair.mso_runtime.application.head_position()
    with served(pair.mso.app) as base_url:  # type: ignore[arg-type]
        host, port = base_url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=10) as conn:
            conn.sendall(
                b"POST /sites HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
                b"Transfer-Encoding: chunked\r\nAuthorization: " + token.encode() + b"\r\n\r\n"
            )
            chunk = f"{CHUNK:x}\r\n".encode() + b" " * CHUNK + b"\r\n"
            sent = 0
            deadline = time.monotonic() + 60
            while sent < 100 * 1024 * 1024 and time.monotonic() < deadline:
                readable, writable, _ = select.select([conn], [conn], [], 1)
                if readable:
                    break
                if writable:
                    try:
                        sent += conn.send(chunk)
                    except OSError:  # the server closed the connection after answering
                        break
            answer = conn.recv(65536)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert b"payload-too-large" in answer
    assert sent < 16 * 1024 * 1024, f"{sent} bytes went out before the answer"
    assert pair.mso_runtime.application.head_position() == head
