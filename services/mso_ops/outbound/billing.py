"""The contract messages of billing administration: fee schedule proposals and invoices."""

from __future__ import annotations

from typing import Any

from contracts.v1.msa_fee import (
    FairMarketValueBasis,
    FeeTerms,
    InvoiceLine,
    MsaFeeInvoiceIssuedV1,
    MsaFeeScheduleProposedV1,
)


def invoice_issued(event: Any) -> MsaFeeInvoiceIssuedV1:
    """An invoice, or a correction of one (it names the invoice it corrects)."""
    return MsaFeeInvoiceIssuedV1(
        invoice_id=event.originator_id,
        month=event.month,
        revision=event.revision,
        corrects_invoice_id=event.corrects_invoice_id,
        correction_reason=event.correction_reason,
        schedule_version=event.schedule_version,
        schedule_kind=event.schedule_kind,
        terms=FeeTerms.model_validate(event.terms),
        fmv_basis=FairMarketValueBasis.model_validate(event.fmv_basis),
        payments=event.payments,
        refunds=event.refunds,
        net_collections=event.net_collections,
        lines=tuple(InvoiceLine.model_validate(line) for line in event.lines),
        fee=event.fee,
        issued_at=event.timestamp,
    )


def fee_schedule_proposed(event: Any) -> MsaFeeScheduleProposedV1:
    """A version of the fee schedule, for the PC to countersign or decline."""
    return MsaFeeScheduleProposedV1(
        schedule_version=event.number,
        effective_from=event.effective_from,
        schedule_kind=event.kind,
        terms=FeeTerms.model_validate(event.terms),
        fmv_basis=FairMarketValueBasis.model_validate(event.fmv),
        proposed_at=event.timestamp,
    )
