"""Staffing and coverage, on each backend, with a real PC Governance publishing its rules.

The PC credentials clinicians and sets supervision; its messages reach MSO Operations
only through its feed, and each one re-judges the shifts it touches: a coverage gap
opens and clears without any MSO command.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta, timezone
from typing import Any
from uuid import UUID

from sqlalchemy import select

from services.mso_ops.application import MsoOpsApplication
from tests.conftest import auth
from tests.integration.clinician_helpers import (
    TODAY,
    Clock,
    clock,
    credentialed,
    pair,
    sweep,
)
from tests.integration.conftest import ADMIN, DIRECTOR, SCHEDULER
from tests.integration.services import Pair
from tests.integration.template_feed import (
    approved,
    deliver,
    retired,
)

__all__ = ["clock", "pair"]  # fixtures

PACIFIC = timezone(timedelta(hours=-8))
START = TODAY + timedelta(days=7)  # supervision starts
SHIFT_DAY = TODAY + timedelta(days=14)
STAFFING_TABLES = (
    "mso_visit_templates",
    "mso_visit_template_versions",
    "mso_staff",
    "mso_clinician_eligibility",
    "mso_supervision_rules",
    "mso_supervision_pairings",
    "mso_shifts",
    "mso_shift_staff",
    "mso_coverage_gaps",
)


def set_rules(pair: Pair, max_apps: int = 2) -> None:
    response = pair.pc.put(
        "/supervision/rules",
        json={"max_apps_per_physician": max_apps, "chart_review_share_percent": 20},
        headers=DIRECTOR,
    )
    assert response.status_code == 200, response.text


def supervise(pair: Pair, app: str, physician: str, start: date = START) -> str:
    response = pair.pc.post(
        "/supervision/assignments",
        json={"app_id": app, "physician_id": physician, "effective_from": start.isoformat()},
        headers=DIRECTOR,
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def site(pair: Pair, name: str = "Eastside High") -> str:
    response = pair.mso.post(
        "/sites", json={"name": name, "kind": "campus", "address": "1 Main St"}, headers=ADMIN
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def on_staff(pair: Pair, clinician_id: str) -> str:
    response = pair.mso.post(
        "/staff", json={"kind": "clinical", "clinician_id": clinician_id}, headers=ADMIN
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def employee(pair: Pair, name: str = "Sam Rivera", home_site: str | None = None) -> str:
    body = {"kind": "non_clinical", "name": name, "job_title": "Front desk"}
    if home_site:
        body["home_site_id"] = home_site
    response = pair.mso.post("/staff", json=body, headers=ADMIN)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def end_supervision(pair: Pair, pairing: str, last_day: date) -> None:
    ended = pair.pc.post(
        f"/supervision/assignments/{pairing}/end",
        json={"last_day": last_day.isoformat()},
        headers=DIRECTOR,
    )
    assert ended.status_code == 200, ended.text


def schedule(
    pair: Pair,
    site_id: str,
    day: date = SHIFT_DAY,
    needs_clinical_coverage: bool = True,
    hours: tuple[int, int] = (8, 16),
    template_id: str | None = None,
) -> dict[str, Any]:
    start = datetime.combine(day, time(hours[0]), PACIFIC)
    response = pair.mso.post(
        "/shifts",
        json={
            "site_id": site_id,
            "start": start.isoformat(),
            "end": (start + timedelta(hours=hours[1] - hours[0])).isoformat(),
            "needs_clinical_coverage": needs_clinical_coverage,
            "label": "Clearance clinic",
            "template_id": template_id,
        },
        headers=SCHEDULER,
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def assign(pair: Pair, shift_id: str, staff_id: str) -> dict[str, Any]:
    response = pair.mso.post(
        f"/shifts/{shift_id}/assignments", json={"staff_id": staff_id}, headers=SCHEDULER
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def gaps(pair: Pair, **params: Any) -> list[dict[str, Any]]:
    response = pair.mso.get("/coverage-gaps", params=params, headers=auth("auditor"))
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def reasons(row: dict[str, Any]) -> list[tuple[str, str | None]]:
    return [(r["reason"], r["clinician_id"]) for r in row["reasons"]]


def read_models(pair: Pair) -> dict[str, list[Any]]:
    tables = pair.mso_runtime.store.metadata.tables
    with pair.mso_runtime.store.reader.connect() as conn:
        return {
            name: sorted(
                (tuple(r) for r in conn.execute(select(tables[name]))), key=lambda r: str(r[0])
            )
            for name in STAFFING_TABLES
        }


def test_pc_eligibility_and_supervision_reach_the_mso_and_open_and_clear_a_gap(
    pair: Pair, clock: Clock
) -> None:
    lapse = SHIFT_DAY + timedelta(days=1)  # after the shift: the MSO relies on them for it
    doctor, license_id = credentialed(pair, "1000000301", license_expires=lapse)
    np_id, _ = credentialed(pair, "2000000301", "np")
    set_rules(pair, max_apps=2)
    pairing = supervise(pair, np_id, doctor)
    pair.sync()

    known = pair.mso.get("/clinician-eligibility", headers=SCHEDULER).json()["items"]
    assert [(c["clinician_id"], c["role"], c["eligible"]) for c in known] == [
        (doctor, "physician", True),
        (np_id, "np", True),
    ]
    rules = pair.mso.get("/supervision-rules", headers=SCHEDULER)
    assert rules.status_code == 200, rules.text
    assert rules.json()["max_apps_per_physician"] == 2
    assert [
        (a["assignment_id"], a["app_id"], a["physician_id"]) for a in rules.json()["assignments"]
    ] == [(pairing, np_id, doctor)]

    clinic = site(pair)
    doctor_staff, np_staff = on_staff(pair, doctor), on_staff(pair, np_id)
    shift = schedule(pair, clinic)
    assert shift["coverage"] == {
        "covered": False,
        "shortfalls": [
            {
                "reason": "no_eligible_clinician",
                "clinician_id": None,
                "detail": "no clinician is assigned",
            }
        ],
    }
    alone = assign(pair, shift["id"], np_staff)
    assert alone["version"] == 2
    assert [s["reason"] for s in alone["coverage"]["shortfalls"]] == ["app_without_supervisor"]
    pair.sync()
    [gap] = gaps(pair)
    assert (gap["shift_id"], gap["site_id"], gap["day"]) == (
        shift["id"],
        clinic,
        SHIFT_DAY.isoformat(),
    )
    assert reasons(gap) == [("app_without_supervisor", np_id)]

    covered = assign(pair, shift["id"], doctor_staff)
    assert covered["coverage"] == {"covered": True, "shortfalls": []}
    pair.sync()
    assert gaps(pair) == [], "the supervising physician on shift covers the NP"

    # A shift that is over when the PC's news arrives keeps the judgement of its day.
    past = schedule(pair, clinic, day=date(2026, 11, 2))
    assert assign(pair, past["id"], doctor_staff)["coverage"]["covered"] is True

    clock.set(lapse + timedelta(days=1))
    sweep(pair, lapse + timedelta(days=1))
    pair.sync()
    [lapsed] = gaps(pair)
    assert lapsed["shift_id"] == shift["id"]
    assert reasons(lapsed) == [
        ("clinician_not_eligible", doctor),
        ("app_without_supervisor", np_id),
    ]
    assert lapsed["opened_at"] == lapsed["updated_at"]
    staff = pair.mso.get(f"/staff/{doctor_staff}", headers=ADMIN).json()
    assert (staff["clinical_role"], staff["eligible"]) == ("physician", False)
    assert (
        pair.mso.get(f"/shifts/{shift['id']}", headers=ADMIN).json()["coverage"]["covered"] is False
    )

    renewed = pair.pc.post(
        f"/clinicians/{doctor}/credentials/{license_id}/renew",
        json={"expires_on": "2030-01-01", "source": "MBC"},
        headers=DIRECTOR,
    )
    assert renewed.status_code == 200, renewed.text
    pair.sync()
    assert gaps(pair) == []
    assert pair.mso.get("/staff", params={"eligible": True}, headers=ADMIN).json()["items"] != []


def test_a_shift_staffing_a_visit_template_is_judged_against_it(pair: Pair) -> None:
    doctor, _ = credentialed(pair, "1000000401")
    np_id, _ = credentialed(pair, "2000000401", "np")
    set_rules(pair, max_apps=2)
    supervise(pair, np_id, doctor)
    pair.sync()
    clinic = site(pair)
    template = approved(clinician_roles=["np", "pa"], max_clinician_hours_per_day=6)
    deliver(pair, template)
    unknown = pair.mso.post(
        "/shifts",
        json={
            "site_id": clinic,
            "start": "2027-01-18T08:00:00-08:00",
            "end": "2027-01-18T12:00:00-08:00",
            "needs_clinical_coverage": True,
            "template_id": str(uuid.uuid4()),
        },
        headers=SCHEDULER,
    )
    assert unknown.status_code == 422, unknown.text
    assert unknown.json()["field"] == "template_id"

    shift = schedule(pair, clinic, template_id=str(template.template_id))  # 8 hours
    assert shift["template_id"] == str(template.template_id)
    assign(pair, shift["id"], on_staff(pair, np_id))
    staffed = assign(pair, shift["id"], on_staff(pair, doctor))
    assert {(s["reason"], s["clinician_id"]) for s in staffed["coverage"]["shortfalls"]} == {
        ("shift_over_template_hours", None),
        ("role_not_in_template", doctor),
    }
    pair.sync()
    [gap] = gaps(pair, reason="role_not_in_template")
    assert set(reasons(gap)) == {
        ("shift_over_template_hours", None),
        ("role_not_in_template", doctor),
    }

    deliver(pair, retired(template, SHIFT_DAY))  # the PC's retirement re-judges the shift
    pair.sync()
    [gap] = gaps(pair)
    assert reasons(gap) == [("template_not_in_force", None)]
    got = pair.mso.get(f"/shifts/{shift['id']}", headers=SCHEDULER).json()
    assert [s["reason"] for s in got["coverage"]["shortfalls"]] == ["template_not_in_force"]

    live = read_models(pair)
    pair.mso_runtime.projections.rebuild()
    assert read_models(pair) == live


def test_a_supervision_change_published_by_the_pc_rejudges_the_shifts(pair: Pair) -> None:
    doctor, _ = credentialed(pair, "1000000302")
    other_doctor, _ = credentialed(pair, "3000000302")
    np_id, _ = credentialed(pair, "2000000302", "np")
    pa_id, _ = credentialed(pair, "4000000302", "pa")
    set_rules(pair, max_apps=2)
    np_pairing = supervise(pair, np_id, doctor)
    supervise(pair, pa_id, doctor)
    pair.sync()
    clinic = site(pair)
    shift = schedule(pair, clinic)
    for clinician in (doctor, np_id, pa_id):
        assign(pair, shift["id"], on_staff(pair, clinician))
    other = schedule(pair, clinic, day=SHIFT_DAY + timedelta(days=1))
    assign(pair, other["id"], on_staff(pair, other_doctor))
    pair.sync()
    assert gaps(pair) == []

    end_supervision(pair, np_pairing, SHIFT_DAY - timedelta(days=1))
    pair.sync()
    [gap] = gaps(pair)
    assert gap["shift_id"] == shift["id"]
    assert reasons(gap) == [("app_without_supervisor", np_id)]
    assert gaps(pair, reason="app_without_supervisor") == [gap]
    assert gaps(pair, reason="supervisor_over_capacity") == []


def test_each_pc_message_is_applied_once(pair: Pair) -> None:
    doctor, _ = credentialed(pair, "1000000303")
    set_rules(pair)
    pair.sync()
    head = pair.mso_runtime.application.head_position()
    pair.mso_runtime.follower.catch_up()
    pair.sync()
    assert pair.mso_runtime.application.head_position() == head
    mso = pair.mso_runtime.application
    assert isinstance(mso, MsoOpsApplication)
    assert mso.clinical_standing.clinician_standing(UUID(doctor)).version == 2, (
        "registered, then eligible"
    )
    assert mso.clinical_standing.supervision_rules().version == 1


def test_the_staffing_read_models_rebuilt_from_zero_equal_the_live_ones(
    pair: Pair, clock: Clock
) -> None:
    doctor, _ = credentialed(pair, "1000000304", license_expires=TODAY + timedelta(days=10))
    np_id, _ = credentialed(pair, "2000000304", "np")
    set_rules(pair)
    supervise(pair, np_id, doctor)
    pair.sync()
    clinic = site(pair)
    shifts = [schedule(pair, clinic, day=SHIFT_DAY + timedelta(days=i)) for i in range(3)]
    doctor_staff, np_staff = on_staff(pair, doctor), on_staff(pair, np_id)
    clerk = employee(pair, home_site=clinic)
    for s in shifts:
        assign(pair, s["id"], np_staff)
        assign(pair, s["id"], clerk)
    assign(pair, shifts[0]["id"], doctor_staff)
    pair.mso.post(
        f"/shifts/{shifts[1]['id']}/assignments/{clerk}/release",
        json={"reason": "swapped"},
        headers=SCHEDULER,
    )
    pair.mso.post(f"/shifts/{shifts[2]['id']}/cancel", json={"reason": "closed"}, headers=ADMIN)
    clock.set(TODAY + timedelta(days=11))
    sweep(pair, TODAY + timedelta(days=11))
    pair.sync()
    live = read_models(pair)
    assert len(live["mso_coverage_gaps"]) == 2
    assert len(live["mso_shift_staff"]) == 6
    pair.mso_runtime.projections.rebuild()
    assert read_models(pair) == live


def test_shifts_judged_after_new_supervision_rules_rebuild_to_the_live_gaps(pair: Pair) -> None:
    """Coverage reads the rules once per batch: new rules in the batch must be read again."""
    doctor, _ = credentialed(pair, "1000000305")
    np_id, _ = credentialed(pair, "2000000305", "np")
    set_rules(pair)
    np_pairing = supervise(pair, np_id, doctor)
    pair.sync()
    clinic = site(pair)
    doctor_staff, np_staff = on_staff(pair, doctor), on_staff(pair, np_id)
    first = schedule(pair, clinic)
    for staff_id in (doctor_staff, np_staff):
        assign(pair, first["id"], staff_id)
    pair.sync()
    assert gaps(pair) == []
    end_supervision(pair, np_pairing, SHIFT_DAY - timedelta(days=1))
    pair.sync()
    second = schedule(pair, clinic, day=SHIFT_DAY + timedelta(days=1))
    for staff_id in (doctor_staff, np_staff):
        assign(pair, second["id"], staff_id)
    pair.sync()
    live = read_models(pair)
    assert {g["shift_id"] for g in gaps(pair)} == {first["id"], second["id"]}
    pair.mso_runtime.projections.rebuild()
    assert read_models(pair) == live
