"""Vendors and contracts, facility incidents and site downtime over HTTP, on each backend."""

from __future__ import annotations

from typing import Any

from tests.conftest import auth
from tests.integration.conftest import ADMIN, AUDITOR, SCHEDULER
from tests.integration.facility_helpers import (
    contract_body,
    ids,
    read_models,
    sign,
    site,
    vendor,
)
from tests.integration.services import (
    Pair,
)


def test_contracts_are_listed_by_vendor_site_supply_and_renewal_window(pair: Pair) -> None:
    north, south = site(pair, "North"), site(pair, "South")
    cleaners, couriers = vendor(pair), vendor(pair, "Swift Couriers")
    cleaning = sign(pair, cleaners, site_ids=[north, south])
    courier = sign(pair, couriers, supplies="courier", renewal_date="2027-03-01", site_ids=[south])
    lease = sign(pair, cleaners, supplies="lease", term_end="2031-12-31", renewal_date="2031-06-30")
    assert (cleaning["pc_approvals"], cleaning["pc_approval_status"]) == ([], "not_required")
    pair.sync()

    assert ids(pair, "/vendor-contracts") == [cleaning["id"], courier["id"], lease["id"]]
    assert ids(pair, "/vendor-contracts", vendor_id=couriers) == [courier["id"]]
    assert ids(pair, "/vendor-contracts", site=north) == [cleaning["id"]]
    assert ids(pair, "/vendor-contracts", site=south) == [cleaning["id"], courier["id"]]
    assert ids(pair, "/vendor-contracts", supplies="lease") == [lease["id"]]
    assert ids(pair, "/vendor-contracts", pc_approval_status="not_in_force") == []
    assert len(ids(pair, "/vendor-contracts", pc_approval_status="not_required")) == 3
    renewing = {"renewing_within": 60, "as_of": "2027-01-15"}
    assert ids(pair, "/vendor-contracts", **renewing) == [courier["id"]]
    assert ids(pair, "/vendor-contracts", renewing_within=300, as_of="2027-01-15") == [
        cleaning["id"],
        courier["id"],
    ]
    assert ids(pair, "/vendor-contracts", renewing_within=10, as_of="2027-03-02") == []

    page = pair.mso.get("/vendor-contracts", params={"limit": 2}, headers=ADMIN).json()
    rest = pair.mso.get(
        "/vendor-contracts", params={"limit": 2, "cursor": page["next_cursor"]}, headers=ADMIN
    ).json()
    assert [r["id"] for r in page["items"] + rest["items"]] == ids(pair, "/vendor-contracts")
    assert rest["next_cursor"] is None
    assert ids(pair, "/vendors") == [cleaners, couriers]
    bad = pair.mso.get("/vendor-contracts", params={"renewing_within": -1}, headers=ADMIN)
    assert bad.status_code == 422

    # renewing moves the contract out of the window; terminating takes it off the list
    url = f"/vendor-contracts/{courier['id']}"
    stale = pair.mso.post(
        f"{url}/renewals",
        json={"term_end": "2028-12-31", "renewal_date": "2028-03-01"},
        headers={**ADMIN, "If-Match": '"7"'},
    )
    assert stale.status_code == 412
    renewed = pair.mso.post(
        f"{url}/renewals",
        json={"term_end": "2028-12-31", "renewal_date": "2028-03-01"},
        headers={**ADMIN, "If-Match": pair.mso.get(url, headers=ADMIN).headers["ETag"]},
    )
    assert renewed.status_code == 200, renewed.text
    assert renewed.headers["ETag"] == '"2"'
    ended = pair.mso.post(
        f"/vendor-contracts/{cleaning['id']}/terminate",
        json={"last_day": "2027-06-30", "reason": "moved to in-house cleaning"},
        headers=ADMIN,
    )
    assert ended.json()["status"] == "terminated"
    again = pair.mso.post(
        f"/vendor-contracts/{cleaning['id']}/renewals",
        json={"term_end": "2028-12-31", "renewal_date": "2028-10-01"},
        headers=ADMIN,
    )
    assert again.status_code == 409
    assert again.json()["type"] == "/problems/contract-terminated"
    pair.sync()
    assert ids(pair, "/vendor-contracts", **renewing) == []
    assert ids(pair, "/vendor-contracts", renewing_within=300, as_of="2027-01-15") == []
    assert ids(pair, "/vendor-contracts", status="terminated") == [cleaning["id"]]


