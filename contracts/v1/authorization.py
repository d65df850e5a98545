"""Authorization messages, major version 1.

MSO Operations requests an authorization; PC Governance decides on it.
"""

from datetime import date
from decimal import Decimal
from typing import Annotated, ClassVar, Literal
from uuid import UUID

from pydantic import AwareDatetime, Field

from contracts.base import ContractMessage, ContractModel

AuthorizationKind = Literal["service_line", "site_go_live", "material_change"]

ServiceLine = Annotated[str, Field(max_length=64)]
Reason = Annotated[str, Field(min_length=1, max_length=2000)]
Condition = Annotated[str, Field(max_length=1000)]
ProtocolRef = Annotated[str, Field(max_length=200)]


class ChecklistItem(ContractModel):
    item: str = Field(min_length=1, max_length=200)
    met: bool
    evidence: str | None = Field(default=None, max_length=2000)
    # Optional since 2026-11-24 (within v1): who recorded the evidence, when, on what.
    recorded_by: str | None = Field(default=None, max_length=200)
    recorded_at: AwareDatetime | None = None
    document_ref: str | None = Field(default=None, max_length=200)
    note: str | None = Field(default=None, max_length=2000)


class ProFormaLine(ContractModel):
    service_line: ServiceLine
    monthly_visits: int = Field(ge=0)
    revenue_per_visit: Decimal
    variable_cost_per_visit: Decimal


class ProForma(ContractModel):
    """A candidate site's expected demand, revenue and costs, with what the MSO computed.

    Amounts are decimal strings in dollars; the margin is per month at the expected demand.
    """

    lines: list[ProFormaLine] = Field(max_length=50)
    fixed_monthly_cost: Decimal
    startup_cost: Decimal
    monthly_revenue: Decimal
    monthly_variable_cost: Decimal
    monthly_margin: Decimal
    payback_months: int | None = Field(
        description="Whole months to repay the start-up cost; null when the margin never does"
    )


class JudgedAgainst(ContractModel):
    """The readiness standard version a request was judged against (0: the MSO's built-in
    checklist, used until the PC approves a standard of that kind)."""

    standard_id: UUID | None = Field(description="The PC's standard; null for version 0")
    version: int = Field(ge=0)
    items: list[str] = Field(
        default_factory=list, max_length=50, description="The keys of its checklist items"
    )


class ReadinessEvidence(ContractModel):
    summary: str = Field(max_length=4000)
    checklist: list[ChecklistItem] = Field(default_factory=list, max_length=100)
    # Optional since 2026-11-24 (within v1): a site go-live request carries its pro forma.
    pro_forma: ProForma | None = None
    # Optional since 2026-12-07 (within v1): the readiness standard the request met.
    standard: JudgedAgainst | None = None


MaterialChangeAspect = Literal["hours", "staffing_model", "lab_vendor", "clinical_supplies"]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
ClockTime = Annotated[str, Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$", max_length=5)]
ClinicianRole = Literal["physician", "medical_director", "np", "pa"]


class Opening(ContractModel):
    """A weekday's window the site opens, HH:MM in its local time."""

    weekday: Weekday
    opens: ClockTime
    closes: ClockTime


class OperatingTerm(ContractModel):
    """A proposed term as structure: the hours (openings) of a change of aspect `hours`,
    or the staffing model (most clinicians a session, the roles that may staff it) of a
    change of aspect `staffing_model`; the other fields are null."""

    openings: list[Opening] | None = Field(default=None, max_length=50)
    max_clinicians_per_session: int | None = Field(default=None, ge=1, le=20)
    clinician_roles: list[ClinicianRole] | None = Field(default=None, max_length=4)


class MaterialChange(ContractModel):
    """What a material-change request would change at the site: the PC approves it or not."""

    aspect: MaterialChangeAspect
    proposed: str = Field(min_length=1, max_length=2000)
    previous: str | None = Field(default=None, max_length=2000)
    description: str = Field(max_length=4000)
    # Optional since 2026-12-08 (within v1): the proposed term as structure, for aspects
    # hours and staffing_model when the MSO gave one; what the site is held to if approved.
    operating_term: OperatingTerm | None = None


class DecisionBasis(ContractModel):
    """The governance act a decision rests on."""

    kind: Literal["meeting_decision", "medical_director_act"]
    reference: str = Field(min_length=1, max_length=200)


class AuthorizationRequestedV1(ContractMessage):
    TYPE: ClassVar[str] = "authorization.requested"
    VERSION: ClassVar[int] = 1

    request_id: UUID
    kind: AuthorizationKind
    site_id: UUID
    site_name: str = Field(min_length=1, max_length=200)
    service_line: ServiceLine | None = None
    readiness: ReadinessEvidence
    requested_at: AwareDatetime
    # Optional since 2026-11-24 (within v1): set on every request of kind material_change.
    change: MaterialChange | None = None


class _AuthorizationDecision(ContractMessage):
    authorization_id: UUID
    request_id: UUID
    decision_id: UUID
    site_id: UUID
    service_line: ServiceLine | None = None


class AuthorizationApprovedV1(_AuthorizationDecision):
    TYPE: ClassVar[str] = "authorization.approved"
    VERSION: ClassVar[int] = 1

    conditions: list[Condition] = Field(default_factory=list, max_length=50)
    protocol_refs: list[ProtocolRef] = Field(default_factory=list, max_length=50)
    effective_date: date
    basis: DecisionBasis
    decided_at: AwareDatetime


class _AdverseDecision(_AuthorizationDecision):
    reason: Reason
    basis: DecisionBasis
    decided_at: AwareDatetime


class AuthorizationDeniedV1(_AdverseDecision):
    TYPE: ClassVar[str] = "authorization.denied"
    VERSION: ClassVar[int] = 1


class AuthorizationSuspendedV1(_AdverseDecision):
    TYPE: ClassVar[str] = "authorization.suspended"
    VERSION: ClassVar[int] = 1


class AuthorizationRevokedV1(_AdverseDecision):
    TYPE: ClassVar[str] = "authorization.revoked"
    VERSION: ClassVar[int] = 1


class AuthorizationReinstatedV1(_AuthorizationDecision):
    """A suspension lifted: the approval, its conditions and protocols hold again."""

    TYPE: ClassVar[str] = "authorization.reinstated"
    VERSION: ClassVar[int] = 1

    reason: Reason
    basis: DecisionBasis
    decided_at: AwareDatetime
