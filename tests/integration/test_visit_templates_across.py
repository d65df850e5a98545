"""A PC visit template, from the Medical Director's approval to the MSO's schedules.

The same path as production: the PC approves (and later retires) a template over its
API, the message crosses by the PC's feed, and the MSO schedules only within it. The
MSO-side rules are tested in depth with delivered envelopes (test_mso_visit_templates);
this is the proof that the PC's real messages drive them.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tests.integration.conftest import ADMIN, DIRECTOR
from tests.integration.scheduling_helpers import (
    authorized_site,
    ok,
    problem,
    schedule_body,
)
from tests.integration.services import (
    Pair,
)

BASIS = {"kind": "medical_director_act", "reference": "MD-ACT-2026-044"}
TODAY = datetime.now(UTC).date()
STARTS = TODAY + timedelta(days=14 - TODAY.weekday())  # a Monday two weeks on
TERMS = {
    "name": "Sports clearance, NP or PA",
    "service_line": "sports_clearance",
    "clinician_roles": ["np", "pa"],
    "visit_minutes": 20,
    "max_patients_per_clinician_hour": 3,
    "max_clinician_hours_per_day": 8,
}


def approved_template(pair: Pair, **terms: Any) -> str:
    template = ok(pair.pc.post("/visit-templates", json=TERMS | terms, headers=DIRECTOR), 201)
    approval = {"effective_from": TODAY.isoformat(), "basis": BASIS}
    url = f"/visit-templates/{template['id']}/versions/1/approve"
    ok(pair.pc.post(url, json=approval, headers=DIRECTOR))
    pair.sync()
    return str(template["id"])


def test_the_mso_schedules_within_the_template_the_pc_approved(pair: Pair) -> None:
    site_id = authorized_site(pair)
    body = schedule_body(site_id, "", starts_on=STARTS.isoformat(), capacity=1)
    body["weekly"] = [{"weekday": "mon", "start": "09:00", "end": "10:00"}]

    # Before the PC has approved any template, the MSO has none to schedule under.
    unknown = body | {"template_id": "7b0c1d2e-3f40-4a5b-8c6d-7e8f90a1b2c3"}
    problem(
        pair.mso.post("/schedules", json=unknown, headers=ADMIN), 422, "visit-template-not-received"
    )

    template_id = approved_template(pair, site_ids=[site_id])
    received = ok(pair.mso.get(f"/visit-templates/{template_id}", headers=ADMIN))
    assert received["service_line"] == "sports_clearance"

    # The PC's volume holds: 3 patients per clinician-hour allow 1 per 20-minute slot.
    too_many = body | {"template_id": template_id, "capacity": 2}
    refused = problem(
        pair.mso.post("/schedules", json=too_many, headers=ADMIN),
        422,
        "visit-template-limit-exceeded",
    )
    assert refused["field"] == "capacity"
    two = body | {"template_id": template_id, "capacity": 2, "clinicians": 2}
    schedule = ok(pair.mso.post("/schedules", json=two, headers=ADMIN), 201)
    assert schedule["template_id"] == template_id
    assert schedule["template"]["version"] == 1

    # The PC retires the template after the first week: that week publishes, the next does not.
    ended_on = STARTS + timedelta(days=7)
    retirement = {"reason": "Season over", "ended_on": ended_on.isoformat(), "basis": BASIS}
    ok(pair.pc.post(f"/visit-templates/{template_id}/retire", json=retirement, headers=DIRECTOR))
    pair.sync()
    publications = f"/schedules/{schedule['id']}/publications"
    late = {"through": (ended_on + timedelta(days=6)).isoformat()}
    stopped = problem(
        pair.mso.post(publications, json=late, headers=ADMIN), 409, "visit-template-not-in-force"
    )
    assert stopped["day"] == ended_on.isoformat()
    first_week = {"through": (ended_on - timedelta(days=1)).isoformat()}
    assert ok(pair.mso.post(publications, json=first_week, headers=ADMIN))["slots_opened"] == 3


def test_an_mso_role_cannot_approve_a_template(pair: Pair) -> None:
    template = ok(pair.pc.post("/visit-templates", json=TERMS, headers=DIRECTOR), 201)
    approval = {"effective_from": TODAY.isoformat(), "basis": BASIS}
    url = f"/visit-templates/{template['id']}/versions/1/approve"
    problem(pair.pc.post(url, json=approval, headers=ADMIN), 403, "forbidden")
    pair.sync()
    assert ok(pair.mso.get("/visit-templates", headers=ADMIN))["items"] == []
