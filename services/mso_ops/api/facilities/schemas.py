"""Request and response bodies of vendors, contracts and facility incidents (downtime: downtime_schemas.py)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, Field
from typing_extensions import TypeAliasType

from mhg.bounded import Day, Instant, Line, Prose
from mhg.views import View, showing
from services.mso_ops.api.schemas import Reason, Strict, example
from services.mso_ops.application.vendor_contracts import ContractStanding
from services.mso_ops.domain import facility
from services.mso_ops.domain.vendor import NonClinicalSupply

IncidentCategory = TypeAliasType("IncidentCategory", facility.IncidentCategory)
Name = Annotated[str, Line(200, min_length=1)]
VendorSupply = TypeAliasType(
    "VendorSupply",
    Literal[
        NonClinicalSupply,
        "reference_lab",
        "clinical_supplies",
        "clinical_equipment",
        "pharmacy",
    ],
)
FacilityText = Annotated[str, Prose(2000, min_length=1)]


class VendorIn(Strict):
    name: Name = Field(examples=["Bay Area Janitorial Co."])
    contact: Name = Field(
        description="A business contact: a name, phone or e-mail",
        examples=["ops@bayjanitorial.com"],
    )


class VendorOut(View):
    id: UUID
    name: str
    contact: str
    version: int


class VendorRow(BaseModel):
    id: UUID
    name: str
    contact: str
    registered_at: datetime


class ContractIn(Strict):
    vendor_id: UUID
    supplies: VendorSupply = Field(
        description="What the vendor supplies. A reference lab or a clinical supply "
        "(clinical_supplies, clinical_equipment, pharmacy) is a material change the PC "
        "approves: it is recorded only on the approved changes named in `site_change_ids`"
    )
    description: Annotated[str, Prose(2000, min_length=0)] = Field(
        default="", examples=["Nightly cleaning of exam rooms and waiting area"]
    )
    term_start: Day
    term_end: Day
    renewal_date: Day = Field(description="When the contract must be renewed or given notice")
    site_ids: list[UUID] = Field(default_factory=list, max_length=100)
    site_change_ids: list[UUID] = Field(
        default_factory=list,
        max_length=100,
        description="For a clinical supply only: one PC-approved material change per site "
        "in `site_ids`, at that site, of aspect lab_vendor (for reference_lab) or "
        "clinical_supplies (for the others). A change not approved now is refused with 409 "
        "pc-approval-not-in-force; one that does not fit with 422 "
        "clinical-supply-needs-pc-approval",
    )


class RenewIn(Strict):
    model_config = example({"term_end": "2028-12-31", "renewal_date": "2028-10-01"})
    term_end: Day
    renewal_date: Day


class TerminateIn(Strict):
    model_config = example(
        {
            "last_day": "2027-03-31",
            "reason": "Replaced after repeated missed nightly cleanings",
        }
    )
    last_day: Day
    reason: Reason


PcApprovalFilter = Literal[
    "not_required", "in_force", "superseded", "suspended", "revoked", "not_in_force"
]
APPROVAL_STATUS = Field(
    description="not_required for a non-clinical supply; otherwise the standing of the PC "
    "approvals the contract rests on, the worst of them (worst first): revoked, suspended, "
    "superseded (still approved, but a later approved change of the same aspect is the "
    "site's operating term now), in_force"
)


class PcApprovalOut(BaseModel):
    """A PC-approved material change a clinical-supply contract rests on, as signed."""

    change_id: UUID
    site_id: UUID
    aspect: str
    authorization_id: UUID
    decision_id: UUID = Field(description="The PC decision that approved the change")


class ContractTerms(BaseModel):
    """What a vendor contract's answer and its list row both show: who, what, the term."""

    id: UUID
    vendor_id: UUID
    vendor_name: str
    supplies: str
    description: str
    term_start: date
    term_end: date
    renewal_date: date


class ContractOut(ContractTerms):
    site_ids: list[UUID]
    status: str
    pc_approvals: list[PcApprovalOut]
    pc_approval_status: str = APPROVAL_STATUS
    version: int

    @classmethod
    def of(cls, standing: ContractStanding) -> ContractOut:
        c = standing.contract
        return showing(
            cls,
            c,
            pc_approvals=[PcApprovalOut.model_validate(a) for a in c.pc_approvals],
            pc_approval_status=standing.pc_approval_status,
        )


class ContractRow(ContractTerms):
    status: str
    pc_approval_status: str = APPROVAL_STATUS


class IncidentIn(Strict):
    site_id: UUID
    occurred_at: Instant
    category: IncidentCategory
    description: FacilityText = Field(
        description="What happened to the facility; never patient information",
        examples=["Power out in the east wing; exam rooms 2-4 dark"],
    )


class ResolveIn(Strict):
    resolved_at: Instant
    resolution: FacilityText = Field(examples=["Breaker replaced by building services"])


class IncidentOut(View):
    id: UUID
    site_id: UUID
    occurred_at: datetime
    category: str
    description: str
    status: str
    resolved_at: datetime | None
    resolution: str | None
    version: int


class IncidentRow(BaseModel):
    id: UUID
    site_id: UUID
    day: date
    occurred_at: datetime
    category: str
    description: str
    status: str
    resolved_at: datetime | None
