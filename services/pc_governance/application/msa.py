"""The PC's side of the MSA: fee schedule proposals and invoices from the MSO's feed, and
the PC's answers to them (published on this service's feed for the MSO to record)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Tracking

from mhg.aggregate_command import record_new, step
from mhg.errors import AlreadyExists
from mhg.meta import Meta
from services.pc_governance.application.capability import Capability
from services.pc_governance.domain.msa import FeeScheduleProposal, MsaInvoice
from services.pc_governance.domain.msa_errors import (
    FeeScheduleProposalNotFound,
    MsaInvoiceNotFound,
)


def answered_now() -> dict[str, datetime]:
    """The PC answers now, at the version the caller read."""
    return {"at": datetime.now(UTC)}


class MsaCommands(Capability):
    def receive_fee_schedule_proposal(
        self, *, schedule_version: int, meta: Meta, tracking: Tracking, **proposed: Any
    ) -> FeeScheduleProposal:
        """The version as the MSO proposed it: `proposed` is the message's other fields."""
        return record_new(
            self.store,
            FeeScheduleProposal(
                id=FeeScheduleProposal.create_id(schedule_version),
                schedule_version=schedule_version,
                meta=meta,
                **proposed,
            ),
            AlreadyExists(f"version {schedule_version} of the fee schedule is held already"),
            tracking,
        )

    def receive_msa_invoice(
        self,
        *,
        invoice_id: UUID,
        corrects_invoice_id: UUID | None,
        meta: Meta,
        tracking: Tracking,
        **issued: Any,
    ) -> MsaInvoice:
        """The invoice as issued; a correction supersedes the revision it names, if held."""
        if invoice_id in self.store.repository:
            raise AlreadyExists(f"invoice {invoice_id} is held already")
        invoice = MsaInvoice(
            id=invoice_id, corrects_invoice_id=corrects_invoice_id, meta=meta, **issued
        )
        corrected: MsaInvoice | None = None
        if corrects_invoice_id is not None and corrects_invoice_id in self.store.repository:
            corrected = self.msa_invoice(corrects_invoice_id)
            corrected.supersede(by=invoice_id, meta=meta)
        self.store.record(invoice, corrected, tracking=tracking)
        return invoice

    def msa_invoice(self, invoice_id: UUID) -> MsaInvoice:
        return self.store.load_as(
            MsaInvoice, invoice_id, MsaInvoiceNotFound, f"no invoice {invoice_id} has arrived"
        )

    def fee_schedule_proposal(self, schedule_version: int) -> FeeScheduleProposal:
        proposal = self.store.load(
            FeeScheduleProposal.create_id(schedule_version),
            FeeScheduleProposalNotFound,
            f"no version {schedule_version} of the fee schedule has arrived",
        )
        if not isinstance(proposal, FeeScheduleProposal):  # pragma: no cover - derived ids
            raise FeeScheduleProposalNotFound(f"no version {schedule_version}")
        return proposal

    answer_msa_invoice = step(msa_invoice, MsaInvoice.decide, answered_now)
    answer_fee_schedule_proposal = step(
        fee_schedule_proposal, FeeScheduleProposal.decide, answered_now
    )
