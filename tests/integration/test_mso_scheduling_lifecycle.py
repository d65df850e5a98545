"""An appointment's life after booking, over HTTP on each backend, and what it does to slots."""

from __future__ import annotations

from typing import Any

from tests.integration.conftest import ADMIN, SCHEDULER
from tests.integration.scheduling_helpers import (
    Clock,
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
    vendor,
)
from tests.integration.services import Pair

__all__ = ["clock", "pair"]  # fixtures


def booked_at_slots(pair: Pair, capacity: int = 1) -> tuple[str, list[dict[str, Any]]]:
    site_id = authorized_site(pair)
    publish(pair, create_schedule(pair, site_id, capacity=capacity)["id"])
    return site_id, find(pair, site=site_id)


def step(
    pair: Pair,
    appointment_id: str,
    action: str,
    body: Any = None,
    headers: dict[str, str] = SCHEDULER,
    version: int | None = None,
) -> Any:
    if version is not None:
        headers = {**headers, "If-Match": f'"{version}"'}
    return pair.mso.post(f"/appointments/{appointment_id}/{action}", json=body, headers=headers)


def test_check_in_then_fulfilled(pair: Pair, clock: Clock) -> None:
    _, slots = booked_at_slots(pair)
    appointment = ok(book(pair, slots[0]["id"]), 201)
    url = appointment["id"]
    problem(step(pair, url, "outcome", {"outcome": "fulfilled"}), 409, "appointment-not-due")
    arrived = step(pair, url, "check-in", version=1)
    assert ok(arrived)["status"] == "arrived"
    assert arrived.headers["ETag"] == '"2"'
    problem(step(pair, url, "check-in"), 409, "invalid-appointment-transition")
    problem(step(pair, url, "outcome", {"outcome": "fulfilled"}, version=1), 412, "stale-version")
    clock.advance(days=1, hours=1)  # past Tuesday 09:00 in Los Angeles
    problem(step(pair, url, "outcome", {"outcome": "no_show"}), 409, "appointment-not-active")
    fulfilled = ok(step(pair, url, "outcome", {"outcome": "fulfilled"}))
    assert fulfilled["status"] == "fulfilled"
    assert slot(pair, slots[0]["id"])["booked"] == 1, "a fulfilled visit keeps its place"
    problem(
        pair.mso.post(f"/appointments/{url}/cancel", json={"reason": "x"}, headers=ADMIN),
        409,
        "appointment-not-active",
    )
    pair.sync()
    listed = ok(pair.mso.get("/appointments", params={"status": "fulfilled"}, headers=ADMIN))
    assert [a["id"] for a in listed["items"]] == [url]


def test_a_no_show_only_once_it_came_due(pair: Pair, clock: Clock) -> None:
    _, slots = booked_at_slots(pair)
    appointment = ok(book(pair, slots[0]["id"]), 201)
    problem(
        step(pair, appointment["id"], "outcome", {"outcome": "no_show"}), 409, "appointment-not-due"
    )
    clock.advance(days=2)
    assert (
        ok(step(pair, appointment["id"], "outcome", {"outcome": "no_show"}))["status"] == "no_show"
    )
    assert slot(pair, slots[0]["id"])["booked"] == 1


def test_cancelling_frees_the_place(pair: Pair) -> None:
    _, slots = booked_at_slots(pair)
    first = ok(book(pair, slots[0]["id"]), 201)
    problem(book(pair, slots[0]["id"]), 409, "slot-full")
    cancelled = pair.mso.post(
        f"/appointments/{first['id']}/cancel", json={"reason": "family travel"}, headers=ADMIN
    )
    assert ok(cancelled)["cancellation_reason"] == "family travel"
    assert slot(pair, slots[0]["id"])["available"] == 1
    ok(book(pair, slots[0]["id"]), 201)


