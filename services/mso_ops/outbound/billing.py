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
from mhg.event_fields import MOMENT, ORIGINATOR, from_event, translated


def _lines(lines: Any) -> tuple[InvoiceLine, ...]:
    return tuple(InvoiceLine.model_validate(line) for line in lines)


TERMS = from_event("terms", FeeTerms.model_validate)

invoice_issued = translated(
    MsaFeeInvoiceIssuedV1,
    *("month", "revision", "corrects_invoice_id", "correction_reason"),
    *("schedule_version", "schedule_kind", "payments", "refunds", "net_collections", "fee"),
    invoice_id=ORIGINATOR,
    terms=TERMS,
    fmv_basis=from_event("fmv_basis", FairMarketValueBasis.model_validate),
    lines=from_event("lines", _lines),
    issued_at=MOMENT,
)
"""An invoice, or a correction of one (it names the invoice it corrects)."""

fee_schedule_proposed = translated(
    MsaFeeScheduleProposedV1,
    "effective_from",
    schedule_version=from_event("number"),
    schedule_kind=from_event("kind"),
    terms=TERMS,
    fmv_basis=from_event("fmv", FairMarketValueBasis.model_validate),
    proposed_at=MOMENT,
)
"""A version of the fee schedule, for the PC to countersign or decline."""
