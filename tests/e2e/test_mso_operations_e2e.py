"""MSO operations at a live site, end to end across two real service processes.

A site goes live through the PC's approval and a service line there is authorized; a
vendor scoped to the site finds, holds and books a slot (and is refused at another
site); a clearance form and a lab specimen go through every step; appointments get their
outcomes; last month is closed and its report reaches PC Governance through the feed,
with the KPIs those events fed. The access log shows who read the patient's data.

Steps stated with a time (form and lab steps, staff bookings) happen last month, which
is over and may be closed. The vendor books a slot running now (a slot that has ended
cannot be booked), so its visit counts in this month's dashboard instead.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest

from mhg.access import patient_ref
from tests.conftest import SECRET, StoreUrl, auth
from tests.e2e.flows import ADMIN, DIRECTOR, LINE, create_site
from tests.e2e.harness import running_services, wait_until
from tests.e2e.mso_operations_steps import (
    AUDITOR,
    FEED_WAIT,
    SCHEDULER,
    Kpis,
    approved_visit_template,
    at,
    authorize_line,
    eligible_clinician,
    get,
    kpis,
    last_month,
    post,
    running_schedule,
    site_goes_live,
    visit,
)
from tests.e2e.test_site_go_live_e2e import ok

pytestmark = [pytest.mark.e2e, pytest.mark.deployed]

PAT = {"name": "Pat Doe", "date_of_birth": "2010-04-01", "contact": "555-0100"}
ROBIN = {"name": "Robin Roe", "date_of_birth": "2011-02-03", "contact": "555-0101"}
VENDOR = "acme-scheduling"


def test_a_live_site_runs_its_month_and_the_report_reaches_the_pc(
    store_url: StoreUrl, tmp_path: Path
) -> None:
    month = last_month()
    label = f"{month:%Y-%m}"
    headers = {"X-Correlation-ID": f"e2e-mso-ops-{uuid.uuid4().hex}"}
    with running_services(store_url, tmp_path) as services:
        mso, pc = services.mso.client(headers), services.pc.client(headers)

        # 1. The site goes live; the PC authorizes the line there from the first of last month.
        site_id = site_goes_live(mso, pc, month)
        line = authorize_line(mso, pc, site_id, month)
        other_site = create_site(mso, "Westside MS")
        clinician_id = eligible_clinician(mso, pc)

        # 2. Last month at the site: a fulfilled visit (surveyed 10) and a no-show.
        seen = visit(mso, site_id, at(month, 5, 10), PAT, "fulfilled")
        visit(mso, site_id, at(month, 6, 10), ROBIN, "no_show")
        post(mso, "/surveys", {"appointment_id": seen, "score": 10}, 201)

        # 3. The visit's clearance form: requested, prepared, signed by the NP, delivered.
        requester = {"kind": "school", "name": "Eastside HS athletics"}
        form = post(
            mso,
            "/forms",
            {"site_id": site_id, "service_line": LINE, "kind": "sports_clearance"}
            | {"requested_by": requester, "patient": PAT, "appointment_id": seen}
            | {"due_on": f"{label}-12", "received_at": at(month, 5, 9)},
            201,
        )
        assert (form["status"], form["appointment_id"]) == ("requested", seen)
        signature = {"clinician_id": clinician_id, "signed_at": at(month, 6, 9)}
        the_np = auth("app", clinician_id)  # the NP records her own signature (ADR 0019)
        for action, body, status, who in (
            ("prepare", {"at": at(month, 5, 12)}, "prepared", SCHEDULER),
            ("record-signature", signature, "signed", the_np),
            ("deliver", {"method": "portal", "at": at(month, 7, 9)}, "delivered", SCHEDULER),
        ):
            assert post(mso, f"/forms/{form['id']}/{action}", body, 200, who)["status"] == status
        delivered = get(mso, f"/forms/{form['id']}")
        assert (delivered["signed_by"], delivered["delivery_method"]) == (clinician_id, "portal")

        # 4. A specimen: collected, on a courier run to the lab, result received and released.
        pickup = {"site_id": site_id, "service_line": LINE, "reference": "EHS-000123"}
        specimen = post(mso, "/lab/specimens", pickup | {"collected_at": at(month, 5, 10, 30)}, 201)
        manifest = {"site_id": site_id, "courier_vendor": "Bay Courier", "lab": "Quest SF"}
        run = post(mso, "/lab/runs", manifest | {"specimen_ids": [specimen["id"]]}, 201)
        assert (run["status"], run["specimen_ids"]) == ("planned", [specimen["id"]])
        post(mso, f"/lab/runs/{run['id']}/depart", {"at": at(month, 5, 11)})
        arrived = post(mso, f"/lab/runs/{run['id']}/deliver", {"at": at(month, 5, 12)})
        assert arrived["status"] == "delivered"
        url = f"/lab/specimens/{specimen['id']}"
        at_lab = get(mso, url)
        assert (at_lab["status"], at_lab["run_id"]) == ("at_lab", run["id"])
        post(mso, f"{url}/receive-result", {"at": at(month, 6, 8, 30)})
        release = {"clinician_id": clinician_id, "at": at(month, 6, 10, 30)}
        released = post(mso, f"{url}/release-result", release, 200, the_np)
        assert (released["status"], released["released_to"]) == ("result_released", clinician_id)

        def row(path: str, status: str) -> dict[str, Any] | None:
            rows = get(mso, path, AUDITOR, site_id=site_id, status=status)["items"]
            return rows[0] if len(rows) == 1 else None

        form_row = wait_until(lambda: row("/forms", "delivered"), FEED_WAIT, message="form row")
        assert (form_row["id"], form_row["turnaround_seconds"]) == (form["id"], 2 * 86400)
        lab_row = wait_until(
            lambda: row("/lab/specimens", "result_released"), FEED_WAIT, message="specimen row"
        )
        assert lab_row["id"] == specimen["id"]
        assert (lab_row["receipt_seconds"], lab_row["cycle_seconds"]) == (22 * 3600, 24 * 3600)

        # 5. A vendor scoped to the site finds the running slot, holds it, books with the hold.
        # The schedule runs under a visit template the Medical Director approved at the PC.
        template_id = approved_visit_template(mso, pc, site_id)
        running_schedule(mso, site_id, template_id)
        acme = auth("vendor", VENDOR, sites=(site_id,))
        wanted = {"site": site_id, "service_line": LINE, "status": "free"}
        free = wait_until(
            lambda: get(mso, "/slots", acme, **wanted)["items"], FEED_WAIT, message="free slots"
        )
        assert len(free) == 2
        slot = min(free, key=lambda s: str(s["start"]))
        held = post(mso, f"/slots/{slot['id']}/holds", {"seconds": 300}, 201, acme)
        assert (held["status"], held["slot_id"]) == ("active", slot["id"])
        booking = {"hold_id": held["id"], "patient": PAT, "requested_by": requester["name"]}
        booked = post(mso, f"/slots/{slot['id']}/$book", booking, 201, acme)
        appointment_id = booked["id"]
        assert (booked["slot_id"], booked["start"]) == (slot["id"], slot["start"])
        assert booked["authorization_id"] == line["authorization_id"]
        assert booked["decision_id"] == line["decision_id"]
        assert get(mso, f"/slots/{slot['id']}/holds/{held['id']}", acme)["status"] == "used"

        # ... and is refused at the other site.
        elsewhere = mso.get("/slots", params={"site": other_site}, headers=acme)
        assert elsewhere.status_code == 403, elsewhere.text
        outside = {"site_id": other_site, "service_line": LINE, "start": slot["start"]}
        refused = mso.post("/appointments", json=outside | {"patient": PAT}, headers=acme)
        assert refused.status_code == 403, refused.text

        # 6. The vendor and the staff read the appointment; the visit gets its outcome.
        assert get(mso, f"/appointments/{appointment_id}", acme)["patient"] == PAT
        assert get(mso, f"/appointments/{appointment_id}")["status"] == "booked"
        outcome = post(mso, f"/appointments/{appointment_id}/outcome", {"outcome": "fulfilled"})
        assert outcome["status"] == "fulfilled"

        def dashboard() -> Kpis | None:
            figures = kpis(get(mso, "/dashboard", ADMIN, site_id=site_id), site_id)
            return figures if figures[("no_show_rate", None)][1] == 1 else None

        board = wait_until(dashboard, FEED_WAIT, message="the vendor's visit on the dashboard")
        assert board[("no_show_rate", None)] == ("0.0000", 1)
        assert board[("expansion_readiness", None)] == ("1.0000", 7)

        # 7. Last month closes; its report carries what those events fed.
        target = {"target": "0.20", "site_id": site_id}
        ok(mso.put("/kpi-targets/no_show_rate", json=target, headers=ADMIN))
        closed = post(mso, f"/performance-reports/{label}/close", None, 201, ADMIN)
        assert (closed["status"], closed["revision"]) == ("final", 1)
        figures = kpis(closed, site_id)
        assert figures[("no_show_rate", None)] == ("0.5000", 2)
        assert figures[("no_show_rate", LINE)] == ("0.5000", 2)
        assert figures[("nps", None)] == ("100.0", 1)
        assert figures[("form_turnaround_days_median", None)] == ("2.00", 1)
        assert figures[("form_turnaround_days_p90", LINE)] == ("2.00", 1)
        assert figures[("form_turnaround_within_target_share", None)] == ("1.0000", 1)
        assert figures[("results_cycle_hours_median", None)] == ("24.00", 1)
        assert figures[("results_cycle_hours_p90", None)] == ("24.00", 1)

        # 8. The report reaches PC Governance through the MSO's feed, with its variance.
        def at_pc() -> dict[str, Any] | None:
            items = get(pc, "/performance-reports", DIRECTOR)["items"]
            return next((r for r in items if r["month"] == label), None)

        listed = wait_until(at_pc, FEED_WAIT, message="the month's report to reach the PC")
        assert (listed["report_id"], listed["revision"]) == (closed["report_id"], 1)
        report = get(pc, f"/performance-reports/{label}", DIRECTOR)
        assert report["report_id"] == closed["report_id"]
        assert kpis(report, site_id) == figures
        variances = [(v["site_id"], v["kpi"], v["variance"]) for v in report["unfavourable"]]
        assert (site_id, "no_show_rate", "0.3000") in variances

        # 9. The access log holds every read of Pat's data, by the staff and by the vendor.
        expected = [
            ("sam", "mso_scheduler", "appointment", seen),  # the outcome answers with Pat
            ("sam", "mso_scheduler", "form", form["id"]),  # prepared
            (clinician_id, "app", "form", form["id"]),  # signed by the NP herself
            *[("sam", "mso_scheduler", "form", form["id"])] * 2,  # delivered, and a GET
            (VENDOR, "vendor", "appointment", appointment_id),
            *[("sam", "mso_scheduler", "appointment", appointment_id)] * 2,  # GET, outcome
        ]
        pat = patient_ref(SECRET, PAT["name"], PAT["date_of_birth"])

        def logged() -> list[tuple[Any, ...]] | None:
            items = get(mso, "/access-log", AUDITOR, patient_ref=pat, limit=100)["items"]
            reads = [
                (r["actor_id"], r["actor_role"], r["record_kind"], r["record_id"]) for r in items
            ]
            return reads if len(reads) >= len(expected) else None

        assert wait_until(logged, FEED_WAIT, message="the reads in the access log") == expected
        assert "Pat Doe" not in mso.get("/access-log", headers=AUDITOR).text
        mso.close()
        pc.close()
