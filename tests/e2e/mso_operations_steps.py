"""The requests of the MSO operations end-to-end test: go-live, authorization, a running slot.

The site's go-live reuses the readiness items and pro forma of test_site_go_live_e2e.py
and the service-line requests of flows.py; every cross-service step waits on the feed.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from tests.conftest import auth
from tests.e2e.flows import (
    ADMIN,
    BASIS,
    DIRECTOR,
    LINE,
    PRO_FORMA,
    go_live,
    ok,
    propose_line,
    request_authorization,
)
from tests.e2e.harness import wait_until

FEED_WAIT = 20.0
SCHEDULER = auth("mso_scheduler", "sam")
AUDITOR = auth("auditor", "aud-1")
QUALITY = auth("pc_quality", "qa-kim")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
SLOT_MINUTES = 60
Kpis = dict[tuple[str, str | None], tuple[Any, int]]


def post(
    client: httpx.Client,
    path: str,
    body: dict[str, Any] | None = None,
    status: int = 200,
    headers: dict[str, str] = SCHEDULER,
) -> dict[str, Any]:
    return ok(client.post(path, json=body, headers=headers), status)


def get(
    client: httpx.Client, path: str, headers: dict[str, str] = SCHEDULER, **params: Any
) -> dict[str, Any]:
    return ok(client.get(path, params=params, headers=headers))


def last_month() -> date:
    """The first day of the UTC month before this one: over, so it may be closed."""
    first = datetime.now(UTC).date().replace(day=1)
    return (first - timedelta(days=1)).replace(day=1)


def at(month: date, day: int, hour: int, minute: int = 0) -> str:
    return datetime(month.year, month.month, day, hour, minute, tzinfo=UTC).isoformat()


def pending_at_pc(pc: httpx.Client, site_id: str, kind: str) -> dict[str, Any]:
    """The PC's pending request of `kind` for the site, once the MSO's feed delivered it."""

    def found() -> dict[str, Any] | None:
        items = get(pc, "/authorizations", DIRECTOR, kind=kind, status="pending")["items"]
        mine = [a for a in items if a["site_id"] == site_id]
        return mine[0] if len(mine) == 1 else None

    return wait_until(found, FEED_WAIT, message=f"the {kind} request to reach the PC")


def approve(pc: httpx.Client, authorization_id: str, effective: date) -> str:
    """The Medical Director approves; the id of the decision."""
    body = {"effective_date": effective.isoformat(), "basis": BASIS}
    approved = post(pc, f"/authorizations/{authorization_id}/approve", body, headers=DIRECTOR)
    assert approved["status"] == "approved", approved
    return str(approved["decisions"][-1]["decision_id"])


def site_goes_live(mso: httpx.Client, pc: httpx.Client, effective: date) -> str:
    """Proposal, readiness evidence, go-live request, PC approval through the feed, opening."""
    body = {"name": "Eastside HS", "kind": "campus", "address": "1 Main St"}
    site = post(mso, "/sites", body | {"pro_forma": PRO_FORMA}, 201, ADMIN)
    site_id = str(site["id"])
    assert site["pro_forma"]["payback_months"] == 6
    authorization_id, decision_id = go_live(mso, pc, site_id, effective.isoformat())
    received = get(pc, f"/authorizations/{authorization_id}", DIRECTOR)
    assert received["readiness"]["pro_forma"]["monthly_margin"] == "3300.00"
    live = get(mso, f"/sites/{site_id}", ADMIN)
    assert (live["status"], live["decision_id"]) == ("live", decision_id)
    assert live["authorization_id"] == authorization_id
    return site_id


def authorize_line(
    mso: httpx.Client, pc: httpx.Client, site_id: str, effective: date
) -> dict[str, Any]:
    """The line is requested with readiness evidence, approved by the PC; the MSO's line row."""
    propose_line(mso, site_id)
    request_authorization(mso, site_id)
    request = pending_at_pc(pc, site_id, "service_line")
    assert request["service_line"] == LINE
    decision_id = approve(pc, request["id"], effective)

    def authorized() -> dict[str, Any] | None:
        line = get(mso, f"/sites/{site_id}/service-lines/{LINE}", ADMIN)
        return line if line["status"] == "authorized" else None

    line = wait_until(authorized, FEED_WAIT, message="the line's approval to reach the MSO")
    assert (line["authorization_id"], line["decision_id"]) == (request["id"], decision_id)
    return line


