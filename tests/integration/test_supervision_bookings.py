"""A slot whose clinical shift lacks the coverage the PC requires is not bookable.

The PC credentials the clinicians and publishes who supervises whom; the MSO schedules a
clinical shift over some slots. While that shift has a coverage gap (an NP with no
supervising physician on it), its slots are `unavailable` with `shift-not-covered`, and a
hold, a booking or a move into one is refused with a 409 naming the shift; once the
supervisor is on the shift they take bookings again. Slots no clinical shift covers are
judged as before.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.integration.clinician_helpers import credentialed
from tests.integration.scheduling_helpers import (
    ADMIN,
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
    slot,
)
from tests.integration.services import Pair
from tests.integration.test_mso_staffing import assign, on_staff, schedule, set_rules, supervise

__all__ = ["clock", "pair"]  # fixtures

TUESDAY = date(2027, 1, 5)  # the schedule's Tuesday slots: 09:00-10:00 in Los Angeles
TUESDAY_WINDOW = {"start": "2027-01-05T00:00:00Z", "end": "2027-01-06T00:00:00Z"}


def statuses(pair: Pair, **params: Any) -> set[tuple[str, str | None]]:
    return {(s["status"], s["unavailable_reason"]) for s in find(pair, **params)}


def test_a_slot_over_an_unsupervised_shift_takes_no_booking_until_it_is_covered(
    pair: Pair,
) -> None:
    site_id = authorized_site(pair)
    publish(pair, create_schedule(pair, site_id)["id"])
    doctor, _ = credentialed(pair, "1000000901")
    np_id, _ = credentialed(pair, "2000000901", "np")
    set_rules(pair)
    supervise(pair, np_id, doctor, start=date(2027, 1, 1))
    pair.sync()
    thursday = find(pair, start="2027-01-07T00:00:00Z")
    first = find(pair, **TUESDAY_WINDOW)[0]["id"]
    moving = ok(book(pair, thursday[0]["id"]), 201)  # booked before the gap opens

    shift = schedule(pair, site_id, day=TUESDAY, hours=(8, 12))
    assign(pair, shift["id"], on_staff(pair, np_id))
    pair.sync()

    assert statuses(pair, **TUESDAY_WINDOW) == {("unavailable", "shift-not-covered")}
    assert statuses(pair, start="2027-01-07T00:00:00Z") == {("free", None)}, "no shift there"
    assert {s["id"] for s in find(pair, status="unavailable")} == {
        s["id"] for s in find(pair, **TUESDAY_WINDOW)
    }
    assert slot(pair, first)["unavailable_reason"] == "shift-not-covered"
    before = pair.mso_runtime.application.head_position()
    refused = problem(hold(pair, first), 409, "shift-not-covered")
    assert refused["shift_id"] == shift["id"]
    assert refused["reasons"] == ["app_without_supervisor"]
    assert shift["id"] in refused["detail"]
    assert "app_without_supervisor" in refused["detail"]
    problem(book(pair, first), 409, "shift-not-covered")
    moved = pair.mso.post(
        f"/appointments/{moving['id']}/reschedule",
        json={"slot_id": first, "reason": "earlier"},
        headers=ADMIN,
    )
    problem(moved, 409, "shift-not-covered")
    assert pair.mso_runtime.application.head_position() == before, "nothing was written"
    assert slot(pair, first)["booked"] == 0

    assign(pair, shift["id"], on_staff(pair, doctor))  # the supervisor joins the shift
    pair.sync()
    assert statuses(pair, **TUESDAY_WINDOW) == {("free", None)}
    assert slot(pair, first)["unavailable_reason"] is None
    booked = ok(book(pair, first), 201)
    assert booked["slot_id"] == first


def test_a_shift_that_needs_no_clinical_coverage_leaves_its_slots_bookable(pair: Pair) -> None:
    site_id = authorized_site(pair)
    publish(pair, create_schedule(pair, site_id)["id"])
    set_rules(pair)
    front_desk = schedule(pair, site_id, day=TUESDAY, hours=(8, 12), needs_clinical_coverage=False)
    assert front_desk["coverage"]["covered"] is True
    pair.sync()
    assert statuses(pair, **TUESDAY_WINDOW) == {("free", None)}
    ok(book(pair, find(pair, **TUESDAY_WINDOW)[0]["id"]), 201)
