"""The MSA management-fee invoice, major version 1.

MSO Operations issues the PC one invoice per month under the Management Services
Agreement, computed from the fee schedule version in force for the month and the
month's net collections only (never from referrals or their volume), and shows the
computation line by line. A correction is a new invoice, the next revision, that names
the invoice it corrects; an invoice is never edited. Amounts are decimal strings in
US dollars, to the cent.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar, Literal
from uuid import UUID

from pydantic import AwareDatetime, Field

from contracts.base import ContractMessage, ContractModel


@dataclass(frozen=True)
class MsaAnswer:
    """The PC's answer to a fee schedule version or an invoice revision, as each side keeps
    it: what the two `...answered` messages below carry besides what was answered."""

    answer: str
    reason: str | None
    decision_id: UUID
    answered_by: str
    answered_by_role: str
    answered_at: datetime


@dataclass(frozen=True)
class ScheduleBasis:
    """A fee schedule version as the messages name it: its number, kind, terms and
    fair-market-value basis (terms and basis as plain mappings)."""

    schedule_version: int
    schedule_kind: str
    terms: dict[str, Any]
    fmv_basis: dict[str, Any]


@dataclass(frozen=True)
class InvoiceContent(ScheduleBasis):
    """One revision of a month's invoice as each side keeps it: what `msa-fee-invoice.issued`
    carries besides the invoice's id and when it was issued (its lines as plain mappings)."""

    month: date
    revision: int
    corrects_invoice_id: UUID | None
    correction_reason: str | None
    payments: Decimal
    refunds: Decimal
    net_collections: Decimal
    lines: list[dict[str, Any]]
    fee: Decimal


FeeKind = Literal["fixed_monthly", "percentage_of_net_collections", "hybrid"]


class FeeTerms(ContractModel):
    """The schedule's terms; which are set depends on the kind."""

    monthly_amount: Decimal | None = None
    base_amount: Decimal | None = None
    percentage: Decimal | None = Field(default=None, description="Percent: 4.5 is 4.5 %")
    floor: Decimal | None = None
    cap: Decimal | None = None


class FairMarketValueBasis(ContractModel):
    assessed_by: str = Field(min_length=1, max_length=200)
    assessed_on: date
    document_ref: str = Field(min_length=1, max_length=200)


class InvoiceLine(ContractModel):
    code: str = Field(min_length=1, max_length=64)
    description: str = Field(max_length=500)
    amount: Decimal


class MsaFeeInvoiceIssuedV1(ContractMessage):
    TYPE: ClassVar[str] = "msa-fee-invoice.issued"
    VERSION: ClassVar[int] = 1

    invoice_id: UUID
    month: date = Field(description="The first day of the invoiced month")
    revision: int = Field(ge=1, description="1 for the month's invoice; a correction counts up")
    corrects_invoice_id: UUID | None = Field(
        default=None, description="The invoice this one corrects (and supersedes)"
    )
    correction_reason: str | None = Field(default=None, max_length=500)
    schedule_version: int = Field(ge=1)
    schedule_kind: FeeKind
    terms: FeeTerms
    fmv_basis: FairMarketValueBasis
    payments: Decimal
    refunds: Decimal
    net_collections: Decimal
    lines: tuple[InvoiceLine, ...] = Field(description="The fee's computation; sums to `fee`")
    fee: Decimal
    currency: Literal["USD"] = "USD"
    issued_at: AwareDatetime


class MsaFeeScheduleProposedV1(ContractMessage):
    """A version of the MSA fee schedule the MSO proposes; it takes effect only when the PC
    countersigns it (`msa-fee-schedule.answered`)."""

    TYPE: ClassVar[str] = "msa-fee-schedule.proposed"
    VERSION: ClassVar[int] = 1

    schedule_version: int = Field(ge=1)
    effective_from: date = Field(description="The first day of the month it would take effect")
    schedule_kind: FeeKind
    terms: FeeTerms
    fmv_basis: FairMarketValueBasis
    proposed_at: AwareDatetime


class MsaFeeScheduleAnsweredV1(ContractMessage):
    """The PC countersigns or declines a proposed fee schedule version."""

    TYPE: ClassVar[str] = "msa-fee-schedule.answered"
    VERSION: ClassVar[int] = 1

    schedule_version: int = Field(ge=1)
    effective_from: date
    answer: Literal["countersigned", "declined"]
    reason: str | None = Field(default=None, max_length=500, description="Why it was declined")
    decision_id: UUID = Field(description="The PC's decision, as its decision log names it")
    answered_by: str = Field(min_length=1, max_length=128)
    answered_by_role: str = Field(min_length=1, max_length=64)
    answered_at: AwareDatetime


class MsaFeeInvoiceAnsweredV1(ContractMessage):
    """The PC accepts or disputes (with a reason) one revision of a month's fee invoice."""

    TYPE: ClassVar[str] = "msa-fee-invoice.answered"
    VERSION: ClassVar[int] = 1

    invoice_id: UUID
    month: date
    revision: int = Field(ge=1)
    answer: Literal["accepted", "disputed"]
    reason: str | None = Field(
        default=None, max_length=500, description="Why it is disputed; a note when accepted"
    )
    decision_id: UUID
    answered_by: str = Field(min_length=1, max_length=128)
    answered_by_role: str = Field(min_length=1, max_length=64)
    answered_at: AwareDatetime
