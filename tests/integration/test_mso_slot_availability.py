"""Slot availability follows the booking rules: a slot whose places cannot be taken (the
PC's authorization of its line is not in force, its site is held or closed) is never
listed as free; it is `unavailable`, with the problem type a hold or booking gets."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.scheduling_helpers import (
    ADMIN,
    BASIS,
    DIRECTOR,
    authorize,
    authorized_site,
    book,
    clock,
    create_schedule,
    find,
    hold,
    ok,
    pair,
    problem,
    publish,
    site_with_line,
    slot,
)
from tests.integration.services import Pair

# Issues 9 and 10 ask for every point on both backends.
pytestmark = pytest.mark.storage

__all__ = ["clock", "pair"]  # fixtures


def statuses(pair: Pair, **params: Any) -> dict[str, tuple[str, str | None]]:
    return {s["id"]: (s["status"], s["unavailable_reason"]) for s in find(pair, **params)}


def test_a_line_the_pc_revokes_lists_no_free_slot_and_says_why(pair: Pair) -> None:
    site_id = site_with_line(pair)
    publish(pair, create_schedule(pair, site_id)["id"])
    pair.sync()
    proposed = statuses(pair)
    assert set(proposed.values()) == {("unavailable", "service-line-not-authorized")}
    assert find(pair, status="free") == [], "not authorized yet: nothing to book"

    authorization_id = authorize(pair, site_id)
    free = find(pair, status="free")
    assert {s["status"] for s in free} == {"free"}
    assert len(free) == len(proposed)
    assert {s["unavailable_reason"] for s in free} == {None}

    ok(
        pair.pc.post(
            f"/authorizations/{authorization_id}/revoke",
            json={"reason": "chart review findings", "basis": BASIS},
            headers=DIRECTOR,
        )
    )
    pair.sync()
    assert find(pair, status="free") == []
    unavailable = find(pair, status="unavailable")
    assert len(unavailable) == len(proposed)
    slot_id = unavailable[0]["id"]
    single = slot(pair, slot_id)
    assert (single["status"], single["unavailable_reason"]) == (
        "unavailable",
        "service-line-not-authorized",
    )
    problem(hold(pair, slot_id), 409, single["unavailable_reason"])


def test_a_held_site_lists_its_slots_unavailable_until_it_resumes(pair: Pair) -> None:
    site_id = authorized_site(pair)
    publish(pair, create_schedule(pair, site_id)["id"])
    pair.sync()
    every = statuses(pair)
    ok(pair.mso.post(f"/sites/{site_id}/suspend", json={"reason": "flood"}, headers=ADMIN))
    pair.sync()
    assert find(pair, status="free") == []
    assert set(statuses(pair).values()) == {("unavailable", "site-not-operating")}
    slot_id = next(iter(every))
    problem(book(pair, slot_id), 409, "site-not-operating")
    assert slot(pair, slot_id)["unavailable_reason"] == "site-not-operating"

    ok(pair.mso.post(f"/sites/{site_id}/resume", json={"reason": "dry"}, headers=ADMIN))
    pair.sync()
    assert statuses(pair) == every
    assert find(pair, status="unavailable") == []


def test_a_full_slot_at_a_bookable_site_stays_busy(pair: Pair) -> None:
    site_id = authorized_site(pair)
    publish(pair, create_schedule(pair, site_id, capacity=1)["id"])
    slot_id = find(pair)[0]["id"]
    ok(book(pair, slot_id), 201)
    pair.sync()
    [busy] = find(pair, status="busy")
    assert (busy["id"], busy["unavailable_reason"]) == (slot_id, None)
    assert slot_id not in {s["id"] for s in find(pair, status="free")}
