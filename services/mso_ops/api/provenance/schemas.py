"""Provenance answers of MSO Operations: a record, its PC decision, the message it came in."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from mhg.views import showing
from services.mso_ops.application.contract_provenance import ContractProvenance, SiteApproval
from services.mso_ops.application.provenance import ArrivedDecision, Chain

PC_PROVENANCE = "/provenance/authorizations/{authorization_id}"


class SignatureOut(BaseModel):
    """The PC's signature on the message, as kept by MSO Operations with what it caused."""

    model_config = ConfigDict(from_attributes=True)

    key_id: str = Field(description="The PC signing key", examples=["ed25519:3f2a9c0d1e4b5a67"])
    signature: str = Field(description="Base64 Ed25519 signature over the canonical envelope")
    digest: str = Field(description="SHA-256 (hex) of the canonical envelope signed")
    verified: bool = Field(
        description="Whether it holds now under the PC public keys this service trusts"
    )


class ArrivalOut(BaseModel):
    """A PC decision as MSO Operations recorded it, and the contract message that carried it."""

    model_config = ConfigDict(from_attributes=True)

    event: str = Field(
        description="The MSO event that recorded it", examples=["AuthorizationApproved"]
    )
    version: int = Field(description="The MSO record's version that event made")
    recorded_at: datetime
    authorization_id: UUID | None
    decision_id: UUID | None
    producer: str = Field(description="The service whose feed carried the message")
    position: int = Field(description="The message's position in that feed")
    message_id: str = Field(description="The contract message's id")
    signature: SignatureOut | None = Field(
        default=None,
        description="The PC's signature on that message (absent if none was kept with it)",
    )

    @classmethod
    def of(cls, arrived: ArrivedDecision | None) -> ArrivalOut | None:
        return None if arrived is None else cls.model_validate(arrived)


class ProvenanceOut(BaseModel):
    """Where an MSO record's authority comes from, up to the PC's answer to follow next."""

    kind: str = Field(examples=["appointment"])
    id: UUID
    version: int
    status: str
    site_id: UUID
    service_line: str | None
    authorization_id: UUID | None = Field(description="The PC authorization it runs under")
    decision_id: UUID | None = Field(description="The PC decision it carries")
    arrived_through: ArrivalOut | None = Field(
        description="The message through which the decision it carries arrived"
    )
    pc_provenance_path: str | None = Field(
        description="Ask PC Governance this path for the decision's basis",
        examples=["/provenance/authorizations/7d1e0c3a-1b2f-4c5d-9e8f-0a1b2c3d4e5f"],
    )
    decisions: list[ArrivalOut] = Field(
        description="Every PC decision recorded on it (for a booking: on its service line)"
    )
    service_lines: list[ProvenanceOut] = Field(
        description="For a site: each of its service lines, with its own chain"
    )

    @classmethod
    def of(cls, chain: Chain) -> ProvenanceOut:
        path = (
            PC_PROVENANCE.format(authorization_id=chain.authorization_id)
            if chain.authorization_id is not None
            else None
        )
        return showing(
            cls,
            chain,
            id=chain.record_id,
            arrived_through=ArrivalOut.of(chain.arrived_through),
            pc_provenance_path=path,
            decisions=[ArrivalOut.model_validate(d) for d in chain.decisions],
            service_lines=[cls.of(line) for line in chain.service_lines],
        )


class SiteApprovalOut(BaseModel):
    """The PC-approved material change a contract rests on at one site, and its decisions."""

    model_config = ConfigDict(from_attributes=True)

    site_id: UUID
    change_id: UUID = Field(description="The material change (its PC request's id)")
    aspect: str = Field(examples=["lab_vendor"])
    standing: str = Field(
        description="The change's standing now: approved, or superseded while a later "
        "approved change of its aspect is the site's term; suspended or revoked by the PC",
        examples=["approved"],
    )
    authorization_id: UUID = Field(description="The PC authorization the change became")
    decision_id: UUID = Field(description="The PC decision approving it, as the contract carries")
    arrived_through: ArrivalOut | None = Field(
        description="The message through which that decision arrived"
    )
    pc_provenance_path: str = Field(
        description="Ask PC Governance this path for the decision's basis",
        examples=["/provenance/authorizations/7d1e0c3a-1b2f-4c5d-9e8f-0a1b2c3d4e5f"],
    )
    decisions: list[ArrivalOut] = Field(description="Every PC decision recorded on the change")

    @classmethod
    def of(cls, approval: SiteApproval) -> SiteApprovalOut:
        return showing(
            cls,
            approval,
            arrived_through=ArrivalOut.of(approval.arrived_through),
            pc_provenance_path=PC_PROVENANCE.format(authorization_id=approval.authorization_id),
            decisions=[ArrivalOut.model_validate(d) for d in approval.decisions],
        )


class ContractProvenanceOut(BaseModel):
    """Where a vendor contract's authority comes from: per site, the PC approval it rests on."""

    kind: str = Field(examples=["vendor-contract"])
    id: UUID
    version: int
    status: str = Field(examples=["active"])
    supplies: str = Field(examples=["reference_lab"])
    pc_approval_status: str = Field(
        description="The worst standing of its approvals (not_required when it rests on none)",
        examples=["in_force"],
    )
    approvals: list[SiteApprovalOut] = Field(
        description="In the order of the sites it covers; none for a non-clinical supply"
    )

    @classmethod
    def of(cls, chain: ContractProvenance) -> ContractProvenanceOut:
        return showing(
            cls,
            chain,
            kind="vendor-contract",
            id=chain.contract_id,
            approvals=[SiteApprovalOut.of(a) for a in chain.approvals],
        )
