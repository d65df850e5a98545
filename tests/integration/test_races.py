"""Races get one answer: twins with one Idempotency-Key all get the first response, and the
losers of an If-Match race always get 412. Over real HTTP from real threads, on each backend.

Twenty clients wait at a barrier and send the same request at once to the MSO app under
uvicorn (sharing the runtime its test client started).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from tests.conftest import StoreUrl, auth
from tests.integration.scheduling_helpers import (
    PATIENT,
    authorized_site,
    clock,
    create_schedule,
    find,
    publish,
    vendor,
)
from tests.integration.services import Pair, service_pair
from tests.integration.test_mso_scheduling_concurrency import served, takes

# Issues 9 and 10 ask for every point on both backends.
pytestmark = pytest.mark.storage

__all__ = ["clock"]  # fixture

CLIENTS = 20
ADMIN = auth("mso_admin", "ann")
SITE = {"name": "Northgate Clinic", "kind": "clinic", "address": "9 Elm St"}


@pytest.fixture
def pair(store_url: StoreUrl) -> Iterator[Pair]:
    with service_pair(store_url) as services:
        yield services


def race(
    pair: Pair, request: Callable[[httpx.Client], httpx.Response]
) -> list[tuple[int, dict[str, Any], httpx.Headers]]:
    """Every client sends its request at once: (status, body, headers) of each."""
    barrier = threading.Barrier(CLIENTS)

    def one(_: int) -> tuple[int, dict[str, Any], httpx.Headers]:
        with httpx.Client(base_url=base_url, timeout=60) as http:
            http.get("/healthz")  # connect before the barrier
            barrier.wait()
            response = request(http)
        return response.status_code, response.json(), response.headers

    with served(pair.mso.app) as base_url, ThreadPoolExecutor(max_workers=CLIENTS) as pool:  # type: ignore[arg-type]
        return list(pool.map(one, range(CLIENTS)))


def test_twins_with_one_idempotency_key_all_get_the_first_response(pair: Pair) -> None:
    head = pair.mso_runtime.application.head_position()
    headers = {**ADMIN, "Idempotency-Key": "northgate-1"}

    outcomes = race(pair, lambda http: http.post("/sites", json=SITE, headers=headers))

    assert sorted(status for status, _, _ in outcomes) == [201] * CLIENTS, outcomes
    bodies = {str(sorted(body.items())) for _, body, _ in outcomes}
    assert len(bodies) == 1, bodies
    assert len({h["location"] for _, _, h in outcomes}) == 1
    assert pair.mso_runtime.application.head_position() == head + 1  # one site proposed


def test_twin_bookings_with_one_key_book_once_and_all_answer_201(pair: Pair) -> None:
    site_id = authorized_site(pair)
    publish(pair, create_schedule(pair, site_id, capacity=4)["id"])
    slot_id = find(pair, site=site_id)[0]["id"]
    headers = {**vendor(site_id), "Idempotency-Key": "booking-retry-7"}
    body = {"patient": PATIENT}

    outcomes = race(
        pair, lambda http: http.post(f"/slots/{slot_id}/$book", json=body, headers=headers)
    )

    assert sorted(status for status, _, _ in outcomes) == [201] * CLIENTS, outcomes
    assert len({str(sorted(b.items())) for _, b, _ in outcomes}) == 1
    assert takes(pair, slot_id) == 1  # booked once, in the log


def test_losers_of_an_if_match_race_always_get_412(pair: Pair) -> None:
    site_id = pair.mso.post("/sites", json=SITE, headers=ADMIN).json()["id"]
    created = pair.mso.post(
        f"/sites/{site_id}/service-lines", json={"code": "sports_clearance"}, headers=ADMIN
    )
    assert created.status_code == 201, created.text
    url = f"/sites/{site_id}/service-lines/sports_clearance/authorization-requests"
    headers = {**ADMIN, "If-Match": created.headers["etag"]}
    head = pair.mso_runtime.application.head_position()

    outcomes = race(
        pair, lambda http: http.post(url, json={"readiness": {"summary": "x"}}, headers=headers)
    )

    statuses = sorted(status for status, _, _ in outcomes)
    assert statuses == [201] + [412] * (CLIENTS - 1), outcomes
    assert {b["type"] for status, b, _ in outcomes if status == 412} == {"/problems/stale-version"}
    assert pair.mso_runtime.application.head_position() == head + 1
