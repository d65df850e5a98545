"""Request and response bodies of the PC's side of the MSA: fee schedule versions the MSO
proposes, the invoices it issues, and the PC's answers to both."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, Field, model_validator
from typing_extensions import TypeAliasType

from mhg.bounded import MAX_MONEY, Day, DecimalText, Line
from services.pc_governance.api.schemas import Strict, read_off
from services.pc_governance.domain.msa import Answer, FeeScheduleProposal, MsaInvoice

AnswerReason = Annotated[str, Line(500)]

FeeScheduleVersionStatus = TypeAliasType(
    "FeeScheduleVersionStatus", Literal["proposed", "countersigned", "declined"]
)
InvoiceStatus = TypeAliasType("InvoiceStatus", Literal["issued", "superseded"])


class DisputeIn(Strict):
    reason: AnswerReason = Field(examples=["Refunds dated in February are missing"])


class AcceptIn(Strict):
    fee: Annotated[
        Decimal,
        Field(ge=0, lt=MAX_MONEY, max_digits=14, decimal_places=2),
        DecimalText(9, 2),
    ] = Field(
        description="The fee accepted: it must be the one this revision charges",
        examples=["12000.00"],
    )
    note: AnswerReason | None = Field(
        default=None,
        description="Optional, kept with the answer",
        examples=["Matches the collections ledger"],
    )


class DeclineIn(Strict):
    reason: AnswerReason = Field(examples=["The FMV opinion predates the new service lines"])


class CountersignIn(Strict):
    effective_from: Day = Field(
        description="The day the version takes effect: it must be the one proposed",
        examples=["2027-01-01"],
    )
    note: AnswerReason | None = Field(default=None, examples=["FMV opinion reviewed"])


class AnswerOut(BaseModel):
    answer: str = Field(description="countersigned|declined for a version, accepted|disputed")
    reason: str | None = Field(description="Why declined or disputed; a note otherwise")
    decision_id: UUID
    answered_by: str
    answered_by_role: str
    answered_at: datetime

    @classmethod
    def of(cls, answer: Answer | None) -> AnswerOut | None:
        return None if answer is None else cls.model_validate(answer, from_attributes=True)


class FeeScheduleVersionOut(BaseModel):
    schedule_version: int
    effective_from: date
    schedule_kind: str
    terms: dict[str, Decimal]
    fmv_basis: dict[str, Any]
    proposed_at: datetime
    status: FeeScheduleVersionStatus
    answer: AnswerOut | None
    version: int

    @classmethod
    def of(cls, proposal: FeeScheduleProposal) -> FeeScheduleVersionOut:
        answer = proposal.answer
        return read_off(proposal, cls, status="proposed" if answer is None else answer.answer)


class FeeScheduleVersionRow(BaseModel):
    schedule_version: int
    effective_from: date
    schedule_kind: str
    proposed_at: datetime
    status: str
    decision_id: UUID | None
    answered_by: str | None
    answered_at: datetime | None


class InvoiceLineOut(BaseModel):
    code: str
    description: str
    amount: Decimal


class MsaInvoiceOut(BaseModel):
    """An invoice as the MSO issued it, with its computation and what the PC can check."""

    id: UUID
    month: str
    revision: int
    status: InvoiceStatus
    corrects_invoice_id: UUID | None
    correction_reason: str | None
    superseded_by: UUID | None
    schedule_version: int
    schedule_kind: str
    terms: dict[str, Decimal]
    fmv_basis: dict[str, Any]
    payments: Decimal
    refunds: Decimal
    net_collections: Decimal
    lines: list[InvoiceLineOut] = Field(description="The fee's computation, line by line")
    fee: Decimal
    currency: Literal["USD"] = "USD"
    checks: dict[str, bool] = Field(
        description="Whether net collections are payments less refunds, and the lines sum to fee"
    )
    issued_at: datetime
    answer: AnswerOut | None
    version: int

    @classmethod
    def of(cls, invoice: MsaInvoice) -> MsaInvoiceOut:
        return read_off(
            invoice, cls, month=f"{invoice.month:%Y-%m}", checks=invoice.computation_checks
        )


class MsaInvoiceRow(BaseModel):
    id: UUID
    month: str
    revision: int
    status: str
    schedule_version: int
    schedule_kind: str
    net_collections: Decimal
    fee: Decimal
    corrects_invoice_id: UUID | None
    superseded_by: UUID | None
    issued_at: datetime
    received_at: datetime
    answer: str | None
    decision_id: UUID | None
    answered_by: str | None
    answered_at: datetime | None

    @model_validator(mode="before")
    @classmethod
    def _from_stored(cls, row: Any) -> Any:
        """The read model keeps the month as its first day and amounts in cents."""
        if not (isinstance(row, dict) and "fee_cents" in row):
            return row
        return {
            **row,
            "month": f"{row['month']:%Y-%m}",
            "net_collections": Decimal(row["net_collections_cents"]).scaleb(-2),
            "fee": Decimal(row["fee_cents"]).scaleb(-2),
        }
