"""Inside a governance meeting: dispositions, motions and votes, minutes; the decision log."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter

from mhg import problems
from mhg.listing import Listing, equals
from mhg.pagination import CursorParam, LimitParam, Page
from mhg.routes import Runtime
from services.pc_governance.api.dependencies import MeetingChair, MeetingMember, PcReader
from services.pc_governance.api.meeting_command import Command
from services.pc_governance.api.meeting_motion_schemas import (
    AmendmentIn,
    ApproveMinutesIn,
    DecisionRow,
    DispositionIn,
    MinutesIn,
    MotionIn,
    VoteIn,
)
from services.pc_governance.api.meeting_schemas import AgendaKind, MeetingOut, Period, StepIn
from services.pc_governance.api.meetings import UPDATING
from services.pc_governance.domain.decision_subject import subject

router = APIRouter(tags=["governance meetings"])

DECISIONS = Listing(
    "pc_meeting_decisions",
    DecisionRow,
    period=equals(),
    agenda_item_kind=equals(),
    meeting_id=equals(),
)


@router.post(
    "/meetings/{meeting_id}/agenda/{item_id}/disposition",
    operation_id="dispositionMeetingAgendaItem",
    summary="Record an agenda item as decided (by a carried motion), deferred or noted",
    response_model=MeetingOut,
    responses=UPDATING,
)
def disposition_item(
    meeting_id: UUID, item_id: UUID, body: DispositionIn, caller: MeetingMember, command: Command
) -> MeetingOut:
    return command(
        caller, meeting_id, lambda m, meta: m.disposition(item_id, **body.model_dump(), meta=meta)
    )


@router.post(
    "/meetings/{meeting_id}/motions",
    operation_id="moveMeetingMotion",
    summary="Record a motion on an agenda item, moved by a PC member present",
    response_model=MeetingOut,
    responses=UPDATING,
)
def move_motion(
    meeting_id: UUID, body: MotionIn, caller: MeetingMember, command: Command
) -> MeetingOut:
    return command(
        caller,
        meeting_id,
        lambda m, meta: m.move_motion(
            item_id=body.agenda_item_id,
            text=body.text,
            moved_by=body.moved_by,
            meta=meta,
            subject=subject(body.subject.kind, body.subject.id) if body.subject else None,
        ),
    )


@router.post(
    "/meetings/{meeting_id}/motions/{motion_id}/votes",
    operation_id="castMeetingVote",
    summary="Record a PC member's vote on an open motion (one per voter)",
    response_model=MeetingOut,
    responses=UPDATING,
)
def cast_vote(
    meeting_id: UUID, motion_id: UUID, body: VoteIn, caller: MeetingMember, command: Command
) -> MeetingOut:
    return command(
        caller,
        meeting_id,
        lambda m, meta: m.vote(motion_id, voter=body.voter, choice=body.choice, meta=meta),
    )


@router.post(
    "/meetings/{meeting_id}/motions/{motion_id}/close",
    operation_id="decideMeetingMotion",
    summary="Close the vote: carried (a decision) with more for than against, else failed",
    description="Needs the meeting in session and with quorum. Only the chair (the "
    "decision-rights table's deciders of the governance meeting) closes a vote.",
    response_model=MeetingOut,
    responses=UPDATING,
)
def decide_motion(
    meeting_id: UUID, motion_id: UUID, body: StepIn, caller: MeetingChair, command: Command
) -> MeetingOut:
    return command(
        caller, meeting_id, lambda m, meta: m.decide_motion(motion_id, at=body.at, meta=meta)
    )


@router.put(
    "/meetings/{meeting_id}/minutes",
    operation_id="draftMeetingMinutes",
    summary="Draft or revise the minutes (until they are approved)",
    response_model=MeetingOut,
    responses=UPDATING,
)
def draft_minutes(
    meeting_id: UUID, body: MinutesIn, caller: MeetingMember, command: Command
) -> MeetingOut:
    return command(caller, meeting_id, lambda m, meta: m.draft_minutes(text=body.text, meta=meta))


@router.post(
    "/meetings/{meeting_id}/minutes/approve",
    operation_id="approveMeetingMinutes",
    summary="Approve the minutes: from now on they are locked",
    response_model=MeetingOut,
    responses=UPDATING,
)
def approve_minutes(
    meeting_id: UUID, body: ApproveMinutesIn, caller: MeetingChair, command: Command
) -> MeetingOut:
    return command(
        caller, meeting_id, lambda m, meta: m.approve_minutes(revision=body.revision, meta=meta)
    )


@router.post(
    "/meetings/{meeting_id}/minutes/amendments",
    operation_id="amendMeetingMinutes",
    summary="Amend approved minutes: the original stays as approved, the amendment refers to it",
    response_model=MeetingOut,
    responses=UPDATING,
)
def amend_minutes(
    meeting_id: UUID, body: AmendmentIn, caller: MeetingMember, command: Command
) -> MeetingOut:
    return command(
        caller,
        meeting_id,
        lambda m, meta: m.amend_minutes(text=body.text, reason=body.reason, meta=meta),
    )


@router.get(
    "/decisions",
    operation_id="listMeetingDecisions",
    summary="The decision log: every carried motion across meetings, oldest first",
    response_model=Page[DecisionRow],
    responses=problems.responses(401, 403, 422),
)
def list_decisions(
    rt: Runtime,
    _caller: PcReader,
    cursor: CursorParam = None,
    limit: LimitParam = 50,
    period: Period | None = None,
    agenda_item_kind: AgendaKind | None = None,
    meeting_id: UUID | None = None,
) -> Page[DecisionRow]:
    return DECISIONS.page(
        rt,
        cursor,
        limit,
        period=period,
        agenda_item_kind=agenda_item_kind,
        meeting_id=meeting_id,
    )