def eligible_clinician(mso: httpx.Client, pc: httpx.Client) -> str:
    """An NP the PC credentialed; the id the MSO learns through the PC's feed."""
    body = {"npi": "2000000777", "name": "Nia Park, NP", "role": "np"}
    clinician = str(post(pc, "/clinicians", body, 201, DIRECTOR)["id"])
    expires = (datetime.now(UTC).date() + timedelta(days=400)).isoformat()
    license_body = {"kind": "license", "number": "NP-777", "issuer": "CA BRN"}
    license_body |= {"issued_on": "2020-01-01", "expires_on": expires}
    credential = post(pc, f"/clinicians/{clinician}/credentials", license_body, 201, QUALITY)
    verify = {"source": "CA DCA BreEZe"}
    post(
        pc, f"/clinicians/{clinician}/credentials/{credential['id']}/verify", verify, 200, DIRECTOR
    )

    def eligible() -> bool:
        rows = get(mso, "/clinician-eligibility", eligible=True, role="np")["items"]
        return [r["clinician_id"] for r in rows] == [clinician]

    wait_until(eligible, FEED_WAIT, message="the NP's eligibility to reach the MSO")
    return clinician


def approved_visit_template(mso: httpx.Client, pc: httpx.Client, site_id: str) -> str:
    """The Medical Director approves, from today, a visit template for the line at the site
    (one 60-minute visit per clinician-hour, 8 clinician hours a day); returns its id once
    it has reached the MSO through the PC's feed."""
    terms = {
        "name": "Sports clearance, one NP",
        "service_line": LINE,
        "site_ids": [site_id],
        "clinician_roles": ["np", "pa"],
        "visit_minutes": SLOT_MINUTES,
        "max_patients_per_clinician_hour": 1,
        "max_clinician_hours_per_day": 8,
    }
    template = post(pc, "/visit-templates", terms, 201, DIRECTOR)
    template_id = str(template["id"])
    approval = {"effective_from": datetime.now(UTC).date().isoformat(), "basis": BASIS}
    post(pc, f"/visit-templates/{template_id}/versions/1/approve", approval, 200, DIRECTOR)

    def received() -> dict[str, Any] | None:
        response = mso.get(f"/visit-templates/{template_id}", headers=SCHEDULER)
        return response.json() if response.status_code == 200 else None

    arrived = wait_until(received, FEED_WAIT, message="the visit template to reach the MSO")
    assert arrived["service_line"] == LINE, arrived
    return template_id


def running_schedule(mso: httpx.Client, site_id: str, template_id: str) -> None:
    """Today's session, from this minute: two 60-minute slots, the first running now, so
    it can be booked (it has not ended) and get its outcome (it has started). The zone
    is one where the session ends before local midnight (UTC until 21:59, else Tokyo).

    `template_id` names a PC-approved visit template for the line, in force today, that
    allows one 60-minute visit per slot (visit_minutes <= 60, max_patients_per_clinician_hour
    >= 1) and a 2-hour day; it must have reached the MSO through the PC's feed.
    """
    zone = "UTC" if datetime.now(UTC).hour <= 21 else "Asia/Tokyo"
    local = datetime.now(ZoneInfo(zone)).replace(second=0, microsecond=0)
    end = local + timedelta(minutes=2 * SLOT_MINUTES)
    assert end.date() == local.date(), "the session must end on its day"
    day = local.date().isoformat()
    session = {
        "weekday": WEEKDAYS[local.weekday()],
        "start": f"{local:%H:%M}",
        "end": f"{end:%H:%M}",
    }
    body = {
        "site_id": site_id,
        "service_line": LINE,
        "name": "Eastside HS sports clearances",
        "template_id": template_id,
        "timezone": zone,
        "slot_minutes": SLOT_MINUTES,
        "capacity": 1,
        "starts_on": day,
        "weekly": [session],
    }
    schedule = post(mso, "/schedules", body, 201, ADMIN)
    published = post(mso, f"/schedules/{schedule['id']}/publications", {"through": day})
    assert published["slots_opened"] == 2, published


def visit(
    mso: httpx.Client, site_id: str, start: str, patient: dict[str, str], outcome: str
) -> str:
    """A staff booking at a stated time last month, and what became of it."""
    body = {"site_id": site_id, "service_line": LINE, "start": start, "patient": patient}
    appointment_id = str(post(mso, "/appointments", body, 201)["id"])
    done = post(mso, f"/appointments/{appointment_id}/outcome", {"outcome": outcome})
    assert done["status"] == outcome
    return appointment_id


def kpis(report: dict[str, Any], site_id: str) -> Kpis:
    """(kpi, service line) -> (value, sample size) of one site in a report."""
    [site] = [s for s in report["sites"] if s["site_id"] == site_id]
    return {(k["kpi"], k["service_line"]): (k["value"], k["sample_size"]) for k in site["kpis"]}
