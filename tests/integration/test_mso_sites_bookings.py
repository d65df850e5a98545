"""A site books only while live; a whole-site stop lists the bookings it leaves to move.

Schedules and slots may be prepared at a site before it goes live; every way of taking a
place (a booking, a hold, a vendor's `$book`, a move into a slot) waits for the site.
"""

from __future__ import annotations

from typing import Any

from tests.conftest import auth
from tests.integration.conftest import ADMIN, AUDITOR, SCHEDULER
from tests.integration.scheduling_helpers import (
    PATIENT,
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
)
from tests.integration.services import Pair
from tests.integration.site_helpers import (
    PRO_FORMA,
    decide,
    make_ready,
    propose_site,
    request_go_live,
    site,
)
from tests.integration.test_mso_sites_lifecycle import read_models

__all__ = ["clock", "pair"]  # fixtures


def booking(site_id: str, start: str, code: str = "sports_clearance") -> dict[str, Any]:
    return {"site_id": site_id, "service_line": code, "start": start, "patient": PATIENT}


def refused_everywhere(pair: Pair, site_id: str, slot_id: str, code: str) -> None:
    """A direct booking, a hold and a `$book` at the site are all refused with `code`."""
    status = site(pair.mso, site_id)["status"]
    direct = pair.mso.post(
        "/appointments", json=booking(site_id, "2027-01-12T17:00:00Z"), headers=ADMIN
    )
    assert problem(direct, 409, code)["site_status"] == status
    assert problem(hold(pair, slot_id), 409, code)["site_status"] == status
    assert problem(book(pair, slot_id), 409, code)["site_status"] == status


def test_a_site_takes_bookings_only_once_live(pair: Pair) -> None:
    mso = pair.mso
    site_id = str(propose_site(mso, pro_forma=PRO_FORMA)["id"])
    ok(
        mso.post(
            f"/sites/{site_id}/service-lines", json={"code": "sports_clearance"}, headers=ADMIN
        ),
        201,
    )
    authorize(pair, site_id)  # the line is authorized; the site is not approved yet
    publish(pair, create_schedule(pair, site_id)["id"])  # the MSO prepares before go-live
    slot_id = find(pair, site=site_id)[0]["id"]

    refused_everywhere(pair, site_id, slot_id, "site-not-live")  # proposed
    make_ready(mso, site_id)
    refused_everywhere(pair, site_id, slot_id, "site-not-live")  # readying
    go_live_id = request_go_live(pair, site_id)
    refused_everywhere(pair, site_id, slot_id, "site-not-live")  # submitted
    decide(pair, go_live_id, "approve")
    pair.sync()
    assert site(mso, site_id)["status"] == "approved"
    refused_everywhere(pair, site_id, slot_id, "site-not-live")

    ok(mso.post(f"/sites/{site_id}/go-live", headers=ADMIN))
    held = ok(hold(pair, slot_id), 201)
    in_slot = ok(book(pair, slot_id, hold_id=held["id"]), 201)
    direct = ok(
        mso.post("/appointments", json=booking(site_id, "2027-01-12T17:00:00Z"), headers=ADMIN),
        201,
    )
    assert direct["status"] == "booked"

    ok(mso.post(f"/sites/{site_id}/suspend", json={"reason": "flood"}, headers=ADMIN))
    other_slot = find(pair, site=site_id)[1]["id"]
    refused_everywhere(pair, site_id, other_slot, "site-not-operating")
    moved = mso.post(
        f"/appointments/{in_slot['id']}/reschedule",
        json={"slot_id": other_slot, "reason": "asked for Thursday"},
        headers=SCHEDULER,
    )
    assert problem(moved, 409, "site-not-operating")["site_status"] == "suspended"

    ok(mso.post(f"/sites/{site_id}/close", json={"reason": "lease ended"}, headers=ADMIN))
    refused_everywhere(pair, site_id, other_slot, "site-closed")


def test_a_non_site_id_is_no_site(pair: Pair) -> None:
    site_id = authorized_site(pair)
    appointment = ok(
        pair.mso.post(
            "/appointments", json=booking(site_id, "2027-01-12T17:00:00Z"), headers=ADMIN
        ),
        201,
    )
    for path in ("", "/affected-appointments", "/history"):
        missing = pair.mso.get(f"/sites/{appointment['id']}{path}", headers=ADMIN)
        problem(missing, 404, "site-not-found")
    suspend = pair.mso.post(
        f"/sites/{appointment['id']}/suspend", json={"reason": "r"}, headers=ADMIN
    )
    problem(suspend, 404, "site-not-found")
    not_a_site = booking(appointment["id"], "2027-01-12T18:00:00Z")
    problem(pair.mso.post("/appointments", json=not_a_site, headers=ADMIN), 404, "site-not-found")


