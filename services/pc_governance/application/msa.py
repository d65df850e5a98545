"""The PC's side of the MSA: fee schedule proposals and invoices from the MSO's feed, and
the PC's answers to them (published on this service's feed for the MSO to record)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.persistence import Tracking

from mhg.aggregate_command import record_new
from mhg.errors import AlreadyExists
from mhg.meta import Meta
from services.pc_governance.application.capability import Capability
from services.pc_governance.domain.msa import FeeScheduleProposal, MsaInvoice
from services.pc_governance.domain.msa_errors import (
    FeeScheduleProposalNotFound,
    MsaInvoiceNotFound,
)

Answered = TypeVar("Answered", FeeScheduleProposal, MsaInvoice)


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

    def answer_msa_invoice(
        self,
        invoice_id: UUID,
        *,
        accept: bool,
        reason: str | None,
        decision_id: UUID,
        expected_version: int | None,
        meta: Meta,
        fee: Decimal | None = None,
    ) -> MsaInvoice:
        invoice = self.msa_invoice(invoice_id)
        return self._answer(
            invoice,
            expected_version,
            lambda at: invoice.decide(
                accept=accept, reason=reason, decision_id=decision_id, at=at, meta=meta, fee=fee
            ),
        )

    def answer_fee_schedule_proposal(
        self,
        schedule_version: int,
        *,
        countersign: bool,
        reason: str | None,
        decision_id: UUID,
        expected_version: int | None,
        meta: Meta,
        effective_from: date | None = None,
    ) -> FeeScheduleProposal:
        proposal = self.fee_schedule_proposal(schedule_version)
        return self._answer(
            proposal,
            expected_version,
            lambda at: proposal.decide(
                countersign=countersign,
                reason=reason,
                decision_id=decision_id,
                at=at,
                meta=meta,
                effective_from=effective_from,
            ),
        )

    def _answer(
        self, subject: Answered, expected_version: int | None, decide: Callable[[datetime], None]
    ) -> Answered:
        """The PC answers `subject` now, at the version the caller read."""
        return self.store.change(subject, expected_version, lambda _: decide(datetime.now(UTC)))
