"""Where the demo year leaves things today: work waiting for each organisation.

- a site whose go-live request waits for the PC, and sites only proposed;
- a service line (school physicals) at the first live site waiting for its authorization;
- slots to book at the first live site for the next two weeks, under a visit template the
  Medical Director approved from today.
"""

from __future__ import annotations

from datetime import date, timedelta

from mhg_cli.demo.api import ADMIN, DIRECTOR, SCHEDULER, Service, wait_for
from mhg_cli.demo.sites import LINE, MD_ACT, ZONE, request_go_live, request_line, site

WAITING_LINE = "school_physical"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")


def waiting_sites(mso: Service, first_index: int, count: int) -> None:
    """From `first_index` on: the first waits for the PC's go-live decision, the rest are
    proposed."""
    for index in range(first_index, count):
        site_id = site(mso, index)
        if index == first_index:
            request_go_live(mso, site_id)


def waiting_line(mso: Service, site_id: str) -> None:
    request_line(mso, site_id, WAITING_LINE)


def bookable_slots(mso: Service, pc: Service, site_id: str, today: date) -> None:
    """Three 20-minute places an hour, weekday mornings, published two weeks ahead."""
    terms = {
        "name": "Sports clearance, one APP",
        "service_line": LINE,
        "site_ids": [site_id],
        "clinician_roles": ["np", "pa"],
        "visit_minutes": 20,
        "max_patients_per_clinician_hour": 3,
        "max_clinician_hours_per_day": 8,
    }
    template, replayed = pc.create("/visit-templates", terms, DIRECTOR, f"template:{site_id}")
    template_id = str(template["id"])
    if not replayed:
        approval = {"effective_from": today.isoformat(), "basis": MD_ACT}
        pc.post(f"/visit-templates/{template_id}/versions/1/approve", approval, DIRECTOR)
    path = f"/visit-templates/{template_id}"
    wait_for(lambda: mso.find(path, SCHEDULER), "the visit template to reach the MSO")
    body = {
        "site_id": site_id,
        "service_line": LINE,
        "name": "Sports clearances, weekday mornings",
        "template_id": template_id,
        "timezone": ZONE,
        "slot_minutes": 20,
        "capacity": 1,
        "starts_on": today.isoformat(),
        "weekly": [{"weekday": day, "start": "09:00", "end": "12:00"} for day in WEEKDAYS],
    }
    schedule, replayed = mso.create("/schedules", body, ADMIN, f"schedule:{site_id}")
    if not replayed:
        through = {"through": (today + timedelta(days=13)).isoformat()}
        mso.post(f"/schedules/{schedule['id']}/publications", through, SCHEDULER)
