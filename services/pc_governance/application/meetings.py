"""Governance meetings: schedule, sit, decide, minute and close."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from mhg.aggregate_command import new
from mhg.meta import Meta
from services.pc_governance.application.capability import Capability
from services.pc_governance.domain.logged_decision import LoggedDecision
from services.pc_governance.domain.meeting import Meeting
from services.pc_governance.domain.meeting_errors import MeetingNotFound


class MeetingCommands(Capability):
    schedule_meeting = new(Meeting.schedule)

    def meeting(self, meeting_id: UUID) -> Meeting:
        meeting: Meeting = self.store.load(meeting_id, MeetingNotFound, f"no meeting {meeting_id}")
        return meeting

    def change_meeting(
        self,
        meeting_id: UUID,
        change: Callable[[Meeting], Any],
        *,
        expected_version: int | None,
        meta: Meta,
    ) -> Meeting:
        """Load, check the version the caller holds, let the meeting decide, save.

        A motion the change carried is logged as a decision in the same transaction, so
        its decision id resolves from the event store at once (docs/adr/0019).
        """
        meeting = self.meeting(meeting_id)
        self.store.check_version(meeting, expected_version)
        before = {m.motion_id for m in meeting.decisions}
        change(meeting)
        logged = [
            LoggedDecision(
                id=m.decision_id,
                meeting_id=meeting.id,
                motion_id=m.motion_id,
                decided_at=m.decided_at,
                subject=m.subject.as_dict() if m.subject else None,
                meta=meta,
            )
            for m in meeting.decisions
            if m.motion_id not in before and m.decision_id and m.decided_at
        ]
        self.store.record(meeting, *logged)
        return meeting
