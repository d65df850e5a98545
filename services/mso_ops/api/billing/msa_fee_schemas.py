"""Request and response bodies of the MSA fee schedule (its invoices: invoice_schemas.py)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, model_validator
from typing_extensions import TypeAliasType

from mhg.bounded import MAX_MONEY, Day, DecimalText
from mhg.bounded import Month as CalendarMonth
from mhg.views import showing
from services.mso_ops.api.billing.claim_schemas import Amount
from services.mso_ops.api.schemas import Strict, Text, example
from services.mso_ops.domain.fee_schedule import FeeSchedule, ScheduleVersion
from services.mso_ops.domain.fee_schedule_answer import PROPOSED, FeeScheduleAnswer
from services.mso_ops.domain.invoice import PcAnswer
from services.mso_ops.domain.msa_fee import from_cents

FeeKind = TypeAliasType(
    "FeeKind", Literal["fixed_monthly", "percentage_of_net_collections", "hybrid"]
)
InvoiceStatus = TypeAliasType("InvoiceStatus", Literal["issued", "superseded"])
FeeScheduleVersionStatus = TypeAliasType(
    "FeeScheduleVersionStatus", Literal["proposed", "countersigned", "declined"]
)
PcAnswerKind = Literal["accepted", "disputed"]
Term = Annotated[
    Decimal, Field(ge=0, lt=MAX_MONEY, max_digits=12, decimal_places=2), DecimalText(9, 2)
]
Rate = Annotated[Decimal, Field(gt=0, le=100, max_digits=7, decimal_places=4), DecimalText(3, 4)]


Month = Annotated[
    CalendarMonth,
    Field(description="A calendar month, YYYY-MM", examples=["2027-01"]),
]


class FeeTermsIn(BaseModel):
    """The terms a kind takes. Any other term is refused: one that counts referrals,
    referral volume, patients, visits or orders with `referral-based-fee-term`, any
    other with `invalid-fee-schedule` (both 422)."""

    model_config = ConfigDict(extra="allow")

    monthly_amount: Term | None = Field(default=None, description="fixed_monthly: the fee")
    base_amount: Term | None = Field(default=None, description="hybrid: the base fee")
    percentage: Rate | None = Field(
        default=None, description="Percent of net collections (5.5 is 5.5 %)"
    )
    floor: Term | None = Field(default=None, description="hybrid: the least fee (optional)")
    cap: Term | None = Field(default=None, description="hybrid: the most fee (optional)")


class FmvBasisIn(Strict):
    assessed_by: Text = Field(examples=["Valuation Partners LLC"])
    assessed_on: Day = Field(description="On or before today and the effective Day")
    document_ref: Text = Field(examples=["FMV-2026-11 opinion letter"])


class FeeScheduleVersionIn(Strict):
    model_config = example(
        {
            "effective_from": "2027-01-01",
            "kind": "hybrid",
            "terms": {
                "base_amount": "10000.00",
                "percentage": "4.5",
                "floor": "12000.00",
                "cap": "30000.00",
            },
            "fmv_basis": {
                "assessed_by": "Valuation Partners LLC",
                "assessed_on": "2026-11-02",
                "document_ref": "FMV-2026-11 opinion letter",
            },
        }
    )

    effective_from: Day = Field(
        description="The first day of a month, after every earlier version and invoiced month"
    )
    kind: FeeKind
    terms: FeeTermsIn
    fmv_basis: FmvBasisIn


class FeeTermsOut(BaseModel):
    monthly_amount: Amount | None = None
    base_amount: Amount | None = None
    percentage: Decimal | None = None
    floor: Amount | None = None
    cap: Amount | None = None


class FmvBasisOut(BaseModel):
    assessed_by: str
    assessed_on: date
    document_ref: str


class PcAnswerOut(BaseModel):
    """The PC's answer as it arrived through its feed: what, why, by whom, which decision."""

    answer: str = Field(description="countersigned|declined (a version), accepted|disputed")
    reason: str | None
    decision_id: UUID
    answered_by: str
    answered_by_role: str
    answered_at: datetime

    @classmethod
    def of(cls, answer: PcAnswer | FeeScheduleAnswer | None) -> PcAnswerOut | None:
        if answer is None:
            return None
        return showing(cls, answer)


class FeeScheduleVersionOut(BaseModel):
    number: int
    effective_from: date
    kind: str
    terms: FeeTermsOut
    fmv_basis: FmvBasisOut
    recorded_by: str
    status: FeeScheduleVersionStatus = Field(
        description="proposed until the PC countersigns (used for invoices) or declines it"
    )
    pc_answer: PcAnswerOut | None

    @classmethod
    def of(
        cls, version: ScheduleVersion, answer: FeeScheduleAnswer | None = None
    ) -> FeeScheduleVersionOut:
        return showing(
            cls,
            version,
            terms=FeeTermsOut.model_validate(version.terms.as_dict()),
            fmv_basis=FmvBasisOut.model_validate(version.fmv.as_dict()),
            status=PROPOSED if answer is None else answer.answer,
            pc_answer=PcAnswerOut.of(answer),
        )


class AddedVersionOut(FeeScheduleVersionOut):
    """A version just added, with the schedule's version (for If-Match on the next one)."""

    version: int

    @classmethod
    def on(cls, schedule: FeeSchedule, version: ScheduleVersion) -> AddedVersionOut:
        return cls(version=schedule.version, **FeeScheduleVersionOut.of(version).model_dump())


class FeeScheduleOut(BaseModel):
    versions: list[FeeScheduleVersionOut]
    version: int

    @classmethod
    def of(cls, schedule: FeeSchedule, answers: dict[int, FeeScheduleAnswer]) -> FeeScheduleOut:
        return cls(
            versions=[
                FeeScheduleVersionOut.of(v, answers.get(v.number)) for v in schedule.versions
            ],
            version=schedule.version,
        )


class FeeScheduleVersionRow(BaseModel):
    number: int
    effective_from: date
    kind: str
    monthly_amount: Amount | None
    base_amount: Amount | None
    percentage: Decimal | None
    floor: Amount | None
    cap: Amount | None
    fmv_assessed_by: str
    fmv_assessed_on: date
    fmv_document_ref: str
    recorded_by: str
    recorded_at: datetime
    status: FeeScheduleVersionStatus
    pc_decision_id: UUID | None
    pc_answered_at: datetime | None

    @model_validator(mode="before")
    @classmethod
    def _of_row(cls, row: Any) -> Any:  # a read-model row: amounts in cents, `version`
        if not isinstance(row, Mapping) or "version" not in row:
            return row
        money = {
            name: None if row[f"{name}_cents"] is None else from_cents(row[f"{name}_cents"])
            for name in ("monthly_amount", "base_amount", "floor", "cap")
        }
        return {**row, **money, "number": row["version"]}
