"""Request and response bodies of the governance meeting API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal, get_args
from uuid import UUID

from pydantic import BaseModel, Field
from typing_extensions import TypeAliasType

from mhg.bounded import Instant, Line, Month, Prose
from services.pc_governance.api.schemas import Strict, read_off, with_example
from services.pc_governance.domain import meeting_records
from services.pc_governance.domain.meeting import Meeting

Period = Month
PersonId = Annotated[str, Line(100, min_length=1)]
Name = Annotated[str, Line(200, min_length=1)]
Title = Annotated[str, Line(500, min_length=1)]
MotionText = Annotated[str, Prose(4000, min_length=1)]
Note = Annotated[str, Prose(2000, min_length=1)]
MinutesText = Annotated[str, Prose(100_000, min_length=1)]
AgendaSource = meeting_records.AgendaSource  # the open items an agenda is assembled from
AgendaKind = TypeAliasType("AgendaKind", meeting_records.AgendaKind)
MinutesStatus = TypeAliasType("MinutesStatus", Literal["draft", "approved"])
AttendeeRole = Literal[
    "medical_director", "physician", "app", "pc_quality", "mso_representative", "guest"
]
MeetingStatus = Literal["scheduled", "in_session", "adjourned", "closed"]


class QuorumIn(Strict):
    min_present: int = Field(default=3, ge=1, le=100, description="PC members present, at least")
    medical_director_required: bool = True


class MeetingIn(Strict):
    period: Period = Field(examples=["2026-11"])
    scheduled_for: Instant
    quorum: QuorumIn = Field(default_factory=QuorumIn)

    def arguments(self) -> dict[str, object]:
        """What scheduling the meeting takes: the quorum's rule by its parts."""
        return {
            "period": self.period,
            "scheduled_for": self.scheduled_for,
            "min_present": self.quorum.min_present,
            "medical_director_required": self.quorum.medical_director_required,
        }


class StepIn(Strict):
    model_config = with_example(at="2026-11-18T18:02:00-08:00")
    at: Instant = Field(description="When it happened (called to order, adjourned, ...)")


class AttendanceIn(Strict):
    person_id: PersonId = Field(examples=["clin-0042"])
    name: Name
    role: AttendeeRole
    present: bool


class AgendaItemIn(Strict):
    model_config = with_example(
        kind="authorization_request",
        reference="9c2e4b1a-5d3f-4e6a-8b7c-1d2e3f4a5b6c",
        title="Sports clearance service line at the Eastside HS site",
    )
    kind: AgendaKind
    reference: Name = Field(description="The id of what the item is about")
    title: Title


class AssembleIn(Strict):
    sources: list[AgendaSource] = Field(
        min_length=1,
        max_length=10,
        description=(
            "Which open-item sources to assemble from: pending authorization requests, "
            "visit-template drafts awaiting approval, corrective actions due, overdue or "
            "awaiting verification, "
            "protocols due for review, credentials expired or inside the 90/60/30-day alerts, "
            "serious quality findings without a corrective action, and the latest MSO "
            "performance report with its unfavourable variances; the open coverage gaps of the MSO's "
            "clinical shifts (since a month before the meeting), and each APP's months whose charts "
            "reviewed fall short of the supervision rules' chart-review share"
        ),
        examples=[list(get_args(AgendaSource))],
    )


class QuorumOut(BaseModel):
    min_present: int
    medical_director_required: bool


class AttendeeOut(BaseModel):
    person_id: str
    name: str
    role: str
    present: bool


class AgendaItemOut(BaseModel):
    item_id: UUID
    kind: str
    reference: str
    title: str
    source: str
    disposition: str | None
    decision_id: UUID | None
    deferred_to: str | None
    note: str | None


class MotionRecord(BaseModel):
    # a motion as the meeting records it (the audit packet's too); no docstring, which
    # would become the description of every schema built on it
    motion_id: UUID
    item_id: UUID
    text: str
    moved_by: str
    votes: dict[str, str]
    tally: dict[str, int]
    outcome: str | None
    decision_id: UUID | None
    decided_at: datetime | None


class MotionOut(MotionRecord):
    subject: dict[str, str] | None = Field(description="What it decides: kind and id")


class AmendmentOut(BaseModel):
    amendment_id: UUID
    amends: UUID
    text: str
    reason: str
    amended_at: datetime
    amended_by: str


class MinutesRecord(BaseModel):
    # the minutes as the meeting records them, but for their amendments
    minutes_id: UUID
    status: MinutesStatus
    text: str
    revision: int
    drafted_by: str
    approved_by: str | None
    approved_at: datetime | None


class MinutesOut(MinutesRecord):
    amendments: list[AmendmentOut]


class MeetingOut(BaseModel):
    id: UUID
    period: str
    scheduled_for: datetime
    chair: str
    status: str
    quorum: QuorumOut
    has_quorum: bool
    attendance: list[AttendeeOut]
    agenda: list[AgendaItemOut]
    motions: list[MotionOut]
    minutes: MinutesOut | None
    opened_at: datetime | None
    adjourned_at: datetime | None
    closed_at: datetime | None
    version: int

    @classmethod
    def of(cls, m: Meeting) -> MeetingOut:
        minutes = m.minutes
        return read_off(
            m,
            cls,
            attendance=list(m.attendees.values()),
            motions=[
                read_off(
                    x,
                    MotionOut,
                    tally=x.tally(),
                    subject=x.subject.as_dict() if x.subject else None,
                )
                for x in m.motions
            ],
            minutes=None
            if minutes is None
            else read_off(minutes, MinutesOut, status="approved" if minutes.approved else "draft"),
        )


class MeetingRow(BaseModel):
    id: UUID
    period: str
    scheduled_for: datetime
    chair: str
    status: str
    opened_at: datetime | None
    adjourned_at: datetime | None
    closed_at: datetime | None
