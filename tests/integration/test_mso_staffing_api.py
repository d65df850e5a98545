"""Staff and shifts over HTTP, on each backend: roles, bad input, versions, lists and filters."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.conftest import auth
from tests.integration.clinician_helpers import (
    clock,
    credentialed,
    pair,
    register,
)
from tests.integration.conftest import ADMIN, SCHEDULER
from tests.integration.services import Pair
from tests.integration.test_mso_staffing import (
    SHIFT_DAY,
    assign,
    employee,
    gaps,
    on_staff,
    schedule,
    site,
)

__all__ = ["clock", "pair"]  # fixtures


def ids(pair: Pair, path: str, key: str = "id", **params: Any) -> list[str]:
    response = pair.mso.get(path, params=params, headers=auth("mso_billing"))
    assert response.status_code == 200, response.text
    return [row[key] for row in response.json()["items"]]


def test_clinical_staff_are_only_clinicians_the_pc_has_published(pair: Pair) -> None:
    published, _ = credentialed(pair, "1000000401")
    pair.sync()
    unpublished = register(pair, "2000000401", "np")  # not yet delivered to the MSO
    clinic = site(pair)
    head = pair.mso_runtime.application.head_position()
    refused = pair.mso.post(
        "/staff", json={"kind": "clinical", "clinician_id": unpublished}, headers=ADMIN
    )
    assert refused.status_code == 422
    assert refused.json()["type"] == "/problems/clinician-not-published"
    assert refused.json()["field"] == "clinician_id"
    for body, field in (
        ({"kind": "clinical"}, "clinician_id"),
        ({"kind": "nurse", "name": "A", "job_title": "B"}, "kind"),
        ({"kind": "clinical", "clinician_id": published, "name": "Dr. Other"}, "name"),
        ({"kind": "non_clinical", "name": "", "job_title": "Clerk"}, "name"),
    ):
        response = pair.mso.post("/staff", json=body, headers=ADMIN)
        assert response.status_code == 422, body
        assert field in response.text
    nowhere = pair.mso.post(
        "/staff",
        json={"kind": "clinical", "clinician_id": published, "home_site_id": published},
        headers=ADMIN,
    )
    assert nowhere.status_code == 404
    assert nowhere.json()["type"] == "/problems/site-not-found"
    for role in ("mso_scheduler", "mso_billing", "medical_director", "vendor"):
        body = {"kind": "clinical", "clinician_id": published}
        assert pair.mso.post("/staff", json=body, headers=auth(role)).status_code == 403
    assert pair.mso.post("/staff", json={"kind": "clinical"}).status_code == 401
    assert pair.mso_runtime.application.head_position() == head

    made = pair.mso.post(
        "/staff",
        json={"kind": "clinical", "clinician_id": published, "home_site_id": clinic},
        headers=ADMIN,
    )
    assert made.status_code == 201, made.text
    member = made.json()
    assert (member["name"], member["job_title"], member["clinical_role"], member["eligible"]) == (
        "Clinician 1000000401",
        "physician",
        "physician",
        True,
    )
    assert made.headers["Location"] == f"/staff/{member['id']}"
    twice = pair.mso.post(
        "/staff", json={"kind": "clinical", "clinician_id": published}, headers=ADMIN
    )
    assert twice.status_code == 409
    assert twice.json()["type"] == "/problems/clinician-already-on-staff"


def test_staff_lists_filter_and_page_and_employees_are_created_once_per_key(pair: Pair) -> None:
    doctor, _ = credentialed(pair, "1000000402")
    np_id = register(pair, "2000000402", "np")
    pair.sync()
    north, south = site(pair, "North"), site(pair, "South")
    body = {"kind": "non_clinical", "name": "Sam", "job_title": "Front desk", "home_site_id": north}
    headers = {**ADMIN, "Idempotency-Key": "hire-sam"}
    first = pair.mso.post("/staff", json=body, headers=headers)
    again = pair.mso.post("/staff", json=body, headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    clerk = first.json()["id"]
    doctor_staff, np_staff = on_staff(pair, doctor), on_staff(pair, np_id)
    other = employee(pair, "Lee", home_site=south)
    pair.sync()

    assert ids(pair, "/staff") == [clerk, doctor_staff, np_staff, other]
    assert ids(pair, "/staff", kind="clinical") == [doctor_staff, np_staff]
    assert ids(pair, "/staff", site=north) == [clerk]
    assert ids(pair, "/staff", eligible=True) == [doctor_staff]
    assert ids(pair, "/staff", eligible=False) == [np_staff], "the PC has not credentialed them"
    assert ids(pair, "/staff", clinician_id=np_id) == [np_staff]
    page = pair.mso.get("/staff", params={"limit": 3}, headers=ADMIN).json()
    rest = pair.mso.get(
        "/staff", params={"limit": 3, "cursor": page["next_cursor"]}, headers=ADMIN
    ).json()
    assert [r["id"] for r in page["items"] + rest["items"]] == ids(pair, "/staff")
    assert pair.mso.get("/staff", params={"cursor": "nonsense"}, headers=ADMIN).status_code == 422
    assert pair.mso.get("/staff", params={"kind": "nurse"}, headers=ADMIN).status_code == 422
    assert pair.mso.get("/staff", headers=auth("physician")).status_code == 403
    eligibility = ids(pair, "/clinician-eligibility", key="clinician_id", role="np")
    assert eligibility == [np_id]
    assert pair.mso.get(f"/staff/{north}", headers=ADMIN).status_code == 404
    assert pair.mso.get("/supervision-rules", headers=ADMIN).status_code == 404


def test_bad_shifts_name_what_is_wrong_and_write_nothing(pair: Pair) -> None:
    clinic = site(pair)
    head = pair.mso_runtime.application.head_position()
    good = {
        "site_id": clinic,
        "start": "2027-01-18T08:00:00-08:00",
        "end": "2027-01-18T16:00:00-08:00",
        "needs_clinical_coverage": True,
    }
    for bad, field in (
        ({"end": "2027-01-18T07:00:00-08:00"}, None),
        ({"end": "2027-01-19T09:00:00-08:00"}, None),
        ({"start": "2027-01-18T08:00:00"}, "start"),
        ({"needs_clinical_coverage": None}, "needs_clinical_coverage"),
        ({"patients_per_hour": 4}, "patients_per_hour"),
    ):
        response = pair.mso.post("/shifts", json={**good, **bad}, headers=SCHEDULER)
        assert response.status_code == 422, bad
        if field is None:
            assert response.json()["type"] == "/problems/invalid-shift"
        else:
            assert field in response.text
    unknown = pair.mso.post("/shifts", json={**good, "site_id": None}, headers=ADMIN)
    assert unknown.status_code == 422
    assert "site_id" in unknown.text
    nowhere = pair.mso.post(
        "/shifts", json={**good, "site_id": "00000000-0000-0000-0000-000000000009"}, headers=ADMIN
    )
    assert nowhere.status_code == 404
    assert nowhere.json()["type"] == "/problems/site-not-found"
    for role in ("mso_billing", "auditor", "physician", "vendor"):
        assert pair.mso.post("/shifts", json=good, headers=auth(role)).status_code == 403
    assert pair.mso_runtime.application.head_position() == head
    headers = {**SCHEDULER, "Idempotency-Key": "shift-1"}
    first = pair.mso.post("/shifts", json=good, headers=headers)
    assert first.status_code == 201, first.text
    assert first.headers["ETag"] == '"1"'
    replay = pair.mso.post("/shifts", json=good, headers=headers)
    assert replay.json() == first.json()
    assert replay.headers["Idempotent-Replayed"] == "true"


def test_assignments_honour_versions_and_a_cancelled_shift_is_no_gap(pair: Pair) -> None:
    clinic = site(pair)
    clerk = employee(pair)
    shift = schedule(pair, clinic)
    url = f"/shifts/{shift['id']}"
    stale = pair.mso.post(
        f"{url}/assignments", json={"staff_id": clerk}, headers={**SCHEDULER, "If-Match": '"2"'}
    )
    assert stale.status_code == 412
    ok = pair.mso.post(
        f"{url}/assignments", json={"staff_id": clerk}, headers={**SCHEDULER, "If-Match": '"1"'}
    )
    assert ok.status_code == 201, ok.text
    assert (ok.headers["ETag"], ok.headers["Location"]) == ('"2"', url)
    assert ok.json()["coverage"]["covered"] is False, "a clerk is no clinical coverage"
    twice = pair.mso.post(f"{url}/assignments", json={"staff_id": clerk}, headers=SCHEDULER)
    assert twice.status_code == 409
    assert twice.json()["type"] == "/problems/staff-already-on-shift"
    nobody = pair.mso.post(f"{url}/assignments", json={"staff_id": clinic}, headers=SCHEDULER)
    assert nobody.status_code == 404
    assert nobody.json()["type"] == "/problems/staff-member-not-found"
    not_on = pair.mso.post(
        f"{url}/assignments/{clinic}/release", json={"reason": "x"}, headers=SCHEDULER
    )
    assert not_on.status_code == 404
    assert not_on.json()["type"] == "/problems/staff-not-on-shift"
    released = pair.mso.post(
        f"{url}/assignments/{clerk}/release", json={"reason": "swapped"}, headers=SCHEDULER
    )
    assert released.json()["staff"] == []
    office = schedule(pair, clinic, needs_clinical_coverage=False)
    assert office["coverage"] == {"covered": True, "shortfalls": []}
    pair.sync()
    assert [g["shift_id"] for g in gaps(pair)] == [shift["id"]]

    cancelled = pair.mso.post(f"{url}/cancel", json={"reason": "holiday"}, headers=ADMIN)
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["status"] == "cancelled"
    closed = pair.mso.post(f"{url}/assignments", json={"staff_id": clerk}, headers=SCHEDULER)
    assert closed.status_code == 409
    assert closed.json()["type"] == "/problems/shift-cancelled"
    pair.sync()
    assert gaps(pair) == []
    assert pair.mso.get(f"/shifts/{clerk}", headers=ADMIN).status_code == 404


def test_shifts_and_gaps_filter_by_site_day_and_status_and_page(pair: Pair) -> None:
    north, south = site(pair, "North"), site(pair, "South")
    clerk = employee(pair)
    first = schedule(pair, north)
    second = schedule(pair, south, day=SHIFT_DAY + timedelta(days=1))
    third = schedule(pair, north, day=SHIFT_DAY + timedelta(days=2), needs_clinical_coverage=False)
    assign(pair, second["id"], clerk)
    pair.mso.post(f"/shifts/{first['id']}/cancel", json={"reason": "rain"}, headers=ADMIN)
    fourth = schedule(pair, north, day=SHIFT_DAY + timedelta(days=3))
    pair.sync()

    day = SHIFT_DAY.isoformat()
    assert ids(pair, "/shifts") == [first["id"], second["id"], third["id"], fourth["id"]]
    assert ids(pair, "/shifts", site=north) == [first["id"], third["id"], fourth["id"]]
    assert ids(pair, "/shifts", **{"from": day, "to": day}) == [first["id"]]
    assert ids(pair, "/shifts", status="cancelled") == [first["id"]]
    assert ids(pair, "/shifts", needs_clinical_coverage=False) == [third["id"]]
    assert ids(pair, "/shifts", staff_id=clerk) == [second["id"]]
    assert ids(pair, "/coverage-gaps", key="shift_id") == [second["id"], fourth["id"]]
    assert ids(pair, "/coverage-gaps", key="shift_id", site=south) == [second["id"]]
    later = (SHIFT_DAY + timedelta(days=2)).isoformat()
    assert ids(pair, "/coverage-gaps", key="shift_id", **{"from": later}) == [fourth["id"]]
    assert ids(pair, "/coverage-gaps", key="shift_id", to=later) == [second["id"]]
    page = pair.mso.get("/coverage-gaps", params={"limit": 1}, headers=ADMIN).json()
    rest = pair.mso.get(
        "/coverage-gaps", params={"limit": 1, "cursor": page["next_cursor"]}, headers=ADMIN
    ).json()
    assert [g["shift_id"] for g in page["items"] + rest["items"]] == [second["id"], fourth["id"]]
    assert rest["next_cursor"] is None
    bad = pair.mso.get("/coverage-gaps", params={"from": "yesterday"}, headers=ADMIN)
    assert bad.status_code == 422
    assert pair.mso.get("/coverage-gaps", params={"reason": "x"}, headers=ADMIN).status_code == 422
    assert pair.mso.get("/coverage-gaps", headers=auth("vendor")).status_code == 403
