"""One change to a governance meeting, made the same way by every meeting route.

Load the meeting, refuse with 412 if it moved on from the version the caller's
`If-Match` names, let the meeting decide, save, and answer with the new ETag. A route
admits its role itself and hands the caller over with the decision it wants:
`command(caller, meeting_id, lambda meeting, meta: ...)`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated
from uuid import UUID

from fastapi import Depends

from mhg.auth import Principal
from mhg.changes import Change
from mhg.meta import Meta
from services.pc_governance.api.dependencies import Meetings
from services.pc_governance.api.meeting_schemas import MeetingOut
from services.pc_governance.domain.meeting import Meeting

Decision = Callable[[Meeting, Meta], object]


class MeetingCommand:
    def __init__(self, meetings: Meetings, change: Change) -> None:
        self.meetings = meetings
        self.change = change

    def __call__(self, caller: Principal, meeting_id: UUID, decide: Decision) -> MeetingOut:
        meta = self.change.meta(caller)
        meeting = self.meetings.change_meeting(
            meeting_id,
            lambda m: decide(m, meta),
            expected_version=self.change.expected_version(),
            meta=meta,
        )
        return MeetingOut.of(self.change.answered(meeting))


Command = Annotated[MeetingCommand, Depends()]
