"""The meetings and the decision log in the audit packet's JSON body."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, Field


class PacketActor(BaseModel):
    id: str
    role: str
    org: str


class PacketQuorum(BaseModel):
    min_present: int
    medical_director_required: bool
    met: bool


class PacketAttendee(BaseModel):
    person_id: str
    name: str
    role: str
    present: bool


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


class PacketMotion(BaseModel):
    motion_id: UUID
    item_id: UUID
    text: str
    moved_by: str
    votes: dict[str, str]
    tally: dict[str, int]
    outcome: str | None
    decision_id: UUID | None
    decided_at: datetime | None


class PacketAmendment(BaseModel):
    amendment_id: UUID
    amends: UUID
    text: str
    reason: str
    amended_at: datetime
    amended_by: str


class PacketMinutes(BaseModel):
    minutes_id: UUID
    status: Literal["draft", "approved"]
    text: str
    revision: int
    drafted_by: str
    approved_by: str | None
    approved_at: datetime | None
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