def test_bad_contracts_are_refused_naming_what_is_wrong_and_write_nothing(pair: Pair) -> None:
    cleaners, a_site = vendor(pair), site(pair)
    head = pair.mso_runtime.application.head_position()
    for sites, field in (([], "site_ids"), ([a_site], "site_change_ids")):
        lab = pair.mso.post(
            "/vendor-contracts",
            json=contract_body(cleaners, supplies="reference_lab", site_ids=sites),
            headers=ADMIN,
        )
        assert lab.status_code == 422
        assert lab.json()["type"] == "/problems/clinical-supply-needs-pc-approval"
        assert lab.json()["field"] == field
    for overrides, field in (
        ({"term_end": "2026-12-31"}, "term_end"),
        ({"renewal_date": "2028-01-01"}, "renewal_date"),
    ):
        response = pair.mso.post(
            "/vendor-contracts", json=contract_body(cleaners, **overrides), headers=ADMIN
        )
        assert response.status_code == 422
        assert response.json()["type"] == "/problems/invalid-contract-term"
        assert response.json()["field"] == field
    unknown_fields: list[tuple[dict[str, Any], str]] = [
        ({"supplies": "gold"}, "supplies"),
        ({"value": 3}, "value"),
    ]
    for overrides, field in unknown_fields:
        response = pair.mso.post(
            "/vendor-contracts", json=contract_body(cleaners, **overrides), headers=ADMIN
        )
        assert response.status_code == 422
        assert field in response.text
    unknown = pair.mso.post("/vendor-contracts", json=contract_body(a_site), headers=ADMIN)
    assert unknown.status_code == 404
    assert unknown.json()["type"] == "/problems/vendor-not-found"
    nowhere = pair.mso.post(
        "/vendor-contracts",
        json=contract_body(cleaners, site_ids=[cleaners]),
        headers=ADMIN,
    )
    assert nowhere.status_code == 404
    assert nowhere.json()["type"] == "/problems/site-not-found"
    assert pair.mso_runtime.application.head_position() == head