def test_entered_in_error_frees_the_place_from_any_status(pair: Pair) -> None:
    _, slots = booked_at_slots(pair)
    appointment = ok(book(pair, slots[0]["id"]), 201)
    ok(step(pair, appointment["id"], "check-in"))
    corrected = ok(step(pair, appointment["id"], "entered-in-error", {"reason": "booked twice"}))
    assert corrected["status"] == "entered_in_error"
    assert corrected["error_reason"] == "booked twice"
    assert slot(pair, slots[0]["id"])["booked"] == 0
    problem(
        step(pair, appointment["id"], "entered-in-error", {"reason": "again"}),
        409,
        "invalid-appointment-transition",
    )
    problem(
        step(pair, appointment["id"], "entered-in-error", {"reason": " "}), 422, "invalid-request"
    )


def test_rescheduling_moves_the_place_and_keeps_the_authorization(pair: Pair) -> None:
    site_id, slots = booked_at_slots(pair)
    acme = vendor(site_id)
    appointment = ok(book(pair, slots[0]["id"], acme), 201)
    target = slots[3]["id"]
    held = ok(hold(pair, target, acme), 201)
    moved = pair.mso.post(
        f"/appointments/{appointment['id']}/reschedule",
        json={"slot_id": target, "hold_id": held["id"], "reason": "asked for Thursday"},
        headers={**acme, "If-Match": '"1"'},
    )
    body = ok(moved)
    assert body["slot_id"] == target
    assert body["start"] == slots[3]["start"]
    assert body["status"] == "booked"
    assert body["authorization_id"] == appointment["authorization_id"]
    assert moved.headers["ETag"] == '"2"'
    assert slot(pair, slots[0]["id"])["booked"] == 0
    assert (slot(pair, target)["booked"], slot(pair, target)["held"]) == (1, 0)
    pair.sync()
    [row] = ok(pair.mso.get("/appointments", headers=ADMIN))["items"]
    assert row["start"] == slots[3]["start"]

    ok(book(pair, slots[1]["id"]), 201)  # Tuesday slots take one booking
    before = pair.mso_runtime.application.head_position()
    full = pair.mso.post(
        f"/appointments/{appointment['id']}/reschedule",
        json={"slot_id": slots[1]["id"], "reason": "earlier"},
        headers=ADMIN,
    )
    problem(full, 409, "slot-full")
    problem(
        pair.mso.post(
            f"/appointments/{appointment['id']}/reschedule",
            json={"slot_id": target, "reason": "same"},
            headers=ADMIN,
        ),
        409,
        "invalid-appointment-transition",
    )
    assert pair.mso_runtime.application.head_position() == before
    assert slot(pair, target)["booked"] == 1


def test_rescheduling_stays_within_the_line_and_the_vendors_sites(pair: Pair) -> None:
    site_id, slots = booked_at_slots(pair)
    other_site = authorized_site(pair, name="Westside HS")
    publish(pair, create_schedule(pair, other_site)["id"])
    elsewhere = find(pair, site=other_site)[0]["id"]
    appointment = ok(book(pair, slots[0]["id"]), 201)
    problem(
        pair.mso.post(
            f"/appointments/{appointment['id']}/reschedule",
            json={"slot_id": elsewhere, "reason": "closer"},
            headers=ADMIN,
        ),
        422,
        "invalid-reschedule",
    )
    outsider = vendor(other_site)
    problem(
        pair.mso.post(
            f"/appointments/{appointment['id']}/reschedule",
            json={"slot_id": slots[1]["id"], "reason": "x"},
            headers=outsider,
        ),
        403,
        "site-not-in-scope",
    )
    problem(step(pair, appointment["id"], "check-in", headers=vendor(site_id)), 403, "forbidden")


