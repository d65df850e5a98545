"""The MSA as the PC sees it: the MSO's fee schedule versions and invoices, with the PC's
answers, for lists and filters (amounts in cents): VERSIONS and INVOICES."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import Column, Date, Integer, MetaData, String, Table, Uuid

from mhg.columns import UTCDateTime
from mhg.listing import Selection, at_least, equals, equals_or_unset, month_start, through
from mhg.projection import Projection
from mhg.projection_rows import ACTOR, MOMENT, from_event, insert_on, set_on_row
from mhg.read_models import aggregate_columns, msa_invoice_columns, required
from services.pc_governance.domain.msa import ISSUED, SUPERSEDED, FeeScheduleProposal, MsaInvoice

PROPOSED = "proposed"


def cents(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())


def _answer_columns() -> tuple[Column[Any], Column[Any], Column[Any]]:
    """The PC's answer to a version or an invoice, as `ANSWERED` sets it."""
    return (
        Column("decision_id", Uuid),
        Column("answered_by", String(128)),
        Column("answered_at", UTCDateTime),
    )


ANSWERED = {
    "decision_id": from_event("decision_id"),
    "answered_by": ACTOR,
    "answered_at": from_event("answered_at"),
}


def define(metadata: MetaData) -> None:
    Table(
        "pc_fee_schedule_versions",
        metadata,
        *aggregate_columns(),
        Column("schedule_version", Integer, nullable=False, unique=True),
        Column("effective_from", Date, nullable=False, index=True),
        *required(schedule_kind=String(40), proposed_at=UTCDateTime),
        Column("status", String(20), nullable=False, index=True),
        *_answer_columns(),
    )
    Table(
        "pc_msa_invoices",
        metadata,
        *msa_invoice_columns(),
        *required(issued_at=UTCDateTime, received_at=UTCDateTime),
        Column("answer", String(20), index=True),
        *_answer_columns(),
    )


def projection(metadata: MetaData) -> Projection:
    versions = metadata.tables["pc_fee_schedule_versions"]
    invoices = metadata.tables["pc_msa_invoices"]

    proposed = insert_on(
        versions,
        *("schedule_version", "effective_from", "schedule_kind", "proposed_at"),
        status=PROPOSED,
    )

    # The invoice as the MSO issued it, amounts in cents, and when it arrived.
    received = insert_on(
        invoices,
        *("month", "revision", "schedule_version", "schedule_kind"),
        *("corrects_invoice_id", "issued_at"),
        net_collections_cents=from_event("net_collections", cents),
        fee_cents=from_event("fee", cents),
        status=ISSUED,
        received_at=MOMENT,
    )

    return Projection(
        name="pc_msa",
        tables=[versions, invoices],
        handlers={
            FeeScheduleProposal.Received: proposed,
            FeeScheduleProposal.Answered: set_on_row(
                versions, status=from_event("answer"), **ANSWERED
            ),
            MsaInvoice.Received: received,
            MsaInvoice.Superseded: set_on_row(
                invoices, status=SUPERSEDED, superseded_by=from_event("superseded_by")
            ),
            MsaInvoice.Answered: set_on_row(invoices, answer=from_event("answer"), **ANSWERED),
        },
    )


VERSIONS = Selection("pc_fee_schedule_versions", status=equals(), effective_from=at_least())


INVOICES = Selection(
    "pc_msa_invoices",
    status=equals(),
    answer=equals_or_unset(),
    **through("month", "month", month_start),
)