def test_vendors_are_the_admins_and_creating_is_idempotent(pair: Pair) -> None:
    body = {"name": "Bay Janitorial", "contact": "ops@bay.example"}
    for role in ("mso_scheduler", "mso_billing", "auditor", "medical_director", "vendor"):
        assert pair.mso.post("/vendors", json=body, headers=auth(role)).status_code == 403
    assert pair.mso.post("/vendors", json=body).status_code == 401
    headers = {**ADMIN, "Idempotency-Key": "vendor-1"}
    first = pair.mso.post("/vendors", json=body, headers=headers)
    again = pair.mso.post("/vendors", json=body, headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert first.headers["Location"] == f"/vendors/{first.json()['id']}"
    other = pair.mso.post("/vendors", json={**body, "name": "Other"}, headers=headers)
    assert other.status_code == 422
    pair.sync()
    assert ids(pair, "/vendors") == [first.json()["id"]]
    assert pair.mso.get(f"/vendors/{first.json()['id']}", headers=AUDITOR).status_code == 200
    assert (
        pair.mso.get(f"/vendor-contracts/{first.json()['id']}", headers=AUDITOR).status_code == 404
    )


def test_incidents_are_reported_by_site_staff_and_resolved_once(pair: Pair) -> None:
    north, south = site(pair, "North"), site(pair, "South")

    def report(site_id: str, when: str, category: str = "power") -> dict[str, Any]:
        response = pair.mso.post(
            "/facility-incidents",
            json={
                "site_id": site_id,
                "occurred_at": when,
                "category": category,
                "description": "Power out in the east wing",
            },
            headers=SCHEDULER,
        )
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        return body

    power = report(north, "2027-01-12T09:00:00-08:00")
    leak = report(south, "2027-01-20T23:30:00-08:00", "water")
    hvac = report(north, "2027-02-03T10:00:00-08:00", "hvac")
    url = f"/facility-incidents/{power['id']}"
    early = pair.mso.post(
        f"{url}/resolve",
        json={"resolved_at": "2027-01-12T08:00:00-08:00", "resolution": "x"},
        headers=SCHEDULER,
    )
    assert early.status_code == 422
    assert early.json()["field"] == "resolved_at"
    done = pair.mso.post(
        f"{url}/resolve",
        json={"resolved_at": "2027-01-12T11:00:00-08:00", "resolution": "Breaker replaced"},
        headers={**SCHEDULER, "If-Match": '"1"'},
    )
    assert done.status_code == 200, done.text
    assert (done.json()["status"], done.headers["ETag"]) == ("resolved", '"2"')
    twice = pair.mso.post(
        f"{url}/resolve",
        json={"resolved_at": "2027-01-12T12:00:00-08:00", "resolution": "again"},
        headers=SCHEDULER,
    )
    assert twice.status_code == 409
    assert twice.json()["type"] == "/problems/facility-incident-resolved"
    pair.sync()

    assert ids(pair, "/facility-incidents") == [power["id"], leak["id"], hvac["id"]]
    assert ids(pair, "/facility-incidents", site=north) == [power["id"], hvac["id"]]
    assert ids(pair, "/facility-incidents", status="open") == [leak["id"], hvac["id"]]
    assert ids(pair, "/facility-incidents", category="water") == [leak["id"]]
    january = {"from": "2027-01-01", "to": "2027-01-31"}
    assert ids(pair, "/facility-incidents", **january) == [power["id"], leak["id"]]
    assert ids(pair, "/facility-incidents", **{"from": "2027-01-21"}) == [hvac["id"]]

    head = pair.mso_runtime.application.head_position()
    good = {
        "site_id": north,
        "occurred_at": "2027-01-12T09:00:00-08:00",
        "category": "power",
        "description": "x",
    }
    for bad, field in (
        ({"category": "patient fell"}, "category"),
        ({"occurred_at": "2027-01-12T09:00:00"}, "occurred_at"),
        ({"description": ""}, "description"),
    ):
        response = pair.mso.post("/facility-incidents", json={**good, **bad}, headers=ADMIN)
        assert response.status_code == 422
        assert field in response.text
    missing = pair.mso.post(
        "/facility-incidents", json={**good, "site_id": power["id"]}, headers=ADMIN
    )
    assert missing.status_code == 404
    assert (
        pair.mso.post("/facility-incidents", json=good, headers=auth("mso_billing")).status_code
        == 403
    )
    assert pair.mso_runtime.application.head_position() == head


def test_downtime_is_kept_in_minutes_per_site_and_month(pair: Pair) -> None:
    north, south = site(pair, "North"), site(pair, "South")

    def record(site_id: str, start: str, end: str | None, **extra: Any) -> dict[str, Any]:
        body = {"site_id": site_id, "start": start, "end": end, "cause": "Power outage", **extra}
        response = pair.mso.post("/site-downtime", json=body, headers=ADMIN)
        assert response.status_code == 201, response.text
        result: dict[str, Any] = response.json()
        return result

    def minutes(**params: Any) -> list[tuple[str, str, int, int]]:
        response = pair.mso.get("/site-downtime-minutes", params=params, headers=AUDITOR)
        assert response.status_code == 200, response.text
        return [
            (r["site_id"], r["month"], r["minutes"], r["windows"]) for r in response.json()["items"]
        ]

    # 22:00 on 31 January Pacific to 01:00 on 1 February: two hours in January, one in February
    spanning = record(north, "2027-01-31T22:00:00-08:00", "2027-02-01T01:00:00-08:00")
    ongoing = record(south, "2027-02-10T09:00:00-08:00", None)
    mistake = record(north, "2027-02-15T09:00:00-08:00", "2027-02-15T09:30:00-08:00")
    pair.sync()
    assert minutes() == [(north, "2027-01", 120, 1), (north, "2027-02", 90, 2)]
    ended = pair.mso.post(
        f"/site-downtime/{ongoing['id']}/end",
        json={"end": "2027-02-10T10:15:00-08:00"},
        headers=ADMIN,
    )
    assert ended.status_code == 200, ended.text
    again = pair.mso.post(
        f"/site-downtime/{ongoing['id']}/end",
        json={"end": "2027-02-10T11:00:00-08:00"},
        headers=ADMIN,
    )
    assert again.status_code == 409
    assert again.json()["type"] == "/problems/downtime-window-not-open"
    withdrawn = pair.mso.post(
        f"/site-downtime/{mistake['id']}/withdraw",
        json={"reason": "recorded at the wrong site"},
        headers=ADMIN,
    )
    assert withdrawn.json()["status"] == "withdrawn"
    pair.sync()
    assert minutes() == [
        (north, "2027-01", 120, 1),
        (north, "2027-02", 60, 1),
        (south, "2027-02", 75, 1),
    ]
    assert minutes(site=south) == [(south, "2027-02", 75, 1)]
    assert minutes(from_month="2027-02", to_month="2027-02") == minutes()[1:]
    assert (
        pair.mso.get(
            "/site-downtime-minutes", params={"from_month": "2027-13"}, headers=ADMIN
        ).status_code
        == 422
    )
    assert ids(pair, "/site-downtime", site=north) == [spanning["id"], mistake["id"]]
    assert ids(pair, "/site-downtime", status="closed") == [spanning["id"], ongoing["id"]]
    assert ids(pair, "/site-downtime", **{"from": "2027-02-01"}) == [ongoing["id"], mistake["id"]]
    rows = pair.mso.get("/site-downtime", headers=ADMIN).json()["items"]
    assert [r["minutes"] for r in rows] == [180, 75, 30]

    head = pair.mso_runtime.application.head_position()
    backwards = pair.mso.post(
        "/site-downtime",
        json={
            "site_id": north,
            "start": "2027-02-15T09:00:00Z",
            "end": "2027-02-15T08:00:00Z",
            "cause": "x",
        },
        headers=ADMIN,
    )
    assert backwards.status_code == 422
    assert backwards.json()["type"] == "/problems/invalid-downtime-window"
    unknown_incident = pair.mso.post(
        "/site-downtime",
        json={
            "site_id": north,
            "start": "2027-02-15T09:00:00Z",
            "cause": "x",
            "incident_id": north,
        },
        headers=ADMIN,
    )
    assert unknown_incident.status_code == 404
    assert unknown_incident.json()["type"] == "/problems/facility-incident-not-found"
    assert pair.mso_runtime.application.head_position() == head


def test_the_facility_read_models_rebuilt_from_zero_equal_the_live_ones(pair: Pair) -> None:
    north = site(pair)
    cleaners = vendor(pair)
    kept = sign(pair, cleaners, site_ids=[north])
    pair.mso.post(
        f"/vendor-contracts/{kept['id']}/renewals",
        json={"term_end": "2028-12-31", "renewal_date": "2028-10-01"},
        headers=ADMIN,
    )
    incident = pair.mso.post(
        "/facility-incidents",
        json={
            "site_id": north,
            "occurred_at": "2027-01-12T09:00:00-08:00",
            "category": "power",
            "description": "Power out",
        },
        headers=ADMIN,
    ).json()
    for start, end in (
        ("2027-01-31T22:00:00-08:00", "2027-02-01T01:00:00-08:00"),
        ("2027-03-01T09:00:00+00:00", None),
    ):
        window = pair.mso.post(
            "/site-downtime",
            json={
                "site_id": north,
                "start": start,
                "end": end,
                "cause": "Power",
                "incident_id": incident["id"],
            },
            headers=ADMIN,
        ).json()
    pair.mso.post(
        f"/site-downtime/{window['id']}/end",
        json={"end": "2027-03-01T10:00:00+00:00"},
        headers=ADMIN,
    )
    pair.sync()
    live = read_models(pair)
    assert len(live["mso_site_downtime_monthly"]) == 3
    pair.mso_runtime.projections.rebuild()
    assert read_models(pair) == live
