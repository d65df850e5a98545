"""The MSA fee schedule's versions and the fee invoices, with the PC's answers (cents)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, Column, Date, Integer, MetaData, String, Table, Uuid
from sqlalchemy.engine import Connection

from mhg.columns import UTCDateTime
from mhg.listing import (
    Selection,
    equal_columns,
    equals,
    equals_or_unset,
    month_start,
    span,
    through,
)
from mhg.projection import Projection
from mhg.projection_rows import ACTOR, MOMENT, from_event, insert_on, set_on_row, set_where
from mhg.read_models import log_position, msa_invoice_columns, required, required_indexed
from services.mso_ops.domain.fee_schedule import FeeSchedule
from services.mso_ops.domain.fee_schedule_answer import PROPOSED, FeeScheduleAnswer
from services.mso_ops.domain.invoice import ISSUED, SUPERSEDED, Invoice
from services.mso_ops.domain.msa_fee import to_cents
from services.mso_ops.projections.column_groups import row_status


def _pc_answer() -> tuple[Column[Any], Column[Any]]:
    """The PC's answer to a version or an invoice, as `PC_ANSWERED` sets it."""
    return Column("pc_decision_id", Uuid), Column("pc_answered_at", UTCDateTime)


PC_ANSWERED = {
    "pc_decision_id": from_event("decision_id"),
    "pc_answered_at": from_event("answered_at"),
}


def define(metadata: MetaData) -> None:
    Table(
        "mso_fee_schedule_versions",
        metadata,
        Column("version", Integer, primary_key=True),
        log_position(),
        *required_indexed(effective_from=Date, kind=String(40)),
        Column("monthly_amount_cents", BigInteger),
        Column("base_amount_cents", BigInteger),
        Column("percentage", String(16)),
        Column("floor_cents", BigInteger),
        Column("cap_cents", BigInteger),
        *required(
            fmv_assessed_by=String(200),
            fmv_assessed_on=Date,
            fmv_document_ref=String(200),
            recorded_by=String(128),
            recorded_at=UTCDateTime,
        ),
        row_status(),
        *_pc_answer(),
    )
    Table(
        "mso_invoices",
        metadata,
        *msa_invoice_columns(),
        *required(issued_by=String(128), issued_at=UTCDateTime),
        Column("pc_answer", String(20), index=True),
        *_pc_answer(),
    )


INVOICES = Selection(
    "mso_invoices",
    status=equals(),
    pc_answer=equals_or_unset(),
    **through("month", "month", month_start),
)

VERSIONS = Selection(
    "mso_fee_schedule_versions",
    **equal_columns("kind", "status"),
    **span("effective", "effective_from"),
)


def _cents(terms: dict[str, Any], name: str) -> int | None:
    return to_cents(terms[name]) if name in terms else None


def projection(metadata: MetaData) -> Projection:
    versions = metadata.tables["mso_fee_schedule_versions"]
    invoices = metadata.tables["mso_invoices"]

    def version_added(conn: Connection, event: Any, position: int) -> None:
        terms = event.terms
        percentage = terms.get("percentage")
        conn.execute(
            versions.insert().values(
                version=event.number,
                position=position,
                effective_from=event.effective_from,
                kind=event.kind,
                monthly_amount_cents=_cents(terms, "monthly_amount"),
                base_amount_cents=_cents(terms, "base_amount"),
                percentage=None if percentage is None else str(percentage),
                floor_cents=_cents(terms, "floor"),
                cap_cents=_cents(terms, "cap"),
                fmv_assessed_by=event.fmv["assessed_by"],
                fmv_assessed_on=event.fmv["assessed_on"],
                fmv_document_ref=event.fmv["document_ref"],
                recorded_by=event.meta.actor_id,
                recorded_at=event.timestamp,
                status=PROPOSED,
            )
        )

    issued = insert_on(
        invoices,
        *("month", "revision", "schedule_version", "schedule_kind", "corrects_invoice_id"),
        status=ISSUED,
        net_collections_cents=from_event("net_collections", to_cents),
        fee_cents=from_event("fee", to_cents),
        issued_by=ACTOR,
        issued_at=MOMENT,
    )

    # The PC answers a version by its number.
    version_answered = set_where(
        versions, "version", "schedule_version", status=from_event("answer"), **PC_ANSWERED
    )

    return Projection(
        name="mso_msa_fees",
        tables=[versions, invoices],
        handlers={
            FeeSchedule.VersionAdded: version_added,
            Invoice.Issued: issued,
            Invoice.Superseded: set_on_row(
                invoices, status=SUPERSEDED, superseded_by=from_event("superseded_by")
            ),
            Invoice.PcAnswered: set_on_row(invoices, pc_answer=from_event("answer"), **PC_ANSWERED),
            FeeScheduleAnswer.Recorded: version_answered,
        },
    )
