"""Inside a governance meeting: dispositions, motions and votes, minutes; the decision log."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter

from mhg.declared import listed
from mhg.listing import Listing
from mhg.meta import Meta
from services.pc_governance.api.dependencies import MeetingChair, MeetingMember, PcReader
from services.pc_governance.api.meetings.command import MeetingChanges
from services.pc_governance.api.meetings.motion_schemas import (
    AmendmentIn,
    ApproveMinutesIn,
    DecisionRow,
    DispositionIn,
    MinutesIn,
    MotionIn,
    VoteIn,
)
from services.pc_governance.api.meetings.schemas import AgendaKind, Period, StepIn
from services.pc_governance.domain.decision_subject import subject
from services.pc_governance.domain.meeting import Meeting
from services.pc_governance.projections import meetings as read_side

router = APIRouter(tags=["governance meetings"])
changes = MeetingChanges(router)

DECISIONS = Listing(read_side.DECISIONS, DecisionRow)


@changes.route(
    "/meetings/{meeting_id}/agenda/{item_id}/disposition",
    "dispositionMeetingAgendaItem",
    MeetingMember,
)
def disposition_item(meeting: Meeting, item_id: UUID, body: DispositionIn, meta: Meta) -> None:
    """Record an agenda item as decided (by a carried motion), deferred or noted"""
    meeting.disposition(item_id, **body.model_dump(), meta=meta)


@changes.route("/meetings/{meeting_id}/motions", "moveMeetingMotion", MeetingMember)
def move_motion(meeting: Meeting, body: MotionIn, meta: Meta) -> None:
    """Record a motion on an agenda item, moved by a PC member present"""
    meeting.move_motion(
        item_id=body.agenda_item_id,
        text=body.text,
        moved_by=body.moved_by,
        meta=meta,
        subject=subject(body.subject.kind, body.subject.id) if body.subject else None,
    )


@changes.route("/meetings/{meeting_id}/motions/{motion_id}/votes", "castMeetingVote", MeetingMember)
def cast_vote(meeting: Meeting, motion_id: UUID, body: VoteIn, meta: Meta) -> None:
    """Record a PC member's vote on an open motion (one per voter)"""
    meeting.vote(motion_id, voter=body.voter, choice=body.choice, meta=meta)


@changes.route(
    "/meetings/{meeting_id}/motions/{motion_id}/close",
    "decideMeetingMotion",
    MeetingChair,
    description="Needs the meeting in session and with quorum. Only the chair (the "
    "decision-rights table's deciders of the governance meeting) closes a vote.",
)
def decide_motion(meeting: Meeting, motion_id: UUID, body: StepIn, meta: Meta) -> None:
    """Close the vote: carried (a decision) with more for than against, else failed"""
    meeting.decide_motion(motion_id, at=body.at, meta=meta)


@changes.route("/meetings/{meeting_id}/minutes", "draftMeetingMinutes", MeetingMember, method="PUT")
def draft_minutes(meeting: Meeting, body: MinutesIn, meta: Meta) -> None:
    """Draft or revise the minutes (until they are approved)"""
    meeting.draft_minutes(text=body.text, meta=meta)


@changes.route("/meetings/{meeting_id}/minutes/approve", "approveMeetingMinutes", MeetingChair)
def approve_minutes(meeting: Meeting, body: ApproveMinutesIn, meta: Meta) -> None:
    """Approve the minutes: from now on they are locked"""
    meeting.approve_minutes(revision=body.revision, meta=meta)


@changes.route("/meetings/{meeting_id}/minutes/amendments", "amendMeetingMinutes", MeetingMember)
def amend_minutes(meeting: Meeting, body: AmendmentIn, meta: Meta) -> None:
    """Amend approved minutes: the original stays as approved, the amendment refers to it"""
    meeting.amend_minutes(text=body.text, reason=body.reason, meta=meta)


@listed(router, "/decisions", "listMeetingDecisions", DECISIONS, PcReader)
def list_decisions(
    period: Period | None = None,
    agenda_item_kind: AgendaKind | None = None,
    meeting_id: UUID | None = None,
) -> None:
    """The decision log: every carried motion across meetings, oldest first"""
