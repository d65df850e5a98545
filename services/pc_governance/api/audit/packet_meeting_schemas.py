"""The meetings and the decision log in the audit packet's JSON body."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, Field

from services.pc_governance.api.meetings.schemas import (
    AmendmentOut,
    AttendeeOut,
    MinutesRecord,
    MotionRecord,
)


class PacketActor(BaseModel):
    id: str
    role: str
    org: str


class PacketQuorum(BaseModel):
    min_present: int
    medical_director_required: bool
    met: bool


class PacketAttendee(AttendeeOut):
    pass


class PacketAgendaItem(BaseModel):
    item_id: UUID
    kind: str = Field(description="The source the item came from")
    reference: str = Field(description="The id of the source item")
    title: str
    source: str = Field(description="assembled from open items, or manual")
    disposition: str | None
    decision_id: UUID | None
    deferred_to: str | None
    note: str | None


class PacketMotion(MotionRecord):
    pass


class PacketAmendment(AmendmentOut):
    pass


class PacketMinutes(MinutesRecord):
    amendments: list[PacketAmendment]


class PacketMeeting(BaseModel):
    id: UUID
    period: str
    scheduled_for: datetime
    status: str = Field(description="As it stood at the end of the period")
    chair: str
    quorum: PacketQuorum
    attendance: list[PacketAttendee]
    agenda: list[PacketAgendaItem]
    motions: list[PacketMotion]
    minutes: PacketMinutes | None
    opened_at: datetime | None
    adjourned_at: datetime | None
    closed_at: datetime | None


class PacketDecision(BaseModel):
    decision_id: UUID
    meeting_id: UUID
    meeting_period: str
    text: str
    agenda_item_kind: str
    agenda_item_reference: str
    decided_at: datetime
    tally: dict[str, int]
    recorded_by: PacketActor
