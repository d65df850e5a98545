"""Provenance answers of PC Governance: an authorization's decisions and what they rest on."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from mhg.provenance import Arrival, Publication
from services.pc_governance.api.schemas import read_off
from services.pc_governance.application.provenance import AuthorizationTrace, DecisionTrace


class FromAttributes(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class MessageOut(FromAttributes):
    """A contract message: the feed it is on, its position there (when known), its id."""

    producer: str
    message_id: str
    position: int | None = None
    message_type: str | None = None
    message_version: int | None = None


class MeetingBasisOut(FromAttributes):
    """The carried motion a decision rests on, the vote, and the minutes that record it."""

    meeting_id: UUID
    period: str
    meeting_status: str
    decision_id: UUID
    motion_id: UUID
    motion: str
    agenda_item_kind: str
    agenda_item_reference: str
    tally: dict[str, int] = Field(examples=[{"for": 3, "against": 0, "abstain": 1}])
    votes: dict[str, str]
    decided_at: datetime | None
    minutes_status: str = Field(description="not_drafted, draft or approved")
    minutes_approved_at: datetime | None
    minutes_amendments: int


class MedicalDirectorActOut(BaseModel):
    reference: str = Field(examples=["MD-ACT-2026-014"])
    acted_by: str
    acted_as: str | None
    acted_at: datetime


class BasisOut(BaseModel):
    kind: str = Field(examples=["meeting_decision"])
    reference: str
    resolved: bool = Field(
        description="Whether the reference was found: a logged meeting decision, or an MD's act"
    )
    meeting_decision: MeetingBasisOut | None
    medical_director_act: MedicalDirectorActOut | None


class ProtocolCitedOut(FromAttributes):
    """A protocol version an approval names, resolved when the reference names one."""

    reference: str = Field(examples=["sports-clearance v3"])
    protocol_id: UUID | None
    number: int | None
    title: str | None
    status: str | None
    effective_from: date | None
    ended_on: date | None


class DecisionProvenanceOut(BaseModel):
    decision_id: UUID
    decision: str = Field(examples=["approve"])
    decided_at: datetime
    decided_by: str
    version: int = Field(description="The authorization's version this decision made")
    basis: BasisOut
    protocol_versions: list[ProtocolCitedOut]
    published_as: MessageOut | None = Field(
        description="The message on this service's feed that carried the decision to the MSO"
    )

    @classmethod
    def of(cls, trace: DecisionTrace, published: Publication | None) -> DecisionProvenanceOut:
        kind = trace.basis.get("kind", "")
        act = None
        if kind == "medical_director_act":
            act = MedicalDirectorActOut(
                reference=trace.basis.get("reference", ""),
                acted_by=trace.decided_by,
                acted_as=trace.decided_as,
                acted_at=trace.decided_at,
            )
        return read_off(
            trace,
            cls,
            version=trace.event.originator_version,
            basis=BasisOut(
                kind=kind,
                reference=trace.basis.get("reference", ""),
                resolved=trace.meeting is not None or act is not None,
                meeting_decision=(
                    MeetingBasisOut.model_validate(trace.meeting) if trace.meeting else None
                ),
                medical_director_act=act,
            ),
            protocol_versions=[ProtocolCitedOut.model_validate(p) for p in trace.protocols],
            published_as=(
                MessageOut(
                    producer=published.producer,
                    message_id=str(published.message_id),
                    message_type=published.message_type,
                    message_version=published.message_version,
                )
                if published
                else None
            ),
        )


class AuthorizationProvenanceOut(BaseModel):
    """An authorization: the request it answers, and every decision on it with its basis."""

    authorization_id: UUID
    request_id: UUID
    kind: str
    site_id: UUID
    service_line: str | None
    status: str
    requested_through: MessageOut | None = Field(
        description="The MSO message through which the request arrived"
    )
    decisions: list[DecisionProvenanceOut]

    @classmethod
    def of(
        cls, trace: AuthorizationTrace, published: list[Publication | None]
    ) -> AuthorizationProvenanceOut:
        a = trace.authorization
        return read_off(
            a,
            cls,
            authorization_id=a.id,
            requested_through=_arrived(trace.requested_through),
            decisions=[
                DecisionProvenanceOut.of(d, p)
                for d, p in zip(trace.decisions, published, strict=True)
            ],
        )


def _arrived(arrived: Arrival | None) -> MessageOut | None:
    if arrived is None:
        return None
    return MessageOut(
        producer=arrived.producer, message_id=arrived.message_id, position=arrived.position
    )
