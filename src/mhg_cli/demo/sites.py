"""The demo's sites and their way to going live: proposal with a pro forma, readiness
evidence, the go-live request, the PC's approval through the feeds, the opening; then a
service line the PC authorizes. Each step reads where the site is and does only what is
left, so a second run finishes what a first one left."""

from __future__ import annotations

from datetime import date

from mhg_cli.demo.api import ADMIN, DIRECTOR, Json, Service, rows, wait_for

SITE_NAMES = (
    "Eastside HS",
    "North Campus",
    "Harbor Clinic",
    "Westside MS",
    "Bayview College",
    "Lakeside Community Center",
)
ZONE = "America/Los_Angeles"
ITEMS = ("lease", "equipment", "staffing_plan", "it", "vendors", "lab_courier", "forms")
PRO_FORMA = {
    "lines": [
        {
            "service_line": "sports_clearance",
            "monthly_visits": 120,
            "revenue_per_visit": "85.00",
            "variable_cost_per_visit": "22.50",
        }
    ],
    "fixed_monthly_cost": "4200.00",
    "startup_cost": "18000.00",
}
MD_ACT = {"kind": "medical_director_act", "reference": "MD-ACT-DEMO-2"}
LINE = "sports_clearance"


def site_name(index: int) -> str:
    base = SITE_NAMES[index % len(SITE_NAMES)]
    return base if index < len(SITE_NAMES) else f"{base} {index // len(SITE_NAMES) + 1}"


def site(mso: Service, index: int) -> str:
    body: Json = {"name": site_name(index), "kind": "campus", "address": f"{index + 1} Main St"}
    body |= {"pro_forma": PRO_FORMA, "time_zone": ZONE}
    made, _ = mso.create("/sites", body, ADMIN, f"site:{index}")
    return str(made["id"])


def live_site(mso: Service, pc: Service, index: int, since: date) -> str:
    """A site the PC approved to go live, and its sports clearances, from `since` on."""
    site_id = site(mso, index)
    take_live(mso, pc, site_id, since)
    authorize_line(mso, pc, site_id, LINE, since)
    return site_id


def _status(mso: Service, site_id: str) -> str:
    return str(mso.get(f"/sites/{site_id}", ADMIN)["status"])


def request_go_live(mso: Service, site_id: str) -> None:
    """Readiness evidence for every item, then the go-live request to the PC."""
    if _status(mso, site_id) == "proposed":
        mso.post(f"/sites/{site_id}/readiness", None, ADMIN)
    if _status(mso, site_id) == "readying":
        for item in ITEMS:
            evidence = {"met": True, "document_ref": f"DOC-{item}"}
            mso.put(f"/sites/{site_id}/checklist/{item}", evidence, ADMIN)
        body = {"summary": "every readiness item met"}
        mso.create(f"/sites/{site_id}/go-live-requests", body, ADMIN, f"go-live:{site_id}")


def pending(pc: Service, site_id: str, kind: str, line: str | None = None) -> Json | None:
    """The PC's pending request of `kind` for the site, once the MSO's feed brought it."""
    for request in rows(pc, "/authorizations", DIRECTOR, kind=kind, status="pending"):
        if request["site_id"] == site_id and (line is None or request["service_line"] == line):
            return request
    return None


def take_live(mso: Service, pc: Service, site_id: str, since: date) -> None:
    if _status(mso, site_id) == "live":
        return
    request_go_live(mso, site_id)
    if _status(mso, site_id) == "submitted":
        request = wait_for(
            lambda: pending(pc, site_id, "site_go_live"), "the go-live request at the PC"
        )
        decision = {"effective_date": since.isoformat(), "basis": MD_ACT}
        pc.post(f"/authorizations/{request['id']}/approve", decision, DIRECTOR)
        wait_for(
            lambda: True if _status(mso, site_id) == "approved" else None,
            "the go-live approval at the MSO",
        )
    mso.post(f"/sites/{site_id}/go-live", None, ADMIN)


def request_line(mso: Service, site_id: str, line: str) -> None:
    """The MSO proposes a service line and asks the PC to authorize it."""
    mso.create(f"/sites/{site_id}/service-lines", {"code": line}, ADMIN, f"line:{site_id}:{line}")
    if _line_status(mso, site_id, line) != "proposed":
        return  # requested by an earlier run
    readiness = {"summary": "ready", "checklist": [{"item": "room and staff", "met": True}]}
    path = f"/sites/{site_id}/service-lines/{line}/authorization-requests"
    mso.create(path, {"readiness": readiness}, ADMIN, f"line-request:{site_id}:{line}")


def _line_status(mso: Service, site_id: str, line: str) -> str:
    return str(mso.get(f"/sites/{site_id}/service-lines/{line}", ADMIN)["status"])


def authorize_line(mso: Service, pc: Service, site_id: str, line: str, since: date) -> None:
    """A line the Medical Director authorized by act from `since` on."""
    request_line(mso, site_id, line)
    if _line_status(mso, site_id, line) == "authorized":
        return
    request = wait_for(
        lambda: pending(pc, site_id, "service_line", line), f"the {line} request at the PC"
    )
    decision = {"effective_date": since.isoformat(), "basis": MD_ACT}
    pc.post(f"/authorizations/{request['id']}/approve", decision, DIRECTOR)
    wait_for(
        lambda: True if _line_status(mso, site_id, line) == "authorized" else None,
        f"the {line} authorization at the MSO",
    )
