"""Store outages: a request that cannot reach the store within the bound gets 503
`store-unavailable` with Retry-After, `/healthz` keeps answering, and nothing the client
was told failed is committed afterwards.

On PostgreSQL a TCP proxy the test controls sits between the service and the database:
it refuses (closes every connection), then black-holes (accepts, never answers). On
SQLite, which has no network, another connection holds the write lock instead.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import make_url

from mhg.memorystore import sqlite_filename
from mhg.runtime import ServiceRuntime
from mhg.settings import MsoOpsSettings
from mhg.storebounds import contention_seconds
from services.mso_ops.app import create_app
from tests.conftest import SECRET, StoreUrl, auth, postgres_url
from tests.integration.tcp_proxy import Mode, TcpProxy
from tests.integration.test_mso_scheduling_concurrency import served

ADMIN = auth("mso_admin", "ann")
STORE_TIMEOUT = 2.0
SLACK = 2.0  # a loaded two-core test machine
STUCK_READS = 25


@contextmanager
def mso(database_url: str) -> Iterator[tuple[TestClient, ServiceRuntime]]:
    settings = MsoOpsSettings(
        database_url=database_url,
        auth_secret=SECRET,
        follow_peer=False,
        run_projections=False,
        seal=False,
        store_timeout=STORE_TIMEOUT,
    )
    with TestClient(create_app(settings)) as client:
        yield client, client.app.state.runtime  # type: ignore[attr-defined]


def site(name: str) -> dict[str, str]:
    return {"name": name, "kind": "clinic", "address": "9 Elm St"}


def assert_unavailable(
    response: httpx.Response | Any, elapsed: float, bound: float = STORE_TIMEOUT
) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["type"] == "/problems/store-unavailable"
    assert int(response.headers["retry-after"]) > 0
    assert elapsed < bound + SLACK, f"answered after {elapsed:.1f} s"


def timed_post(http: httpx.Client, name: str) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    response = http.post("/sites", json=site(name), headers=ADMIN)
    return response, time.monotonic() - started


@pytest.fixture
def proxied(store_url: StoreUrl) -> Iterator[tuple[str, TcpProxy]]:
    real = make_url(postgres_url() or "")
    proxy = TcpProxy(real.host or "127.0.0.1", real.port or 5432)
    url = make_url(store_url("outage")).set(port=proxy.port)
    try:
        yield url.render_as_string(hide_password=False), proxy
    finally:
        proxy.close()


def outage_while_healthz_answers(base_url: str, proxy: TcpProxy, mode: Mode, name: str) -> None:
    """In `mode`: a write and many reads all get 503 in time; /healthz answers meanwhile."""
    proxy.set(mode)
    stop = threading.Event()
    health: list[float] = []

    probe = httpx.Client(base_url=base_url, timeout=10)
    probe.get("/healthz")

    def probe_health() -> None:
        while True:
            started = time.monotonic()
            status = probe.get("/healthz").status_code
            health.append(time.monotonic() - started if status == 200 else float("inf"))
            if stop.wait(0.1):
                return

    clients = [httpx.Client(base_url=base_url, timeout=30) for _ in range(STUCK_READS)]
    for http in clients:
        http.get("/healthz")  # connected before the outage starts

    def read(http: httpx.Client) -> tuple[int, float]:
        started = time.monotonic()
        response = http.get("/sites", headers=ADMIN)
        return response.status_code, time.monotonic() - started

    with httpx.Client(base_url=base_url, timeout=30) as http:
        response, elapsed = timed_post(http, name)  # alone: no queue for a request thread
        assert_unavailable(response, elapsed)
        started = time.monotonic()
        assert_unavailable(http.get("/sites", headers=ADMIN), time.monotonic() - started)

    prober = threading.Thread(target=probe_health, daemon=True)
    prober.start()
    with ThreadPoolExecutor(max_workers=STUCK_READS) as pool:
        outcomes = list(pool.map(read, clients))
    stop.set()
    prober.join(timeout=10)
    for http in (probe, *clients):
        http.close()

    print(  # the measurements, with -s
        f"{mode}: write 503 after {elapsed:.2f} s; {STUCK_READS} reads 503 within "
        f"{max(seconds for _, seconds in outcomes):.2f} s; /healthz at most {max(health):.3f} s"
    )
    assert {status for status, _ in outcomes} == {503}, outcomes
    # more reads than request threads: the last queue for a thread, a few bounds at most
    assert max(seconds for _, seconds in outcomes) < 4 * (STORE_TIMEOUT + SLACK), outcomes
    assert health, "/healthz never answered"
    assert max(health) < 1.0, f"/healthz took up to {max(health):.2f} s"


@pytest.mark.postgres  # the proxy stands between the service and PostgreSQL's TCP port
def test_refused_then_black_holed_store_answers_503_in_time_and_commits_nothing(
    proxied: tuple[str, TcpProxy],
) -> None:
    url, proxy = proxied
    with mso(url) as (client, runtime), served(client.app) as base_url:  # type: ignore[arg-type]
        with httpx.Client(base_url=base_url, timeout=30) as http:
            assert http.post("/sites", json=site("Before"), headers=ADMIN).status_code == 201
        head = runtime.application.head_position()

        outage_while_healthz_answers(base_url, proxy, "refuse", "Refused Clinic")
        outage_while_healthz_answers(base_url, proxy, "black-hole", "Black-holed Clinic")

        proxy.set("forward")
        deadline = time.monotonic() + 60
        with httpx.Client(base_url=base_url, timeout=30) as http:
            while http.get("/sites", headers=ADMIN).status_code != 200:
                assert time.monotonic() < deadline, "the service did not recover"
                time.sleep(0.5)
            time.sleep(STORE_TIMEOUT)  # a late commit would have landed by now
            assert runtime.application.head_position() == head  # the refused writes: absent
            after = http.post("/sites", json=site("After"), headers=ADMIN)
            assert after.status_code == 201, after.text
        assert runtime.application.head_position() == head + 1
        runtime.projections.catch_up()
        names = {row["name"] for row in client.get("/sites", headers=ADMIN).json()["items"]}
        assert names == {"Before", "After"}


def test_sqlite_write_lock_held_elsewhere_answers_503_in_time_and_commits_nothing(
    store_url: StoreUrl,
) -> None:
    url = store_url("locked")
    with mso(url) as (client, runtime):
        head = runtime.application.head_position()
        holder = sqlite3.connect(sqlite_filename(make_url(url)), uri=True, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # another writer holds the event log's lock
        try:
            started = time.monotonic()
            response = client.post("/sites", json=site("Locked Out"), headers=ADMIN)
            # a lock held elsewhere is waited for as contention would be, then 503
            bound = contention_seconds(STORE_TIMEOUT)
            assert_unavailable(response, time.monotonic() - started, bound)
            assert client.get("/healthz").status_code == 200
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert runtime.application.head_position() == head
        assert client.post("/sites", json=site("Unlocked"), headers=ADMIN).status_code == 201
        runtime.projections.catch_up()
        names = {row["name"] for row in client.get("/sites", headers=ADMIN).json()["items"]}
        assert names == {"Unlocked"}
