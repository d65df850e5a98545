"""Scheduling and the vendor booking API over HTTP, on each backend: find, hold, book."""

from __future__ import annotations

from tests.integration.conftest import ADMIN, AUDITOR, SCHEDULER
from tests.integration.scheduling_helpers import (
    NOW,
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
    read_models,
    schedule_body,
    site_with_line,
    slot,
    vendor,
)
from tests.integration.services import Pair

__all__ = ["clock", "pair"]  # fixtures


def heads(pair: Pair) -> int:
    return pair.mso_runtime.application.head_position()


def test_publishing_makes_the_weekly_slots_in_local_time(pair: Pair) -> None:
    site_id = authorized_site(pair)
    schedule = create_schedule(pair, site_id)
    assert schedule["published_through"] is None
    assert find(pair) == [], "no slot exists before a publication"

    published = publish(pair, schedule["id"])
    assert published["slots_opened"] == 6
    assert published["published_through"] == "2027-01-10"
    slots = find(pair, site=site_id)
    # Tuesday 09:00-10:00 and Thursday 14:00-15:00 in Los Angeles (UTC-8 in January)
    assert [s["start"] for s in slots] == [
        "2027-01-05T17:00:00Z",
        "2027-01-05T17:20:00Z",
        "2027-01-05T17:40:00Z",
        "2027-01-07T22:00:00Z",
        "2027-01-07T22:20:00Z",
        "2027-01-07T22:40:00Z",
    ]
    assert [s["capacity"] for s in slots] == [2, 2, 2, 3, 3, 3]
    assert {s["status"] for s in slots} == {"free"}
    assert slots[0]["end"] == "2027-01-05T17:20:00Z"

    again = pair.mso.post(
        f"/schedules/{schedule['id']}/publications", json={"through": "2027-01-10"}, headers=ADMIN
    )
    problem(again, 409, "nothing-to-publish")
    more = publish(pair, schedule["id"], "2027-01-17")
    assert more["slots_opened"] == 6, "only the days not yet published"
    assert len(find(pair, site=site_id)) == 12


def test_find_hold_and_book_with_the_hold(pair: Pair, clock: Clock) -> None:
    site_id = authorized_site(pair)
    schedule = create_schedule(pair, site_id, capacity=1)
    publish(pair, schedule["id"])
    acme = vendor(site_id)
    free = find(
        pair,
        acme,
        site=site_id,
        service_line="sports_clearance",
        start="2027-01-05T00:00:00Z",
        end="2027-01-06T00:00:00Z",
        status="free",
    )
    assert len(free) == 3
    first = free[0]["id"]

    held = ok(hold(pair, first, acme, seconds=120), 201)
    assert held["status"] == "active"
    assert held["expires_at"] == "2027-01-04T16:02:00Z"
    pair.sync()
    assert slot(pair, first, acme)["status"] == "busy"
    assert [s["id"] for s in find(pair, acme, site=site_id, status="busy")] == [first]
    problem(book(pair, first, ADMIN), 409, "slot-full")  # the held place is not free

    booked = ok(book(pair, first, acme, hold_id=held["id"]), 201)
    assert booked["slot_id"] == first
    assert booked["start"] == "2027-01-05T17:00:00Z"
    assert booked["minutes"] == 20
    assert booked["status"] == "booked"
    assert booked["patient"] == {
        "name": "Pat Doe",
        "date_of_birth": "2010-04-01",
        "contact": "555-0100",
    }
    assert booked["requested_by"] == "Eastside HS athletics"
    line = ok(pair.mso.get(f"/sites/{site_id}/service-lines/sports_clearance", headers=ADMIN))
    assert booked["authorization_id"] == line["authorization_id"]
    assert booked["decision_id"] == line["decision_id"]

    after = slot(pair, first, acme)
    assert (after["booked"], after["held"], after["available"]) == (1, 0, 0)
    used = ok(pair.mso.get(f"/slots/{first}/holds/{held['id']}", headers=acme))
    assert used["status"] == "used"
    problem(book(pair, first, acme, hold_id=held["id"]), 409, "hold-not-active")
    other = vendor(site_id, sub="other-vendor")
    problem(
        pair.mso.get(f"/slots/{first}/holds/{held['id']}", headers=other), 404, "hold-not-found"
    )


def test_an_expired_hold_frees_its_place(pair: Pair, clock: Clock) -> None:
    site_id = authorized_site(pair)
    schedule = create_schedule(pair, site_id, capacity=1)
    publish(pair, schedule["id"])
    slot_id = find(pair, site=site_id)[0]["id"]
    acme = vendor(site_id)
    held = ok(hold(pair, slot_id, acme, seconds=60), 201)
    pair.sync()
    assert slot_id not in [s["id"] for s in find(pair, site=site_id, status="free")]
    problem(hold(pair, slot_id, ADMIN), 409, "slot-full")

    clock.advance(seconds=60)
    assert slot_id in [s["id"] for s in find(pair, site=site_id, status="free")]
    assert slot(pair, slot_id)["held"] == 0
    expired = ok(pair.mso.get(f"/slots/{slot_id}/holds/{held['id']}", headers=acme))
    assert expired["status"] == "expired"
    ok(book(pair, slot_id, SCHEDULER), 201)
    problem(book(pair, slot_id, acme, hold_id=held["id"]), 409, "hold-expired")


