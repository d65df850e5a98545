"""KPI feeds from the other MSO capabilities: forms, specimens, claims, site readiness.

- form turnaround: a form's request received -> delivered, in the month delivered;
- results cycle: a specimen collected -> its result released, in the month released;
- clean-claim and initial-denial rates and amounts: each claim's first payer response
  and first adjudication (paid or denied), counted once, in the month it was submitted;
- expansion readiness: a site's checklist items met (of all items), and whether the PC
  approved its go-live, as a level from the month of each change.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import MetaData, func, select
from sqlalchemy.engine import Connection

from mhg.projection import Handler
from services.mso_ops.domain import kpi_catalogue as c
from services.mso_ops.domain.claim import Claim
from services.mso_ops.domain.form import Form
from services.mso_ops.domain.kpis import elapsed_seconds
from services.mso_ops.domain.site import Site
from services.mso_ops.domain.site_readiness import CHECKLIST_ITEMS
from services.mso_ops.domain.specimen import Specimen
from services.mso_ops.projections.kpi_facts import SITE_WIDE, month_of
from services.mso_ops.projections.kpi_inputs import KpiInputs

Handlers = dict[type[Any], Handler]


def _started(inputs: KpiInputs, started: str) -> Handler:
    def handle(conn: Connection, event: Any, _position: int) -> None:
        at = getattr(event, started)
        inputs.register_subject(
            conn, event.originator_id, event.site_id, event.service_line, month_of(at), at
        )

    return handle


def _ended(inputs: KpiInputs, fact: str) -> Handler:
    def handle(conn: Connection, event: Any, _position: int) -> None:
        subject = inputs.subject(conn, event.originator_id)
        if subject is None or subject.started_at is None:  # pragma: no cover - always started
            return
        seconds = elapsed_seconds(subject.started_at, event.at)
        inputs.record_duration(
            conn, fact, subject.id, subject.site_id, subject.service_line, event.at, seconds
        )

    return handle


def forms(inputs: KpiInputs) -> Handlers:
    return {
        Form.Requested: _started(inputs, "received_at"),  # type: ignore[attr-defined]
        Form.Delivered: _ended(inputs, c.FORM_TURNAROUND),  # type: ignore[attr-defined]
    }


def specimens(inputs: KpiInputs) -> Handlers:
    return {
        Specimen.PickupLogged: _started(inputs, "collected_at"),  # type: ignore[attr-defined]
        Specimen.ResultReleased: _ended(inputs, c.RESULTS_CYCLE),  # type: ignore[attr-defined]
    }


def claims(inputs: KpiInputs) -> Handlers:
    def submitted(conn: Connection, event: Any, _position: int) -> None:
        cents = int(event.billed_amount * 100)
        month = month_of(event.submitted_on)
        inputs.register_subject(
            conn, event.originator_id, event.site_id, event.service_line, month, cents=cents
        )
        inputs.add_count(
            conn, c.CHARGES_BILLED_CENTS, event.site_id, event.service_line, month, cents
        )

    def answered(*, denied: bool, adjudication: bool) -> Handler:
        def handle(conn: Connection, event: Any, _position: int) -> None:
            claim = inputs.subject(conn, event.originator_id)
            if claim is None:  # pragma: no cover - every answer follows its submission
                return
            if inputs.mark(conn, claim, "responded"):
                inputs.add_count(conn, c.CLAIMS_RESPONDED, *claim.key)
                if not denied:
                    inputs.add_count(conn, c.CLAIMS_CLEAN, *claim.key)
            if adjudication and inputs.mark(conn, claim, "adjudicated"):
                inputs.add_count(conn, c.CLAIMS_ADJUDICATED, *claim.key)
                if denied:
                    inputs.add_count(conn, c.CLAIMS_INITIALLY_DENIED, *claim.key)
                    inputs.add_count(
                        conn, c.CLAIMS_INITIALLY_DENIED_CENTS, *claim.key, claim.cents or 0
                    )

        return handle

    return {
        Claim.Submitted: submitted,  # type: ignore[attr-defined]
        Claim.Accepted: answered(denied=False, adjudication=False),  # type: ignore[attr-defined]
        Claim.Paid: answered(denied=False, adjudication=True),  # type: ignore[attr-defined]
        Claim.Denied: answered(denied=True, adjudication=True),  # type: ignore[attr-defined]
    }


def site_readiness(inputs: KpiInputs, metadata: MetaData) -> Handlers:
    checklist = metadata.tables["mso_kpi_checklist"]

    def level(conn: Connection, site_id: Any, month: Any, approved: bool | None) -> None:
        met = conn.execute(
            select(func.count()).where(checklist.c.site_id == site_id, checklist.c.met)
        ).scalar_one()
        if approved is None:
            before = inputs.latest_level(conn, c.READINESS_CHECKLIST, site_id, SITE_WIDE, month)
            approved = bool(before and before[2])
        inputs.record_level(
            conn,
            c.READINESS_CHECKLIST,
            site_id,
            SITE_WIDE,
            month,
            met,
            len(CHECKLIST_ITEMS),
            approved,
        )

    def evidence(conn: Connection, event: Any, _position: int) -> None:
        key = (checklist.c.site_id == event.originator_id, checklist.c.item == event.item)
        conn.execute(checklist.delete().where(*key))
        conn.execute(
            checklist.insert().values(site_id=event.originator_id, item=event.item, met=event.met)
        )
        level(conn, event.originator_id, month_of(event.recorded_at), None)

    def decided(approved: bool) -> Handler:
        def handle(conn: Connection, event: Any, _position: int) -> None:
            level(conn, event.originator_id, month_of(event.timestamp), approved)

        return handle

    return {
        Site.ChecklistEvidenceRecorded: evidence,  # type: ignore[attr-defined]
        Site.GoLiveApproved: decided(True),  # type: ignore[attr-defined]
        Site.GoLiveDenied: decided(False),  # type: ignore[attr-defined]
    }
