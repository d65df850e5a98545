"""The PC's side of the MSA: fee schedule proposals and invoices from the MSO's feed, and
the PC's answers to them (published on this service's feed for the MSO to record)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.persistence import Tracking

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
        self,
        *,
        schedule_version: int,
        effective_from: date,
        schedule_kind: str,
        terms: dict[str, Any],
        fmv_basis: dict[str, Any],
        proposed_at: datetime,
        meta: Meta,
        tracking: Tracking,
    ) -> FeeScheduleProposal:
        proposal_id = FeeScheduleProposal.create_id(schedule_version)
        if proposal_id in self.store.repository:
            raise AlreadyExists(f"version {schedule_version} of the fee schedule is held already")
        proposal = FeeScheduleProposal(
            id=proposal_id,
            schedule_version=schedule_version,
            effective_from=effective_from,
            schedule_kind=schedule_kind,
            terms=terms,
            fmv_basis=fmv_basis,
            proposed_at=proposed_at,
            meta=meta,
        )
        self.store.record(proposal, tracking=tracking)
        return proposal

    def receive_msa_invoice(
        self,
        *,
        invoice_id: UUID,
        month: date,
        revision: int,
        corrects_invoice_id: UUID | None,
        correction_reason: str | None,
        schedule_version: int,
        schedule_kind: str,
        terms: dict[str, Any],
        fmv_basis: dict[str, Any],
        payments: Decimal,
        refunds: Decimal,
        net_collections: Decimal,
        lines: list[dict[str, Any]],
        fee: Decimal,
        issued_at: datetime,
        meta: Meta,
        tracking: Tracking,
    ) -> MsaInvoice:
        """The invoice as issued; a correction supersedes the revision it names, if held."""
        if invoice_id in self.store.repository:
            raise AlreadyExists(f"invoice {invoice_id} is held already")
        invoice = MsaInvoice(
            id=invoice_id,
            month=month,
            revision=revision,
            corrects_invoice_id=corrects_invoice_id,
            correction_reason=correction_reason,
            schedule_version=schedule_version,
            schedule_kind=schedule_kind,
            terms=terms,
            fmv_basis=fmv_basis,
            payments=payments,
            refunds=refunds,
            net_collections=net_collections,
            lines=lines,
            fee=fee,
            issued_at=issued_at,
            meta=meta,
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
