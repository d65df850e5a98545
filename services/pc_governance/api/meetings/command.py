"""One change to a governance meeting, made the same way by every meeting route.

Load the meeting, refuse with 412 if it moved on from the version the caller's
`If-Match` names, let the meeting decide, save, and answer with the new ETag. A route
admits its role itself and hands the caller over with the decision it wants:
`command(caller, meeting_id, lambda meeting, meta: ...)`; `MeetingChanges` declares such
a route by the meeting's decision alone.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Annotated, Any, TypeVar, get_type_hints
from uuid import UUID

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from mhg.auth import Principal
from mhg.changes import Change
from mhg.declared import endpoint
from mhg.meta import Meta
from mhg.steps import changing
from mhg.web import on_the_loop
from services.pc_governance.api.dependencies import Meetings
from services.pc_governance.api.meetings.schemas import MeetingOut
from services.pc_governance.domain.meeting import Meeting

Decision = Callable[[Meeting, Meta], object]
D = TypeVar("D", bound=Callable[..., object])


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


Command = Annotated[MeetingCommand, Depends(on_the_loop(MeetingCommand))]


class MeetingChanges:
    """The routes of a router that change a meeting, each declared by the meeting's decision:

        changes = MeetingChanges(router)

        @changes.route("/meetings/{meeting_id}/open", "openMeeting", MeetingChair)
        def open_meeting(meeting: Meeting, body: StepIn, meta: Meta) -> None:
            '''Call the meeting to order: it is in session'''
            meeting.open(at=body.at, meta=meta)

    The decision's docstring is the route's summary and its `body` annotation the input;
    parameters between the meeting and the body are further ids the path names (UUIDs).
    The route answers with the meeting; its problems are those of a change (`changing`).
    """

    def __init__(self, router: APIRouter) -> None:
        self.router = router

    def route(
        self,
        path: str,
        operation_id: str,
        role: Any,
        *,
        method: str = "POST",
        description: str | None = None,
    ) -> Callable[[D], D]:
        def declare(decide: D) -> D:
            names = list(inspect.signature(decide).parameters)
            ids = names[1 : names.index("body")]
            parameters = [
                _parameter("meeting_id", UUID),
                *(_parameter(name, UUID) for name in ids),
                _parameter("body", get_type_hints(decide)["body"]),
                _parameter("caller", role),
                _parameter("command", Command),
            ]

            def run(
                meeting_id: UUID,
                body: BaseModel,
                caller: Principal,
                command: MeetingCommand,
                **path_ids: UUID,
            ) -> MeetingOut:
                given = [path_ids[name] for name in ids]
                return command(caller, meeting_id, lambda m, meta: decide(m, *given, body, meta))

            changing(
                self.router,
                path,
                operation_id,
                method=method,
                summary=inspect.getdoc(decide),
                description=description,
                answer=MeetingOut,
            )(endpoint(decide.__name__, parameters, run))
            return decide

        return declare


def _parameter(name: str, annotation: Any) -> inspect.Parameter:
    return inspect.Parameter(name, inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=annotation)
