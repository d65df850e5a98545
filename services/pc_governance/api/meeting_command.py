"""One change to a governance meeting, made the same way by every meeting route.

Load the meeting, refuse with 412 if it moved on from the version the caller's
`If-Match` names, let the meeting decide, save, and answer with the new ETag. A route
admits its role itself and hands the caller over with the change it wants:
`command(caller, meeting_id, lambda meeting, meta: ...)`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated
from uuid import UUID

from fastapi import Depends, Request, Response

from mhg.auth import Principal
from mhg.meta import Meta
from mhg.web import IfMatch, command_meta, expected_version, set_etag
from services.pc_governance.api.dependencies import Governance
from services.pc_governance.api.meeting_schemas import MeetingOut
from services.pc_governance.domain.meeting import Meeting

MeetingChange = Callable[[Meeting, Meta], object]


class MeetingCommand:
    def __init__(
        self, gov: Governance, request: Request, response: Response, if_match: IfMatch = None
    ) -> None:
        self.gov = gov
        self.request = request
        self.response = response
        # Read when the command runs, not here: a malformed path or body is still a 422
        # before a stale or foreign If-Match is a 412.
        self.if_match = if_match

    def __call__(self, caller: Principal, meeting_id: UUID, change: MeetingChange) -> MeetingOut:
        meta = command_meta(self.request, caller)
        meeting = self.gov.change_meeting(
            meeting_id,
            lambda m: change(m, meta),
            expected_version=expected_version(self.if_match),
        )
        set_etag(self.response, meeting.version)
        return MeetingOut.of(meeting)


Command = Annotated[MeetingCommand, Depends()]