def test_a_released_hold_frees_its_place_at_once(pair: Pair) -> None:
    site_id = authorized_site(pair)
    schedule = create_schedule(pair, site_id, capacity=1)
    publish(pair, schedule["id"])
    slot_id = find(pair, site=site_id)[0]["id"]
    held = ok(hold(pair, slot_id), 201)
    released = ok(pair.mso.delete(f"/slots/{slot_id}/holds/{held['id']}", headers=ADMIN))
    assert released["status"] == "released"
    problem(
        pair.mso.delete(f"/slots/{slot_id}/holds/{held['id']}", headers=ADMIN),
        409,
        "hold-not-active",
    )
    assert slot(pair, slot_id)["available"] == 1
    ok(book(pair, slot_id), 201)


def test_holding_and_booking_need_the_pc_authorization(pair: Pair) -> None:
    site_id = site_with_line(pair)  # proposed, never authorized by the PC
    schedule = create_schedule(pair, site_id)
    publish(pair, schedule["id"])
    slot_id = find(pair, site=site_id)[0]["id"]
    before = heads(pair)
    problem(hold(pair, slot_id), 409, "service-line-not-authorized")
    refused = problem(book(pair, slot_id), 409, "service-line-not-authorized")
    assert refused["service_line_status"] == "proposed"
    assert heads(pair) == before


def test_a_vendor_finds_holds_books_and_reads_only_at_its_sites(pair: Pair) -> None:
    ours = authorized_site(pair, name="Eastside HS")
    theirs = authorized_site(pair, name="Westside HS")
    for site_id in (ours, theirs):
        publish(pair, create_schedule(pair, site_id)["id"])
    acme = vendor(ours)
    foreign = find(pair, site=theirs)[0]["id"]
    foreign_booking = ok(book(pair, foreign, SCHEDULER), 201)
    pair.sync()
    before = heads(pair)

    problem(pair.mso.get("/slots", params={"site": theirs}, headers=acme), 403, "site-not-in-scope")
    assert {s["site_id"] for s in find(pair, acme)} == {ours}
    problem(pair.mso.get(f"/slots/{foreign}", headers=acme), 403, "site-not-in-scope")
    problem(hold(pair, foreign, acme), 403, "site-not-in-scope")
    problem(book(pair, foreign, acme), 403, "site-not-in-scope")
    problem(
        pair.mso.get(f"/appointments/{foreign_booking['id']}", headers=acme),
        403,
        "site-not-in-scope",
    )
    assert heads(pair) == before, "nothing was written for a refused vendor"

    mine = ok(book(pair, find(pair, acme)[0]["id"], acme), 201)
    pair.sync()
    listed = ok(pair.mso.get("/appointments", headers=acme))["items"]
    assert [a["id"] for a in listed] == [mine["id"]]
    unscoped = vendor()  # a vendor token with no site
    assert find(pair, unscoped) == []
    problem(book(pair, find(pair, acme)[1]["id"], unscoped), 403, "site-not-in-scope")


def test_roles_decide_who_schedules_and_who_books(pair: Pair) -> None:
    site_id = authorized_site(pair)
    schedule = create_schedule(pair, site_id)
    publish(pair, schedule["id"])
    slot_id = find(pair)[0]["id"]
    acme = vendor(site_id)
    for headers in (acme, AUDITOR):
        body = {"through": "2027-02-01"}
        refused = pair.mso.post(
            f"/schedules/{schedule['id']}/publications", json=body, headers=headers
        )
        problem(refused, 403, "forbidden")
    problem(book(pair, slot_id, AUDITOR), 403, "forbidden")
    assert find(pair, AUDITOR), "an auditor reads slots"
    problem(pair.mso.get("/slots"), 401, "unauthorized")


def test_booking_and_holding_are_idempotent_per_key(pair: Pair) -> None:
    site_id = authorized_site(pair)
    publish(pair, create_schedule(pair, site_id, capacity=3)["id"])
    slot_id = find(pair)[0]["id"]
    keyed = {**ADMIN, "Idempotency-Key": "hold-1"}
    first_hold = ok(pair.mso.post(f"/slots/{slot_id}/holds", json={}, headers=keyed), 201)
    again = pair.mso.post(f"/slots/{slot_id}/holds", json={}, headers=keyed)
    assert again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first_hold

    keyed = {**ADMIN, "Idempotency-Key": "book-1"}
    body = {"patient": {"name": "Jo Roe", "date_of_birth": "2011-02-02", "contact": "jo@x.org"}}
    first = pair.mso.post(f"/slots/{slot_id}/$book", json=body, headers=keyed)
    assert first.status_code == 201, first.text
    assert first.headers["Location"] == f"/appointments/{first.json()['id']}"
    replay = pair.mso.post(f"/slots/{slot_id}/$book", json=body, headers=keyed)
    assert replay.json() == first.json()
    other = {"patient": {**body["patient"], "name": "Someone Else"}}
    problem(
        pair.mso.post(f"/slots/{slot_id}/$book", json=other, headers=keyed),
        422,
        "idempotency-key-reused",
    )
    assert (slot(pair, slot_id)["booked"], slot(pair, slot_id)["held"]) == (1, 1)


