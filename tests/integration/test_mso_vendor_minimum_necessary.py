"""Minimum necessary for vendors: an integration reaches patient data only in the bookings
it made. Another vendor's booking at the same site, or the MSO's own, is answered as if it
did not exist, on every route that names an appointment, and is left out of its lists."""

from __future__ import annotations

import pytest

from tests.integration.conftest import AUDITOR
from tests.integration.scheduling_helpers import (
    PATIENT,
    SCHEDULER,
    authorized_site,
    book,
    clock,
    create_schedule,
    find,
    ok,
    pair,
    problem,
    publish,
    vendor,
)
from tests.integration.services import Pair

# Issues 9 and 10 ask for every point on both backends.
pytestmark = pytest.mark.storage

__all__ = ["clock", "pair"]  # fixtures


def test_a_vendor_reads_and_changes_only_the_bookings_it_made(pair: Pair) -> None:
    site_id = authorized_site(pair)
    publish(pair, create_schedule(pair, site_id, capacity=3)["id"])
    acme, other = vendor(site_id), vendor(site_id, sub="other-scheduling")
    slots = [s["id"] for s in find(pair, acme)]
    acme_booking = ok(book(pair, slots[0], acme), 201)
    staff_booking = ok(book(pair, slots[0], SCHEDULER), 201)
    pair.sync()
    before = pair.mso_runtime.application.head_position()

    for booking in (acme_booking, staff_booking):
        appointment = f"/appointments/{booking['id']}"
        for path in (
            appointment,
            f"{appointment}/history",
            f"/provenance/appointment/{booking['id']}",
        ):
            refused = problem(pair.mso.get(path, headers=other), 404, "appointment-not-found")
            assert PATIENT["name"] not in str(refused)
        problem(
            pair.mso.post(f"{appointment}/cancel", json={"reason": "not mine"}, headers=other),
            404,
            "appointment-not-found",
        )
        problem(
            pair.mso.post(
                f"{appointment}/reschedule",
                json={"slot_id": slots[1], "reason": "moved"},
                headers=other,
            ),
            404,
            "appointment-not-found",
        )
    assert pair.mso_runtime.application.head_position() == before, "nothing was written"
    assert ok(pair.mso.get("/appointments", headers=other))["items"] == []

    mine = ok(pair.mso.get(f"/appointments/{acme_booking['id']}", headers=acme))
    assert mine["patient"]["name"] == PATIENT["name"]
    problem(
        pair.mso.get(f"/appointments/{staff_booking['id']}", headers=acme),
        404,
        "appointment-not-found",
    )
    listed = ok(pair.mso.get("/appointments", headers=acme))["items"]
    assert [a["id"] for a in listed] == [acme_booking["id"]]
    staff_view = ok(pair.mso.get("/appointments", headers=SCHEDULER))["items"]
    assert {a["id"] for a in staff_view} == {acme_booking["id"], staff_booking["id"]}


def test_the_access_log_holds_no_read_by_a_vendor_it_refused(pair: Pair) -> None:
    site_id = authorized_site(pair)
    publish(pair, create_schedule(pair, site_id)["id"])
    acme, other = vendor(site_id), vendor(site_id, sub="other-scheduling")
    booking = ok(book(pair, find(pair, acme)[0]["id"], acme), 201)
    pair.sync()
    problem(
        pair.mso.get(f"/appointments/{booking['id']}", headers=other), 404, "appointment-not-found"
    )
    ok(pair.mso.get(f"/appointments/{booking['id']}", headers=acme))
    pair.sync()
    reads = ok(pair.mso.get("/access-log", params={"record_id": booking["id"]}, headers=AUDITOR))[
        "items"
    ]
    readers = {r["actor_id"] for r in reads}
    assert "other-scheduling" not in readers
    assert "acme-scheduling" in readers
