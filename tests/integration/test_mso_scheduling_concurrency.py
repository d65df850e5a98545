"""Concurrent bookings of the last places, over real HTTP from real threads, on each backend.

The MSO app runs under uvicorn on a loopback port (sharing the runtime its test client
started); every thread has its own HTTP connection and all of them wait at a barrier,
so the requests reach the slot together. Exactly as many win as there were places; the
others are told 409 `slot-full`, and the event log holds exactly that many bookings.
A hold or a booking decides on the slot its route read (one load of it, not two), and
loads it again only when a concurrent save beat that decision.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from mhg.meta import Meta
from services.mso_ops.application.slots import SlotCommands
from services.mso_ops.domain.slot import Slot
from tests.e2e.harness import free_port
from tests.integration.scheduling_helpers import (
    PATIENT,
    Clock,
    authorized_site,
    book,
    clock,
    create_schedule,
    find,
    hold,
    ok,
    pair,
    publish,
    slot,
    vendor,
)
from tests.integration.services import Pair

pytestmark = pytest.mark.storage

__all__ = ["clock", "pair"]  # fixtures

CLIENTS = 10
META = Meta("sam", "mso_scheduler", "mso", "req-1", "req-1", "req-1")


@contextmanager
def served(app: FastAPI) -> Iterator[str]:
    """The app (its lifespan already run by the test client) on a real loopback port."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="off", log_level="warning")
    )
    thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def race(base_url: str, request: Callable[[httpx.Client, int], httpx.Response]) -> list[Any]:
    """Every client sends its request at once; returns (status, problem type or id)."""
    barrier = threading.Barrier(CLIENTS)

    def one(n: int) -> tuple[int, str]:
        with httpx.Client(base_url=base_url, timeout=60) as http:
            http.get("/healthz")  # connect before the barrier
            barrier.wait()
            response = request(http, n)
        body = response.json()
        return response.status_code, body.get("type") or body.get("id")

    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        return list(pool.map(one, range(CLIENTS)))


def takes(pair: Pair, slot_id: str) -> int:
    """How many bookings the event log holds for the slot (not the read model)."""
    events = pair.mso_runtime.application.events.get(uuid.UUID(slot_id))
    return sum(1 for event in events if isinstance(event, Slot.Taken))  # type: ignore[attr-defined]


def test_of_two_bookings_for_the_last_place_exactly_one_wins(pair: Pair) -> None:
    site_id = authorized_site(pair)
    publish(pair, create_schedule(pair, site_id, capacity=1)["id"])
    slot_id = find(pair, site=site_id)[0]["id"]
    acme = vendor(site_id)
    body = {"patient": PATIENT}

    with served(pair.mso.app) as base_url:  # type: ignore[arg-type]
        outcomes = race(
            base_url, lambda http, n: http.post(f"/slots/{slot_id}/$book", json=body, headers=acme)
        )

    statuses = sorted(status for status, _ in outcomes)
    assert statuses == [201] + [409] * (CLIENTS - 1), outcomes
    assert {kind for status, kind in outcomes if status == 409} == {"/problems/slot-full"}
    assert slot(pair, slot_id)["booked"] == 1
    assert takes(pair, slot_id) == 1


def test_concurrent_bookings_fill_a_slot_exactly_to_its_capacity(pair: Pair) -> None:
    site_id = authorized_site(pair)
    publish(pair, create_schedule(pair, site_id, capacity=4)["id"])
    slot_id = find(pair, site=site_id)[0]["id"]
    ok(
        pair.mso.post(
            f"/slots/{slot_id}/$book", json={"patient": PATIENT}, headers=vendor(site_id)
        ),
        201,
    )  # three places left for ten clients

    def hold_then_book(http: httpx.Client, n: int) -> httpx.Response:
        headers = vendor(site_id, sub=f"vendor-{n}")
        held = http.post(f"/slots/{slot_id}/holds", json={}, headers=headers)
        if held.status_code != 201:
            return held
        return http.post(
            f"/slots/{slot_id}/$book",
            json={"patient": PATIENT, "hold_id": held.json()["id"]},
            headers=headers,
        )

    with served(pair.mso.app) as base_url:  # type: ignore[arg-type]
        outcomes = race(base_url, hold_then_book)

    statuses = sorted(status for status, _ in outcomes)
    assert statuses == [201] * 3 + [409] * (CLIENTS - 3), outcomes
    assert {kind for status, kind in outcomes if status == 409} == {"/problems/slot-full"}
    after = slot(pair, slot_id)
    assert (after["booked"], after["held"], after["available"]) == (4, 0, 0)
    assert takes(pair, slot_id) == 4


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[uuid.UUID]:
    """The slot ids the scheduling commands load, in order."""
    loaded: list[uuid.UUID] = []
    load = SlotCommands.slot

    def counted(self: SlotCommands, slot_id: uuid.UUID) -> Slot:
        loaded.append(slot_id)
        return load(self, slot_id)

    monkeypatch.setattr(SlotCommands, "slot", counted)
    return loaded


def test_a_hold_and_a_booking_with_it_load_the_slot_once_each(
    pair: Pair, loads: list[uuid.UUID]
) -> None:
    site_id = authorized_site(pair)
    publish(pair, create_schedule(pair, site_id, capacity=2)["id"])
    slot_id = find(pair, site=site_id)[0]["id"]
    headers = vendor(site_id)
    loads.clear()

    held = ok(hold(pair, slot_id, headers), 201)
    assert loads == [uuid.UUID(slot_id)]  # the route's: the hold is decided on it
    loads.clear()
    booked = ok(book(pair, slot_id, {**headers, "Idempotency-Key": "b-1"}, held["id"]), 201)
    assert loads == [uuid.UUID(slot_id)]
    assert booked["slot_id"] == slot_id
    loads.clear()
    again = ok(book(pair, slot_id, {**headers, "Idempotency-Key": "b-1"}, held["id"]), 201)
    assert again == booked
    assert loads == [uuid.UUID(slot_id)]  # the route's read; the stored response answers


def test_a_decision_beaten_by_a_concurrent_save_is_taken_again_on_the_slot_as_it_is(
    pair: Pair, clock: Clock, loads: list[uuid.UUID]
) -> None:
    site_id = authorized_site(pair)
    publish(pair, create_schedule(pair, site_id, capacity=2)["id"])
    slot_id = uuid.UUID(find(pair, site=site_id)[0]["id"])
    slots = pair.mso_runtime.application.slots
    read = slots.slot(slot_id)
    was = read.version
    ok(book(pair, str(slot_id), vendor(site_id)), 201)  # saves the slot meanwhile
    loads.clear()

    decided: list[int] = []

    def decide(slot: Slot) -> int:
        decided.append(slot.version)
        slot.take(appointment_id=uuid.UUID(int=7), hold_id=None, holder="x", at=clock.at, meta=META)
        slots.store.record(slot)
        return slot.version

    version = slots.deciding(slot_id, read, decide)
    assert decided == [was, was + 1]  # as read, then as the booking left it
    assert loads == [slot_id]
    assert version == was + 2
