"""The MSA as the PC sees it: the MSO's fee schedule versions and invoices, with the PC's
answers, for lists and filters (amounts in cents): VERSIONS and INVOICES."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    ColumnElement,
    Date,
    Integer,
    MetaData,
    String,
    Table,
    Uuid,
)
from sqlalchemy.engine import Connection

from mhg.columns import UTCDateTime
from mhg.listing import Selection, at_least, at_most, equals, matching
from mhg.projection import Projection
from mhg.projection_rows import MOMENT, from_event, insert_on, set_on_row, update_row
from mhg.read_models import aggregate_columns
from services.pc_governance.domain.msa import ISSUED, SUPERSEDED, FeeScheduleProposal, MsaInvoice

PROPOSED = "proposed"


def cents(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())


def define(metadata: MetaData) -> None:
    Table(
        "pc_fee_schedule_versions",
        metadata,
        *aggregate_columns(),
        Column("schedule_version", Integer, nullable=False, unique=True),
        Column("effective_from", Date, nullable=False, index=True),
        Column("schedule_kind", String(40), nullable=False),
        Column("proposed_at", UTCDateTime, nullable=False),
        Column("status", String(20), nullable=False, index=True),
        Column("decision_id", Uuid),
        Column("answered_by", String(128)),
        Column("answered_at", UTCDateTime),
    )
    Table(
        "pc_msa_invoices",
        metadata,
        *aggregate_columns(),
        Column("month", Date, nullable=False, index=True),
        Column("revision", Integer, nullable=False),
        Column("status", String(20), nullable=False, index=True),
        Column("schedule_version", Integer, nullable=False),
        Column("schedule_kind", String(40), nullable=False),
        Column("net_collections_cents", BigInteger, nullable=False),
        Column("fee_cents", BigInteger, nullable=False),
        Column("corrects_invoice_id", Uuid),
        Column("superseded_by", Uuid),
        Column("issued_at", UTCDateTime, nullable=False),
        Column("received_at", UTCDateTime, nullable=False),
        Column("answer", String(20), index=True),
        Column("decision_id", Uuid),
        Column("answered_by", String(128)),
        Column("answered_at", UTCDateTime),
    )


def _answer(event: Any) -> dict[str, Any]:
    return {
        "decision_id": event.decision_id,
        "answered_by": event.meta.actor_id,
        "answered_at": event.answered_at,
    }


def projection(metadata: MetaData) -> Projection:
    versions = metadata.tables["pc_fee_schedule_versions"]
    invoices = metadata.tables["pc_msa_invoices"]

    proposed = insert_on(
        versions,
        *("schedule_version", "effective_from", "schedule_kind", "proposed_at"),
        status=PROPOSED,
    )

    def version_answered(conn: Connection, event: Any, _position: int) -> None:
        update_row(conn, versions, event, status=event.answer, **_answer(event))

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

    def invoice_answered(conn: Connection, event: Any, _position: int) -> None:
        update_row(conn, invoices, event, answer=event.answer, **_answer(event))

    return Projection(
        name="pc_msa",
        tables=[versions, invoices],
        handlers={
            FeeScheduleProposal.Received: proposed,
            FeeScheduleProposal.Answered: version_answered,
            MsaInvoice.Received: received,
            MsaInvoice.Superseded: set_on_row(
                invoices, status=SUPERSEDED, superseded_by=from_event("superseded_by")
            ),
            MsaInvoice.Answered: invoice_answered,
        },
    )


VERSIONS = Selection("pc_fee_schedule_versions", status=equals(), effective_from=at_least())


def _month(value: str) -> date:
    return date.fromisoformat(f"{value}-01")


def _answered(table: Table, answer: str) -> ColumnElement[bool]:
    """`none`: not answered yet."""
    return table.c.answer.is_(None) if answer == "none" else table.c.answer == answer


INVOICES = Selection(
    "pc_msa_invoices",
    status=equals(),
    answer=matching(_answered),
    month_from=at_least("month", _month),
    month_to=at_most("month", _month),
)