def test_bad_input_is_refused_with_nothing_written(pair: Pair) -> None:
    site_id = authorized_site(pair)
    schedule = create_schedule(pair, site_id)
    before = heads(pair)
    bad_schedules = [
        ({"timezone": "Mars/Olympus"}, 422, "invalid-schedule"),
        (
            {"weekly": [{"weekday": "tue", "start": "10:00", "end": "09:00"}]},
            422,
            "invalid-schedule",
        ),
        (
            {
                "weekly": [
                    {"weekday": "tue", "start": "09:00", "end": "11:00"},
                    {"weekday": "tue", "start": "10:00", "end": "12:00"},
                ]
            },
            422,
            "invalid-schedule",
        ),
        ({"weekly": [{"weekday": "tue", "start": "9am", "end": "10:00"}]}, 422, "invalid-request"),
        ({"capacity": 0}, 422, "invalid-request"),
        ({"ends_on": "2027-01-01"}, 422, "invalid-schedule"),
        ({"service_line": "school_physical"}, 404, "service-line-not-found"),
    ]
    for changes, status, code in bad_schedules:
        body = {**schedule_body(site_id, schedule["template_id"]), **changes}
        problem(pair.mso.post("/schedules", json=body, headers=ADMIN), status, code)
    url = f"/schedules/{schedule['id']}"
    problem(
        pair.mso.post(f"{url}/publications", json={"through": "2027-06-30"}, headers=ADMIN),
        422,
        "invalid-publication",
    )
    problem(
        pair.mso.post(
            f"{url}/publications",
            json={"through": "2027-01-10"},
            headers={**ADMIN, "If-Match": '"7"'},
        ),
        412,
        "stale-version",
    )
    problem(pair.mso.get(f"/slots/{schedule['id']}", headers=ADMIN), 404, "slot-not-found")
    problem(pair.mso.get(f"/schedules/{site_id}", headers=ADMIN), 404, "schedule-not-found")
    problem(
        pair.mso.get("/slots", params={"start": "2027-01-05T00:00:00"}, headers=ADMIN),
        422,
        "invalid-request",
    )
    assert heads(pair) == before
    assert NOW.isoformat() == "2027-01-04T16:00:00+00:00"


def test_lists_filter_page_and_rebuild_to_the_live_rows(pair: Pair, clock: Clock) -> None:
    east = authorized_site(pair, name="Eastside HS")
    west = authorized_site(pair, "school_physical", name="Westside MS")
    east_schedule = create_schedule(pair, east)
    west_schedule = create_schedule(pair, west, service_line="school_physical", capacity=1)
    publish(pair, east_schedule["id"])
    publish(pair, west_schedule["id"])
    west_slots = find(pair, site=west)
    ok(book(pair, west_slots[0]["id"]), 201)
    ok(hold(pair, west_slots[1]["id"]), 201)
    cancelled = ok(book(pair, find(pair, site=east)[0]["id"]), 201)
    ok(
        pair.mso.post(
            f"/appointments/{cancelled['id']}/cancel", json={"reason": "asked"}, headers=ADMIN
        )
    )
    pair.sync()

    schedules = ok(pair.mso.get("/schedules", params={"site": west}, headers=AUDITOR))["items"]
    assert [s["id"] for s in schedules] == [west_schedule["id"]]
    lines = ok(
        pair.mso.get("/schedules", params={"service_line": "sports_clearance"}, headers=ADMIN)
    )
    assert [s["id"] for s in lines["items"]] == [east_schedule["id"]]
    assert [s["id"] for s in find(pair, service_line="school_physical", status="busy")] == [
        s["id"] for s in west_slots[:2]
    ]
    thursday = find(pair, start="2027-01-07T00:00:00Z", end="2027-01-08T00:00:00Z")
    assert len(thursday) == 6
    assert {s["start"][:10] for s in thursday} == {"2027-01-07"}

    first = ok(pair.mso.get("/slots", params={"limit": 5}, headers=ADMIN))
    second = ok(
        pair.mso.get("/slots", params={"limit": 5, "cursor": first["next_cursor"]}, headers=ADMIN)
    )
    ids = [s["id"] for s in first["items"] + second["items"]]
    assert len(ids) == len(set(ids)) == 10
    statuses = ok(pair.mso.get("/appointments", params={"status": "cancelled"}, headers=ADMIN))
    assert [a["id"] for a in statuses["items"]] == [cancelled["id"]]

    live = read_models(pair)
    assert len(live["mso_slots"]) == 12
    assert len(live["mso_slot_holds"]) == 1
    pair.mso_runtime.projections.rebuild()
    assert read_models(pair) == live
