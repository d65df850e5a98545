"""The monthly governance meeting: scheduling, its lifecycle, attendance and the agenda."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter

from mhg.declared import listed
from mhg.listing import Listing
from mhg.meta import Meta
from mhg.resource import Resource
from mhg.routes import Runtime
from mhg.steps import changing
from services.pc_governance.api.dependencies import (
    MeetingChair,
    MeetingMember,
    Meetings,
    PcReader,
)
from services.pc_governance.api.meetings.command import Command, MeetingChanges
from services.pc_governance.api.meetings.schemas import (
    AgendaItemIn,
    AssembleIn,
    AttendanceIn,
    MeetingIn,
    MeetingOut,
    MeetingRow,
    MeetingStatus,
    Period,
    StepIn,
)
from services.pc_governance.domain.meeting import Meeting
from services.pc_governance.projections import agenda_sources
from services.pc_governance.projections import meetings as read_side

router = APIRouter(tags=["governance meetings"])

changes = MeetingChanges(router)

MEETINGS = Listing(read_side.MEETINGS, MeetingRow)


MEETING = Resource(
    router,
    "/meetings/{meeting_id}",
    Meetings,
    MeetingOut.of,
    lambda meetings: meetings.meeting,
)
MEETING.created(
    "scheduleMeeting",
    "Schedule the governance meeting of a month, with its quorum rule",
    MeetingIn,
    MeetingChair,
    lambda meetings: meetings.schedule_meeting,
    arguments=MeetingIn.arguments,
)


@listed(router, "/meetings", "listMeetings", MEETINGS, PcReader)
def list_meetings(
    period: Period | None = None,
    status: MeetingStatus | None = None,
) -> None:
    """Governance meetings, in the order they were scheduled"""


MEETING.shown(
    "getMeeting",
    "One meeting: agenda, attendance, motions and votes, minutes with amendments",
    PcReader,
)


@changes.route("/meetings/{meeting_id}/open", "openMeeting", MeetingChair)
def open_meeting(meeting: Meeting, body: StepIn, meta: Meta) -> None:
    """Call the meeting to order: it is in session"""
    meeting.open(at=body.at, meta=meta)


@changes.route("/meetings/{meeting_id}/adjourn", "adjournMeeting", MeetingChair)
def adjourn_meeting(meeting: Meeting, body: StepIn, meta: Meta) -> None:
    """Adjourn the session (no motion may be left open)"""
    meeting.adjourn(at=body.at, meta=meta)


@changes.route("/meetings/{meeting_id}/close", "closeMeeting", MeetingChair)
def close_meeting(meeting: Meeting, body: StepIn, meta: Meta) -> None:
    """Close the meeting: needs approved minutes and every agenda item dispositioned"""
    meeting.close(at=body.at, meta=meta)


@changes.route("/meetings/{meeting_id}/attendance", "recordMeetingAttendance", MeetingMember)
def record_attendance(meeting: Meeting, body: AttendanceIn, meta: Meta) -> None:
    """Record an attendee as present or absent (a repeat corrects the record)"""
    meeting.record_attendance(**body.model_dump(), meta=meta)


@changes.route("/meetings/{meeting_id}/agenda", "addMeetingAgendaItem", MeetingMember)
def add_agenda_item(meeting: Meeting, body: AgendaItemIn, meta: Meta) -> None:
    """Add an agenda item by hand"""
    meeting.add_agenda_item(**body.model_dump(), meta=meta)


@changing(router, "/meetings/{meeting_id}/agenda/assemble", "assembleMeetingAgenda")
def assemble_agenda(
    meeting_id: UUID, body: AssembleIn, rt: Runtime, caller: MeetingMember, command: Command
) -> MeetingOut:
    """Add one item per open item of the chosen sources, skipping those on the agenda"""
    sources = tuple(dict.fromkeys(body.sources))

    def assemble(meeting: Meeting, meta: Meta) -> None:
        # the open items as of the meeting's reference day, read once it is loaded
        as_of = agenda_sources.reference_day(meeting.scheduled_for, agenda_sources.today())
        candidates = agenda_sources.open_items(rt.store, as_of, sources)
        meeting.assemble_agenda(candidates, meta=meta)

    return command(caller, meeting_id, assemble)
