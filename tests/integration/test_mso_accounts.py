"""Accounts over HTTP, on each backend: opened, revised, listed; the bookings, event days,
forms and claims that name one; and its volume and revenue month by month."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.conftest import auth
from tests.integration.conftest import ADMIN, AUDITOR, SCHEDULER
from tests.integration.policy_feed import deliver_coding_rules
from tests.integration.scheduling_helpers import (
    PATIENT,
    Clock,
    authorized_site,
    clock,
    create_schedule,
    find,
    ok,
    pair,
    problem,
    publish,
    slot,
)
from tests.integration.services import Pair

__all__ = ["clock", "pair"]  # fixtures
# JSON columns and a read across the appointments', forms' and claims' rows: both backends
pytestmark = pytest.mark.storage

BILLING = auth("mso_billing", "bo")
EASTSIDE = {
    "name": "Eastside Unified School District",
    "kind": "school_district",
    "contacts": [
        {"name": "Dana Reyes", "role": "Athletic director", "email": "dreyes@eastside.example"}
    ],
    "service_lines": ["sports_clearance", "school_physical"],
}


def open_account(pair: Pair, **changes: Any) -> dict[str, Any]:
    return ok(pair.mso.post("/accounts", json={**EASTSIDE, **changes}, headers=ADMIN), 201)


def accounts(pair: Pair, **params: Any) -> list[str]:
    pair.mso_runtime.projections.catch_up()
    page = ok(pair.mso.get("/accounts", params=params, headers=AUDITOR))
    return [row["name"] for row in page["items"]]


def test_an_account_is_opened_once_per_key_revised_at_its_version_and_listed(pair: Pair) -> None:
    invalid = [
        ({"kind": "hospital"}, "kind"),
        ({"service_lines": ["cardiology"]}, "service_lines"),
        ({"name": "  "}, "name"),
        ({"contacts": [{"name": "Dana", "email": "not-an-email"}]}, "email"),
        ({"contacts": [{"name": "Dana", "ssn": "123"}]}, "ssn"),
        ({"contacts": [{"name": f"C{n}"} for n in range(21)]}, "contacts"),
    ]
    for change, field in invalid:
        response = pair.mso.post("/accounts", json={**EASTSIDE, **change}, headers=ADMIN)
        assert response.status_code == 422, (change, response.text)
        assert field in response.text, (field, response.text)
    problem(pair.mso.post("/accounts", json=EASTSIDE, headers=SCHEDULER), 403, "forbidden")
    assert accounts(pair) == []  # nothing written

    keyed = {**ADMIN, "Idempotency-Key": "open-eastside"}
    first = pair.mso.post("/accounts", json=EASTSIDE, headers=keyed)
    again = pair.mso.post("/accounts", json=EASTSIDE, headers=keyed)
    assert (first.status_code, again.status_code) == (201, 201), again.text
    assert first.json() == again.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    account = first.json()
    assert account["status"] == "active"
    assert account["version"] == 1
    assert account["contacts"] == [
        {
            "name": "Dana Reyes",
            "role": "Athletic director",
            "email": "dreyes@eastside.example",
            "phone": None,
        }
    ]
    url = f"/accounts/{account['id']}"
    read = pair.mso.get(url, headers=AUDITOR)
    assert read.headers["ETag"] == '"1"'
    assert read.json() == account
    problem(pair.mso.get(f"/accounts/{uuid.uuid4()}", headers=AUDITOR), 404, "account-not-found")
    open_account(pair, name="Westside Wolves", kind="team", service_lines=["sports_clearance"])
    open_account(pair, name="Acme Logistics", kind="employer", service_lines=[])

    revision = {**EASTSIDE, "service_lines": ["school_physical"], "status": "inactive"}
    stale = pair.mso.put(url, json=revision, headers={**ADMIN, "If-Match": '"7"'})
    problem(stale, 412, "stale-version")
    problem(
        pair.mso.put(url, json={**revision, "status": "closed"}, headers=ADMIN),
        422,
        "invalid-request",
    )
    revised = ok(pair.mso.put(url, json=revision, headers={**ADMIN, "If-Match": '"1"'}))
    assert (revised["status"], revised["service_lines"], revised["version"]) == (
        "inactive",
        ["school_physical"],
        2,
    )

    every = ["Eastside Unified School District", "Westside Wolves", "Acme Logistics"]
    assert accounts(pair) == every
    assert accounts(pair, kind="team") == ["Westside Wolves"]
    assert accounts(pair, status="inactive") == ["Eastside Unified School District"]
    # the revision dropped Eastside's sports clearances
    assert accounts(pair, service_line="sports_clearance") == ["Westside Wolves"]
    assert accounts(pair, service_line="school_physical") == ["Eastside Unified School District"]


def _book(pair: Pair, slot_id: str, **body: Any) -> Any:
    booking = {"patient": PATIENT, "requested_by": "Eastside HS athletics", **body}
    return pair.mso.post(f"/slots/{slot_id}/$book", json=booking, headers=ADMIN)


def _form(site_id: str, **changes: Any) -> dict[str, Any]:
    return {
        "site_id": site_id,
        "service_line": "sports_clearance",
        "kind": "sports_clearance",
        "requested_by": {"kind": "school", "name": "Eastside High athletics"},
        "patient": PATIENT,
        "due_on": "2027-01-20",
        **changes,
    }


def _claim(site_id: str, number: str, **changes: Any) -> dict[str, Any]:
    return {
        "site_id": site_id,
        "service_line": "sports_clearance",
        "payer": "Eastside Unified",
        "claim_number": number,
        "billed_amount": "85.00",
        "service_date": "2027-01-05",
        "submitted_on": "2027-01-05",
        **changes,
    }


def volume(pair: Pair, account_id: str, **params: str) -> Any:
    pair.mso_runtime.projections.catch_up()
    return pair.mso.get(f"/accounts/{account_id}/volume", params=params, headers=AUDITOR)


def test_demand_names_its_account_and_the_volume_counts_it(pair: Pair, clock: Clock) -> None:
    account = open_account(pair)["id"]
    other = open_account(pair, name="Westside Wolves", kind="team")["id"]
    unknown = str(uuid.uuid4())
    site_id = authorized_site(pair)
    deliver_coding_rules(pair, "sports_clearance")  # what its claims are coded under
    schedule = create_schedule(pair, site_id)
    publish(pair, schedule["id"])
    slots = find(pair, site=site_id)

    # a booking naming no account on record is refused, and nothing is written
    problem(_book(pair, slots[0]["id"], account_id=unknown), 422, "unknown-account")
    assert slot(pair, slots[0]["id"])["booked"] == 0
    first = ok(_book(pair, slots[0]["id"], account_id=account), 201)
    ok(_book(pair, slots[1]["id"], account_id=account), 201)
    ok(_book(pair, slots[2]["id"], account_id=other), 201)
    ok(_book(pair, slots[3]["id"]), 201)  # no account: counted for none
    cancelled = ok(_book(pair, slots[4]["id"], account_id=account), 201)
    ok(
        pair.mso.post(
            f"/appointments/{cancelled['id']}/cancel", json={"reason": "ill"}, headers=ADMIN
        )
    )

    saturday = {"day": "2027-01-09", "start": "08:00", "end": "09:00", "reason": "event day"}
    sessions = f"/schedules/{schedule['id']}/extra-sessions"
    problem(
        pair.mso.post(sessions, json={**saturday, "account_id": unknown}, headers=SCHEDULER),
        422,
        "unknown-account",
    )
    ok(pair.mso.post(sessions, json={**saturday, "account_id": account}, headers=SCHEDULER), 201)

    problem(
        pair.mso.post("/forms", json=_form(site_id, account_id=unknown), headers=SCHEDULER),
        422,
        "unknown-account",
    )
    ok(pair.mso.post("/forms", json=_form(site_id, account_id=account), headers=SCHEDULER), 201)

    clock.advance(days=2)  # 6 January: the first visit has come due
    claims = "/billing/claims"
    problem(
        pair.mso.post(claims, json=_claim(site_id, "E-0", account_id=unknown), headers=BILLING),
        422,
        "unknown-account",
    )
    claim = ok(
        pair.mso.post(claims, json=_claim(site_id, "E-1", account_id=account), headers=BILLING),
        201,
    )
    ok(pair.mso.post(claims, json=_claim(site_id, "E-0"), headers=BILLING), 201)  # E-0 was not kept
    ok(
        pair.mso.post(
            f"{claims}/{claim['id']}/payment",
            json={"on": "2027-01-05", "amount": "80.00"},
            headers=BILLING,
        )
    )
    outcome = {"outcome": "fulfilled"}
    ok(pair.mso.post(f"/appointments/{first['id']}/outcome", json=outcome, headers=SCHEDULER))

    # an inactive account takes no new demand
    revision = {**EASTSIDE, "name": "Westside Wolves", "kind": "team", "status": "inactive"}
    ok(pair.mso.put(f"/accounts/{other}", json=revision, headers=ADMIN))
    problem(_book(pair, slots[5]["id"], account_id=other), 409, "account-inactive")

    answer = ok(volume(pair, account, from_month="2026-12", to_month="2027-02"))
    assert [m["month"] for m in answer["months"]] == ["2026-12", "2027-01", "2027-02"]
    december, january, february = answer["months"]
    figures = {k: v for k, v in january.items() if k != "month"}
    assert figures == {
        "visits_booked": 3,
        "visits_completed": 1,
        "visits_cancelled": 1,
        "visits_no_show": 0,
        "events": 1,
        "forms_requested": 1,
        "forms_delivered": 0,
        "claims": 1,
        "billed_amount": "85.00",
        "collected_amount": "80.00",
    }
    assert december["visits_booked"] == february["visits_booked"] == 0
    assert answer["totals"] == figures
    assert "account_id" in answer["revenue_basis"]
    named = ok(pair.mso.get(f"/accounts/{account}/demand", headers=AUDITOR))["items"]
    assert [row["demand"] for row in named] == [
        "appointment",
        "appointment",
        "appointment",
        "event",
        "form",
        "claim",
    ]
    assert named[0]["demand_id"] == first["id"]
    assert PATIENT["name"] not in str(named)
    only = {"demand": "event", "on_from": "2027-01-09", "on_before": "2027-01-10"}
    events = ok(pair.mso.get(f"/accounts/{account}/demand", params=only, headers=AUDITOR))
    assert [row["on"] for row in events["items"]] == ["2027-01-09"]
    problem(
        pair.mso.get(f"/accounts/{uuid.uuid4()}/demand", headers=AUDITOR), 404, "account-not-found"
    )
    report = "/accounts/volume"
    january_only = {"from_month": "2027-01", "to_month": "2027-01"}
    rows = ok(pair.mso.get(report, params=january_only, headers=AUDITOR))["items"]
    assert [(r["name"], r["visits_booked"], r["claims"], r["collected_amount"]) for r in rows] == [
        ("Eastside Unified School District", 3, 1, "80.00"),
        ("Westside Wolves", 1, 0, "0.00"),
    ]
    teams = ok(pair.mso.get(report, params={**january_only, "kind": "team"}, headers=AUDITOR))
    assert [r["account_id"] for r in teams["items"]] == [other]
    later = {"from_month": "2027-02", "to_month": "2027-01"}
    problem(pair.mso.get(report, params=later, headers=AUDITOR), 422, "invalid-month-range")
    # the read model rebuilt from the log answers the same
    pair.mso_runtime.projections.rebuild()
    assert ok(volume(pair, account, from_month="2026-12", to_month="2027-02")) == answer
    assert ok(pair.mso.get(f"/accounts/{account}/demand", headers=AUDITOR))["items"] == named
    theirs = ok(volume(pair, other, from_month="2027-01", to_month="2027-01"))
    assert theirs["totals"]["visits_booked"] == 1
    assert theirs["totals"]["claims"] == 0


def test_the_volume_is_asked_for_a_range_of_months(pair: Pair) -> None:
    account = open_account(pair)["id"]
    problem(
        volume(pair, account, from_month="2027-03", to_month="2027-01"), 422, "invalid-month-range"
    )
    problem(
        volume(pair, account, from_month="2024-01", to_month="2027-01"), 422, "invalid-month-range"
    )
    problem(volume(pair, account, from_month="2027-13", to_month="2027-01"), 422, "invalid-request")
    problem(volume(pair, account, from_month="2027-01"), 422, "invalid-request")
    problem(
        volume(pair, str(uuid.uuid4()), from_month="2027-01", to_month="2027-01"),
        404,
        "account-not-found",
    )
    problem(
        pair.mso.get(f"/accounts/{account}/volume", headers=auth("vendor", "acme")),
        403,
        "forbidden",
    )
    empty = ok(volume(pair, account, from_month="2027-01", to_month="2027-12"))
    assert len(empty["months"]) == 12
    assert empty["totals"]["visits_booked"] == 0
