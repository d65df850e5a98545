"""KPIs fed by forms, specimens, claims and the readiness checklist, against hand values.

The aggregates are driven through their own domain methods and saved in the service's
log, so the KPI projection reads exactly the events those capabilities record.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from eventsourcing.domain import Aggregate

from mhg.meta import Meta
from services.mso_ops.domain.claim import Claim
from services.mso_ops.domain.form import Form
from services.mso_ops.domain.performance_report import days_in
from services.mso_ops.domain.specimen import Specimen
from tests.integration.conftest import ADMIN
from tests.integration.mso_performance_helpers import (
    at,
    authorized_site,
    kpi,
    months_ago,
    read_models,
)
from tests.integration.services import (
    Pair,
)

NOW = datetime.now().astimezone()
PATIENT = {"name": "Pat Doe", "date_of_birth": "2010-04-01", "contact": "555-0100"}
LINE = "sports_clearance"


def meta() -> Meta:
    return Meta("ann", "mso_admin", "mso", uuid.uuid4().hex, "corr", "cause")


def save(pair: Pair, *aggregates: Aggregate) -> None:
    pair.mso_runtime.application.record(*aggregates)


def form(site_id: uuid.UUID, received: datetime, delivered: datetime | None) -> Form:
    made = Form.request(
        form_id=uuid.uuid4(),
        site_id=site_id,
        service_line=LINE,
        kind="sports_clearance",
        requester_kind="school",
        requester_name="Eastside HS",
        patient=PATIENT,
        appointment=None,
        due_on=received.date() + timedelta(days=5),
        received_at=received,
        now=NOW,
        meta=meta(),
    )
    if delivered is not None:
        made.prepare(at=received + timedelta(hours=1), now=NOW, meta=meta())
        made.record_signature(
            clinician_id=uuid.uuid4(), signed_at=received + timedelta(hours=2), now=NOW, meta=meta()
        )
        made.deliver(at=delivered, method="portal", now=NOW, meta=meta())
    return made


def specimen(site_id: uuid.UUID, collected: datetime, hours: int) -> Specimen:
    made = Specimen.log_pickup(
        site_id=site_id,
        service_line=LINE,
        reference=f"ACC-{uuid.uuid4().hex[:8]}",
        collected_at=collected,
        now=NOW,
        meta=meta(),
    )
    run = uuid.uuid4()
    made.put_on_run(run_id=run, site_id=site_id, meta=meta())
    made.depart(run_id=run, at=collected + timedelta(minutes=10), now=NOW, meta=meta())
    made.deliver(
        run_id=run, at=collected + timedelta(minutes=50), lab="Quest", now=NOW, meta=meta()
    )
    made.receive_result(at=collected + timedelta(hours=hours - 1), now=NOW, meta=meta())
    made.release_result(
        clinician_id=uuid.uuid4(), at=collected + timedelta(hours=hours), now=NOW, meta=meta()
    )
    return made


def claim(site_id: uuid.UUID, submitted: date, amount: str, *steps: str) -> Claim:
    made = Claim.submit(
        site_id=site_id,
        service_line=LINE,
        payer="Blue Shield",
        claim_number=uuid.uuid4().hex[:10],
        billed_amount=Decimal(amount),
        service_date=submitted,
        submitted_on=submitted,
        today=NOW.date(),
        meta=meta(),
    )
    for step in steps:
        on = submitted + timedelta(days=3)
        if step == "accept":
            made.accept(on=on, today=NOW.date(), meta=meta())
        elif step == "deny":
            made.deny(on=on, reason_code="CO-16", today=NOW.date(), meta=meta())
        elif step == "appeal":
            made.appeal(on=on, reference="APL-1", today=NOW.date(), meta=meta())
        else:
            made.record_payment(on=on, amount=Decimal(amount), today=NOW.date(), meta=meta())
    return made


def report(pair: Pair, month: date) -> dict[str, Any]:
    closed = pair.mso.post(f"/performance-reports/{month:%Y-%m}/close", headers=ADMIN)
    assert closed.status_code == 201, closed.text
    body: dict[str, Any] = closed.json()
    return body


def test_forms_specimens_and_claims_feed_their_kpis(pair: Pair) -> None:
    month = months_ago(2)
    site = authorized_site(pair, "North Campus", (LINE,))
    site_id = uuid.UUID(site)
    start = at(month, 3, 9)
    # form turnaround, delivered in the month: 1, 2, 3 and 6 days -> median 2.5, p90 6,
    # 3 of 4 within the 3-day standard; a form requested but not delivered counts nowhere
    save(pair, *(form(site_id, start, start + timedelta(days=d)) for d in (1, 2, 3, 6)))
    save(pair, form(site_id, start, None))
    # results cycle, released in the month: 4, 10 and 30 hours -> median 10, p90 30
    save(pair, *(specimen(site_id, start, hours) for hours in (4, 10, 30)))
    # claims submitted in the month: paid, accepted then paid, denied (120.50) then
    # appealed and paid, accepted only -> responded 4, clean 3; adjudicated 3, denied 1
    save(
        pair,
        claim(site_id, month, "80.00", "pay"),
        claim(site_id, month, "95.00", "accept", "pay"),
        claim(site_id, month, "120.50", "deny", "appeal", "pay"),
        claim(site_id, month, "60.00", "accept"),
        claim(site_id, month, "70.00"),
    )
    body = report(pair, month)

    def value(name: str, line: str | None = None) -> tuple[Any, Any]:
        reading = kpi(body, site, name, line)
        return reading["value"], reading["sample_size"]

    assert value("form_turnaround_days_median") == ("2.50", 4)
    assert value("form_turnaround_days_p90", LINE) == ("6.00", 4)
    assert value("form_turnaround_within_target_share") == ("0.7500", 4)
    assert value("results_cycle_hours_median") == ("10.00", 3)
    assert value("results_cycle_hours_p90") == ("30.00", 3)
    assert value("clean_claim_rate") == ("0.7500", 4)
    assert value("initial_denial_rate") == ("0.3333", 3)
    assert value("initial_denial_amount") == ("120.50", 1)
    # open at the month's end: 60.00 + 70.00 of 425.50 billed in it -> 13000 * days / 42550
    expected = {28: "8.55", 29: "8.86", 30: "9.17", 31: "9.47"}[days_in(month)]
    assert value("days_in_ar") == (expected, days_in(month))

    before = read_models(pair, "mso_kpi_subjects", "mso_kpi_counts", "mso_kpi_durations")
    pair.mso_runtime.projections.rebuild()
    assert read_models(pair, "mso_kpi_subjects", "mso_kpi_counts", "mso_kpi_durations") == before


def test_the_readiness_checklist_feeds_expansion_readiness(pair: Pair) -> None:
    site = pair.mso.post(
        "/sites", json={"name": "West Clinic", "kind": "clinic", "address": "9 Elm"}, headers=ADMIN
    )
    site_id = site.json()["id"]
    assert pair.mso.post(f"/sites/{site_id}/readiness", headers=ADMIN).status_code == 200
    app = pair.mso_runtime.application
    for item, met in (("lease", True), ("equipment", True), ("it", False), ("lease", True)):
        app.site_lifecycle.record_checklist_evidence(
            uuid.UUID(site_id),
            item=item,
            met=met,
            document_ref="DOC-1" if met else None,
            note=None,
            expected_version=None,
            meta=meta(),
        )
    pair.sync()
    board = pair.mso.get("/dashboard", params={"site_id": site_id}, headers=ADMIN).json()
    reading = kpi(board, site_id, "expansion_readiness")
    assert (reading["value"], reading["sample_size"]) == ("0.2857", 7)  # 2 of 7 items met
