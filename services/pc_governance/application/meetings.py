"""Governance meetings: schedule, sit, decide, minute and close."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from mhg.eventstore import ServiceApplication
from mhg.meta import Meta
from services.pc_governance.domain.meeting import Meeting
from services.pc_governance.domain.meeting_errors import MeetingNotFound


class MeetingCommands(ServiceApplication):
    def schedule_meeting(
        self,
        *,
        meeting_id: UUID,
        period: str,
        scheduled_for: datetime,
        min_present: int,
        medical_director_required: bool,
        meta: Meta,
    ) -> Meeting:
        meeting = Meeting.schedule(
            meeting_id=meeting_id,
            period=period,
            scheduled_for=scheduled_for,
            min_present=min_present,
            medical_director_required=medical_director_required,
            meta=meta,
        )
        self.record(meeting)
        return meeting

    def meeting(self, meeting_id: UUID) -> Meeting:
        meeting: Meeting = self.load(meeting_id, MeetingNotFound, f"no meeting {meeting_id}")
        return meeting

    def meeting_exists(self, meeting_id: UUID) -> bool:
        try:
            self.repository.get(meeting_id)
        except AggregateNotFoundError:
            return False
        return True

    def change_meeting(
        self,
        meeting_id: UUID,
        change: Callable[[Meeting], Any],
        *,
        expected_version: int | None,
    ) -> Meeting:
        """Load, check the version the caller holds, let the meeting decide, save."""
        meeting = self.meeting(meeting_id)
        self.check_version(meeting, expected_version)
        change(meeting)
        self.record(meeting)
        return meeting
