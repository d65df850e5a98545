"""A carried motion's entry in the decision log, written with the motion's outcome.

When a motion carries, the meeting and this entry (its id is the decision id) are saved
in one transaction of the event store, so a command can resolve a decision id the moment
the call that made it returns, without waiting for any read model (docs/adr/0019).
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from mhg.meta import Meta
from services.pc_governance.domain.decision_subject import Subject


class LoggedDecision(Aggregate):
    class Logged(Aggregate.Created):
        meeting_id: UUID
        motion_id: UUID
        decided_at: datetime
        subject: dict[str, str] | None
        meta: Meta

    @event(Logged)
    def __init__(
        self,
        id: UUID,
        meeting_id: UUID,
        motion_id: UUID,
        decided_at: datetime,
        subject: dict[str, str] | None,
        meta: Meta,
    ) -> None:
        self.meeting_id = meeting_id
        self.motion_id = motion_id
        self.decided_at = decided_at
        self.subject = Subject.from_dict(subject)