def test_closures_and_extra_sessions_change_published_slots(pair: Pair, clock: Clock) -> None:
    site_id, slots = booked_at_slots(pair)
    schedule_id = slots[0]["schedule_id"]
    url = f"/schedules/{schedule_id}"
    appointment = ok(book(pair, slots[0]["id"]), 201)
    tuesday = {
        "starts_at": "2027-01-05T00:00:00-08:00",
        "ends_at": "2027-01-06T00:00:00-08:00",
        "reason": "campus closed: heat advisory",
    }
    before = pair.mso_runtime.application.head_position()
    refused = problem(
        pair.mso.post(f"{url}/closures", json=tuesday, headers=ADMIN), 409, "slots-have-bookings"
    )
    assert refused["slot_id"] == slots[0]["id"]
    assert pair.mso_runtime.application.head_position() == before

    ok(
        pair.mso.post(
            f"/appointments/{appointment['id']}/cancel", json={"reason": "heat"}, headers=ADMIN
        )
    )
    closed = ok(pair.mso.post(f"{url}/closures", json=tuesday, headers=ADMIN), 201)
    assert closed["slots_closed"] == 3
    assert [c["reason"] for c in closed["closures"]] == ["campus closed: heat advisory"]
    pair.sync()
    assert [s["status"] for s in find(pair, site=site_id)][:3] == ["closed"] * 3
    problem(hold(pair, slots[1]["id"]), 409, "slot-closed")
    problem(book(pair, slots[1]["id"]), 409, "slot-closed")

    saturday = {
        "day": "2027-01-09",
        "start": "08:00",
        "end": "09:00",
        "capacity": 4,  # the template allows 4 per 20-minute slot (12 an hour, one clinician)
        "reason": "event",
    }
    extra = ok(pair.mso.post(f"{url}/extra-sessions", json=saturday, headers=SCHEDULER), 201)
    assert extra["slots_opened"] == 3
    pair.sync()
    event_day = find(pair, site=site_id, start="2027-01-09T00:00:00Z", end="2027-01-10T00:00:00Z")
    assert [(s["start"], s["capacity"]) for s in event_day] == [
        ("2027-01-09T16:00:00Z", 4),
        ("2027-01-09T16:20:00Z", 4),
        ("2027-01-09T16:40:00Z", 4),
    ]
    overlap = {**saturday, "start": "08:30", "end": "09:30"}
    problem(
        pair.mso.post(f"{url}/extra-sessions", json=overlap, headers=SCHEDULER),
        409,
        "session-overlaps",
    )
    past = {**saturday, "day": "2027-01-03"}
    problem(
        pair.mso.post(f"{url}/extra-sessions", json=past, headers=SCHEDULER),
        422,
        "invalid-schedule",
    )

    rules = {"weekly": [{"weekday": "wed", "start": "10:00", "end": "11:00"}]}
    replaced = pair.mso.put(f"{url}/weekly-rules", json=rules, headers={**ADMIN, "If-Match": '"1"'})
    problem(replaced, 412, "stale-version")
    current = pair.mso.get(url, headers=ADMIN)
    replaced = pair.mso.put(
        f"{url}/weekly-rules", json=rules, headers={**ADMIN, "If-Match": current.headers["ETag"]}
    )
    assert ok(replaced)["weekly"] == [
        {"weekday": "wed", "start": "10:00", "end": "11:00", "capacity": None}
    ]
    next_week = publish(pair, schedule_id, "2027-01-17")
    assert next_week["slots_opened"] == 3
    assert {s["start"][:10] for s in find(pair, site=site_id, start="2027-01-11T00:00:00Z")} == {
        "2027-01-13"
    }


def test_a_booking_made_without_a_slot_can_move_into_one(pair: Pair) -> None:
    site_id, slots = booked_at_slots(pair)
    body = {
        "site_id": site_id,
        "service_line": "sports_clearance",
        "start": "2027-01-05T18:30:00Z",
        "patient": {"name": "Lee Poe", "date_of_birth": "2009-09-09", "contact": "555-0111"},
    }
    unslotted = ok(pair.mso.post("/appointments", json=body, headers=ADMIN), 201)
    assert unslotted["slot_id"] is None
    moved = pair.mso.post(
        f"/appointments/{unslotted['id']}/reschedule",
        json={"slot_id": slots[2]["id"], "reason": "into the clinic's schedule"},
        headers=ADMIN,
    )
    assert ok(moved)["slot_id"] == slots[2]["id"]
    assert slot(pair, slots[2]["id"])["booked"] == 1