# the first is past (after the lines' effective date, before the stop)
STARTS = ("2026-12-02T17:00:00Z", "2027-01-10T18:00:00Z", "2027-01-11T18:00:00Z")


def test_a_site_wide_stop_lists_the_bookings_it_leaves(pair: Pair) -> None:
    mso = pair.mso
    site_id = authorized_site(pair)
    ok(
        mso.post(
            f"/sites/{site_id}/service-lines", json={"code": "school_physical"}, headers=ADMIN
        ),
        201,
    )
    authorize(pair, site_id, "school_physical")
    before, *future = [
        ok(mso.post("/appointments", json=booking(site_id, start), headers=ADMIN), 201)["id"]
        for start in STARTS
    ]
    physical = booking(site_id, "2027-02-01T17:00:00Z", "school_physical")
    future.append(ok(mso.post("/appointments", json=physical, headers=ADMIN), 201)["id"])
    cancelled = ok(
        mso.post("/appointments", json=booking(site_id, "2027-01-20T18:00:00Z"), headers=ADMIN),
        201,
    )["id"]
    ok(mso.post(f"/appointments/{cancelled}/cancel", json={"reason": "ill"}, headers=ADMIN))
    url = f"/sites/{site_id}/affected-appointments"
    pair.sync()
    assert ok(mso.get(url, headers=SCHEDULER)) == {"items": [], "next_cursor": None}, "live"

    ok(mso.post(f"/sites/{site_id}/suspend", json={"reason": "flood"}, headers=ADMIN))
    pair.sync()
    affected = ok(mso.get(url, headers=SCHEDULER))["items"]
    assert [a["id"] for a in affected] == future, "not the past visit, not the cancelled one"
    assert [a["service_line"] for a in affected] == [
        "sports_clearance",
        "sports_clearance",
        "school_physical",
    ]
    assert "patient" not in affected[0]
    first = ok(mso.get(url, params={"limit": 2}, headers=AUDITOR))
    rest = ok(mso.get(url, params={"limit": 2, "cursor": first["next_cursor"]}, headers=AUDITOR))
    assert [a["id"] for a in first["items"] + rest["items"]] == future
    assert rest["next_cursor"] is None
    window = {"start_from": "2027-01-11T00:00:00Z", "start_before": "2027-02-01T00:00:00Z"}
    assert [a["id"] for a in ok(mso.get(url, params=window, headers=ADMIN))["items"]] == [future[1]]

    # the PC suspends the go-live too: the MSO lifting its own hold leaves the site stopped
    go_live_id = site(mso, site_id)["authorization_id"]
    decide(pair, go_live_id, "suspend")
    pair.sync()
    ok(mso.post(f"/sites/{site_id}/resume", json={"reason": "dry"}, headers=ADMIN))
    pair.sync()
    assert [a["id"] for a in ok(mso.get(url, headers=ADMIN))["items"]] == future
    decide(pair, go_live_id, "reinstate")
    pair.sync()
    assert ok(mso.get(url, headers=ADMIN))["items"] == [], "live again"

    ok(mso.post(f"/sites/{site_id}/close", json={"reason": "lease ended"}, headers=ADMIN))
    pair.sync()
    closed = ok(mso.get(url, headers=ADMIN))["items"]
    assert [a["id"] for a in closed] == future, "a closure leaves them all to move"
    assert before not in [a["id"] for a in closed]
    rows = read_models(pair)
    [row] = [r for r in rows["mso_sites"] if str(r["id"]) == site_id]
    assert row["stopped_at"] is not None
    pair.mso_runtime.projections.rebuild()
    assert read_models(pair) == rows, "the stop moment rebuilds from the log"
    assert ok(mso.get(url, headers=ADMIN))["items"] == closed

    for role in ("vendor", "mso_billing", "medical_director"):
        assert mso.get(url, headers=auth(role)).status_code == 403, role
    assert mso.get(url).status_code == 401
    problem(
        mso.get(url, params={"start_from": "2027-02-01"}, headers=ADMIN), 422, "invalid-request"
    )
    problem(mso.get(url, params={"cursor": "nope"}, headers=ADMIN), 422, "invalid-cursor")
