"""The audit packet's JSON body: a period's governance record, with the seal that proves it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, Field

from services.pc_governance.api.audit.packet_meeting_schemas import (
    PacketActor,
    PacketDecision,
    PacketMeeting,
)
from services.pc_governance.api.audit.packet_template_schemas import PacketVisitTemplateVersion
from services.pc_governance.api.audit.readiness_schemas import ReadinessFigures
from services.pc_governance.api.clinicians.schemas import CredentialTerms
from services.pc_governance.api.schemas import AuthorizationRecord


class PacketPeriod(BaseModel):
    from_: date = Field(alias="from", serialization_alias="from")
    to: date


class PacketCoverage(BaseModel):
    recorded_before: datetime = Field(description="Events recorded before this moment are in")
    through_position: int = Field(description="The last log position the packet covers")
    events: int = Field(description="How many events of the log the packet was built from")


class PacketEvidence(BaseModel):
    text: str
    document_ref: str | None
    party: str
    added_by: str
    added_at: datetime


class PacketVerification(BaseModel):
    effective: bool
    note: str
    verified_by: str
    verified_at: datetime


class PacketCorrectiveAction(BaseModel):
    id: UUID
    title: str
    description: str
    owner: str
    assignee: str | None
    source: dict[str, str] | None
    opened_at: datetime
    opened_by: str
    due_on: date
    status: str
    overdue_at_period_end: bool
    completed_at: datetime | None
    evidence: list[PacketEvidence]
    verifications: list[PacketVerification] = Field(
        description="The outcome: effective or reopened"
    )


class PacketAuthorizationEvent(BaseModel):
    event: str = Field(examples=["requested", "approved", "suspended"])
    recorded_at: datetime
    position: int
    actor: PacketActor
    decision_id: UUID | None = None
    decided_at: datetime | None = None
    effective_date: date | None = None
    basis: dict[str, str] | None = None
    reason: str | None = None
    conditions: list[str] | None = None
    protocol_refs: list[str] | None = None


class PacketAuthorization(AuthorizationRecord):
    requested_at: datetime
    status: str
    effective_date: date | None
    history: list[PacketAuthorizationEvent]


class PacketProtocolVersion(BaseModel):
    protocol_id: UUID
    title: str
    type: str
    service_lines: list[str]
    site_ids: list[UUID] | None
    version: int
    status: str
    effective_from: date
    ended_on: date | None
    approved_by: str | None
    approved_at: datetime | None
    review_due: date | None
    body_sha256: str = Field(description="SHA-256 of the version's text, to match a copy")


class PacketCredentialId(BaseModel):
    credential_id: UUID


class PacketCredential(CredentialTerms, PacketCredentialId):
    lapsed_by_period_end: bool
    verified_on: date | None
    verified_by: str | None


class PacketClinician(BaseModel):
    id: UUID
    npi: str
    name: str
    role: str
    status: str
    eligibility_reason: str
    credentials: list[PacketCredential]


class PacketSeal(BaseModel):
    """A chain head at the packet's last position: save it, `mhg audit verify --against` it."""

    service: str
    position: int
    link: str
    sealed_at: str
    algorithm: str | None = None
    public_key: str | None = None
    signature: str | None = None


class AuditPacket(BaseModel):
    service: str
    period: PacketPeriod
    period_closed: bool = Field(description="false while the period has not ended yet")
    covers: PacketCoverage
    meetings: list[PacketMeeting]
    decision_log: list[PacketDecision]
    corrective_actions: list[PacketCorrectiveAction]
    authorizations: list[PacketAuthorization]
    protocol_versions: list[PacketProtocolVersion]
    visit_template_versions: list[PacketVisitTemplateVersion] = Field(
        description="Every visit-template version in force on some day of the period"
    )
    clinicians: list[PacketClinician]
    audit_readiness: ReadinessFigures = Field(
        description="Audit readiness as of the period's last day, from the log as it stood then"
    )
    seal: PacketSeal | None
    seal_note: str | None = Field(description="Why there is no seal, when there is none")
    generated_at: datetime

    def body(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True, exclude_none=False)
