"""Request and response bodies of the MSA fee invoice and its corrections."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, Field, model_validator

from services.mso_ops.api.billing.claim_schemas import Amount
from services.mso_ops.api.billing.msa_fee_schemas import (
    FeeTermsOut,
    FmvBasisOut,
    Month,
    PcAnswerKind,
    PcAnswerOut,
)
from services.mso_ops.api.schemas import Reason, Strict
from services.mso_ops.domain.invoice import Invoice
from services.mso_ops.domain.msa_fee import from_cents


class InvoiceIn(Strict):
    month: Month


class CorrectionIn(Strict):
    reason: Reason = Field(examples=["payments recorded after issue"])


class InvoiceLineOut(BaseModel):
    code: str
    description: str
    amount: Amount


class InvoiceIssued(BaseModel):
    """What an invoice's answer and its list row both show: its month, revision and schedule."""

    id: UUID
    month: str
    revision: int
    status: str
    schedule_version: int
    schedule_kind: str


class InvoiceOut(InvoiceIssued):
    terms: FeeTermsOut
    fmv_basis: FmvBasisOut
    payments: Amount
    refunds: Amount
    net_collections: Amount
    lines: list[InvoiceLineOut] = Field(description="The fee's computation; they sum to `fee`")
    fee: Amount
    currency: Literal["USD"] = "USD"
    corrects_invoice_id: UUID | None
    correction_reason: str | None
    superseded_by: UUID | None
    issued_by: str
    issued_at: datetime
    pc_answer: PcAnswerOut | None = Field(description="The PC's acceptance or dispute, if any")
    version: int

    @classmethod
    def of(cls, invoice: Invoice) -> InvoiceOut:
        return cls(
            id=invoice.id,
            month=f"{invoice.month:%Y-%m}",
            revision=invoice.revision,
            status=invoice.status,
            schedule_version=invoice.schedule_version,
            schedule_kind=invoice.schedule_kind,
            terms=FeeTermsOut.model_validate(invoice.terms),
            fmv_basis=FmvBasisOut.model_validate(invoice.fmv_basis),
            payments=invoice.payments,
            refunds=invoice.refunds,
            net_collections=invoice.net_collections,
            lines=[InvoiceLineOut.model_validate(line) for line in invoice.lines],
            fee=invoice.fee,
            corrects_invoice_id=invoice.corrects_invoice_id,
            correction_reason=invoice.correction_reason,
            superseded_by=invoice.superseded_by,
            issued_by=invoice.issued_by,
            issued_at=invoice.created_on,
            pc_answer=PcAnswerOut.of(invoice.pc_answer),
            version=invoice.version,
        )


class InvoiceRow(InvoiceIssued):
    net_collections: Amount
    fee: Amount
    corrects_invoice_id: UUID | None
    superseded_by: UUID | None
    issued_by: str
    issued_at: datetime
    pc_answer: PcAnswerKind | None = Field(description="accepted or disputed by the PC, if so")
    pc_decision_id: UUID | None
    pc_answered_at: datetime | None

    @model_validator(mode="before")
    @classmethod
    def _of_row(cls, row: Any) -> Any:  # a read-model row: amounts in cents, a month's day
        if not isinstance(row, Mapping) or "fee_cents" not in row:
            return row
        return {
            **row,
            "month": f"{row['month']:%Y-%m}",
            "net_collections": from_cents(row["net_collections_cents"]),
            "fee": from_cents(row["fee_cents"]),
        }
