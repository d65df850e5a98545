"""KPI feeds from the other MSO capabilities: forms, specimens, claims, readiness.

- form turnaround: a form's request received -> delivered, in the month delivered;
- results cycle: a specimen collected -> its result released, in the month released;
- clean-claim and initial-denial rates and amounts: each claim's first payer response
  and first adjudication (paid or denied), counted once, in the month it was submitted;
- expansion readiness: a site's items met of the go-live standard it is counted against
  (go_live_standard.py), and whether the PC approved its go-live, as a level from the
  month of each change (a new version of the standard is a change for every site);
- days in A/R: a site's open receivables as a level: a claim's billed amount from the
  month it was submitted until the month it was paid, whatever the order events arrive in.

The feeds from slots (third next available, site reliability) are in kpi_slots.py.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import MetaData, bindparam, select
from sqlalchemy.engine import Connection

from mhg.projection import Handler, batch_memo
from mhg.projection_rows import in_turn
from services.mso_ops.domain import kpi_catalogue as c
from services.mso_ops.domain.claim import Claim
from services.mso_ops.domain.form import Form
from services.mso_ops.domain.kpis import elapsed_seconds
from services.mso_ops.domain.readiness_standard import documented
from services.mso_ops.domain.site import Site
from services.mso_ops.domain.specimen import Specimen
from services.mso_ops.projections import go_live_standard
from services.mso_ops.projections.kpi_facts import SITE_WIDE, month_of
from services.mso_ops.projections.kpi_inputs import KpiInputs

Handlers = dict[type[Any], Handler]


def combined(*feeds: Handlers) -> Handlers:
    """Feeds together; where two handle one event, each runs, in the order given."""
    handlers: dict[type[Any], list[Handler]] = {}
    for feed in feeds:
        for topic, handler in feed.items():
            handlers.setdefault(topic, []).append(handler)

    return {
        topic: steps[0] if len(steps) == 1 else in_turn(*steps) for topic, steps in handlers.items()
    }


def _started(inputs: KpiInputs, started: str) -> Handler:
    def handle(conn: Connection, event: Any, _position: int) -> None:
        at = getattr(event, started)
        month = inputs.month_at(conn, event.site_id, at)
        inputs.register_subject(
            conn, event.originator_id, event.site_id, event.service_line, month, at
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
        Form.Requested: _started(inputs, "received_at"),
        Form.Delivered: _ended(inputs, c.FORM_TURNAROUND),
    }


def specimens(inputs: KpiInputs) -> Handlers:
    return {
        Specimen.PickupLogged: _started(inputs, "collected_at"),
        Specimen.ResultReleased: _ended(inputs, c.RESULTS_CYCLE),
    }


def claims(inputs: KpiInputs) -> Handlers:
    def submitted(conn: Connection, event: Any, _position: int) -> None:
        cents = int(event.billed_amount * 100)
        month = month_of(event.submitted_on)
        inputs.register_subject(
            conn, event.originator_id, event.site_id, event.service_line, month, cents=cents
        )
        place = (event.site_id, event.service_line, month)
        inputs.add_count(conn, c.CHARGES_BILLED_CENTS, place, cents)

    def answered(*, denied: bool, adjudication: bool) -> Handler:
        def handle(conn: Connection, event: Any, _position: int) -> None:
            claim = inputs.subject(conn, event.originator_id)
            if claim is None:  # pragma: no cover - every answer follows its submission
                return
            if inputs.mark(conn, claim, "responded"):
                inputs.add_count(conn, c.CLAIMS_RESPONDED, claim.key)
                if not denied:
                    inputs.add_count(conn, c.CLAIMS_CLEAN, claim.key)
            if adjudication and inputs.mark(conn, claim, "adjudicated"):
                inputs.add_count(conn, c.CLAIMS_ADJUDICATED, claim.key)
                if denied:
                    inputs.add_count(conn, c.CLAIMS_INITIALLY_DENIED, claim.key)
                    inputs.add_count(
                        conn, c.CLAIMS_INITIALLY_DENIED_CENTS, claim.key, claim.cents or 0
                    )

        return handle

    return {
        Claim.Submitted: submitted,
        Claim.Accepted: answered(denied=False, adjudication=False),
        Claim.Paid: answered(denied=False, adjudication=True),
        Claim.Denied: answered(denied=True, adjudication=True),
    }


def site_readiness(inputs: KpiInputs, metadata: MetaData) -> Handlers:
    checklist = metadata.tables["mso_kpi_checklist"]
    standards = metadata.tables["mso_kpi_go_live_standard"]
    k = checklist.c
    # Built once, run with values; a site's items are read once a batch and kept here.
    items_of = select(k.item, k.met, k.documented).where(k.site_id == bindparam("site"))
    drop_item = checklist.delete().where(
        k.site_id == bindparam("b_site_id"), k.item == bindparam("b_item")
    )
    new_item = checklist.insert()
    owner = (inputs, "checklist")  # the key of the batch memo the sites' items are kept under

    def items(conn: Connection, site_id: Any) -> dict[str, tuple[bool, bool]]:
        memo = batch_memo(conn, owner)
        known: dict[str, tuple[bool, bool]] | None = memo.get(site_id)
        if known is None:
            rows = conn.execute(items_of, {"site": site_id})
            known = memo[site_id] = {r.item: (bool(r.met), bool(r.documented)) for r in rows}
        return known

    def level(conn: Connection, site_id: Any, month: Any, approved: bool | None) -> None:
        # of the go-live standard counted (the PC's latest, or version 0's seven)
        standard = go_live_standard.counted(conn, standards)
        met = standard.met_count(items(conn, site_id))
        if approved is None:
            levels = inputs.recorded_levels
            before = levels.in_force(conn, c.READINESS_CHECKLIST, site_id, SITE_WIDE, month)
            approved = bool(before and before[2])
        inputs.record_level(
            conn,
            c.READINESS_CHECKLIST,
            (site_id, SITE_WIDE, month),
            met,
            len(standard.items),
            approved,
        )

    def evidence(conn: Connection, event: Any, _position: int) -> None:
        site_id, item = event.originator_id, event.item
        known = items(conn, site_id)
        on_document = documented(event.document_ref)
        conn.execute(drop_item, {"b_site_id": site_id, "b_item": item})
        conn.execute(
            new_item,
            {"site_id": site_id, "item": item, "met": event.met, "documented": on_document},
        )
        known[item] = (bool(event.met), on_document)
        level(conn, site_id, inputs.month_at(conn, site_id, event.recorded_at), None)

    def decided(approved: bool) -> Handler:
        def handle(conn: Connection, event: Any, _position: int) -> None:
            site_id = event.originator_id
            level(conn, site_id, inputs.month_at(conn, site_id, event.timestamp), approved)

        return handle

    def recount(conn: Connection, event: Any) -> None:
        """A new go-live version: each site with evidence, from the month (at the site) in
        which the PC approved it."""
        approved_at = event.facts["approved_at"]
        for site_id in conn.execute(select(k.site_id).distinct()).scalars().all():
            level(conn, site_id, inputs.month_at(conn, site_id, approved_at), None)

    return {
        **go_live_standard.handlers(standards, recount),
        Site.ChecklistEvidenceRecorded: evidence,
        Site.GoLiveApproved: decided(True),
        Site.GoLiveDenied: decided(False),
    }


def receivables(inputs: KpiInputs) -> Handlers:
    levels = inputs.recorded_levels

    def change(conn: Connection, site_id: UUID, on: Any, cents: int) -> None:
        """The site's open receivables change by `cents` from the month of `on` on."""
        month = month_of(on)
        before = levels.in_force(conn, c.AR_BALANCE_CENTS, site_id, SITE_WIDE, month)
        balance = (before[0] if before else 0) + cents
        inputs.record_level(conn, c.AR_BALANCE_CENTS, (site_id, SITE_WIDE, month), balance)
        # later months (an event dated earlier than others recorded before it)
        key = {"fact": c.AR_BALANCE_CENTS, "site_id": site_id, "service_line": SITE_WIDE}
        levels.add_to_later(conn, key, month, cents)

    def submitted(conn: Connection, event: Any, _position: int) -> None:
        change(conn, event.site_id, event.submitted_on, int(event.billed_amount * 100))

    def paid(conn: Connection, event: Any, _position: int) -> None:
        claim = inputs.subject(conn, event.originator_id)
        if claim is None:  # pragma: no cover - every payment follows its submission
            return
        change(conn, claim.site_id, event.on, -(claim.cents or 0))

    return {Claim.Submitted: submitted, Claim.Paid: paid}
