"""One change to a governance meeting, made the same way by every meeting route.

Load the meeting, refuse with 412 if it moved on from the version the caller's
`If-Match` names, let the meeting decide, save, and answer with the new ETag. A route
asks for `ChairCommand` (the Medical Director's steps) or `MemberCommand` (any PC
member's) and passes the change it wants: `member(meeting_id, lambda m, meta: ...)`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated
from uuid import UUID

from fastapi import Depends, Request, Response

from mhg.auth import Principal
from mhg.meta import Meta
from mhg.web import IfMatch, command_meta, expected_version, set_etag
from services.pc_governance.api.dependencies import Governance, MeetingChair, MeetingMember
from services.pc_governance.api.meeting_schemas import MeetingOut
from services.pc_governance.application import PcGovernanceApplication
from services.pc_governance.domain.meeting import Meeting

Change = Callable[[Meeting, Meta], object]


class MeetingCommand:
    def __init__(
        self,
        gov: PcGovernanceApplication,
        request: Request,
        response: Response,
        caller: Principal,
        if_match: str | None,
    ) -> None:
        self.gov = gov
        self.meta = command_meta(request, caller)
        self.response = response
        # Read when the command runs, not here: a malformed path or body is still a 422
        # before a stale or foreign If-Match is a 412.
        self.if_match = if_match

    def __call__(self, meeting_id: UUID, change: Change) -> MeetingOut:
        meeting = self.gov.change_meeting(
            meeting_id,
            lambda m: change(m, self.meta),
            expected_version=expected_version(self.if_match),
        )
        set_etag(self.response, meeting.version)
        return MeetingOut.of(meeting)


def _chair_command(
    gov: Governance,
    request: Request,
    response: Response,
    caller: MeetingChair,
    if_match: IfMatch = None,
) -> MeetingCommand:
    return MeetingCommand(gov, request, response, caller, if_match)


def _member_command(
    gov: Governance,
    request: Request,
    response: Response,
    caller: MeetingMember,
    if_match: IfMatch = None,
) -> MeetingCommand:
    return MeetingCommand(gov, request, response, caller, if_match)


ChairCommand = Annotated[MeetingCommand, Depends(_chair_command)]
MemberCommand = Annotated[MeetingCommand, Depends(_member_command)]
