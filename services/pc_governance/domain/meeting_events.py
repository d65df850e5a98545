"""The events a governance meeting stores, one class per step it records.

`Meeting` (meeting.py) inherits `MeetingEvents` and decorates each recorder with one of
these classes, as in `@event(MeetingEvents.Opened)`. The library declares every decorated
class again on the aggregate, so the stored topic is the aggregate's
(`services.pc_governance.domain.meeting:Meeting.Opened`), not this module's. The created
event is the exception: the library re-declares it only when the aggregate body names it,
so meeting.py says `Scheduled = MeetingEvents.Scheduled`. The stored-event guard
(tests/contracts/test_stored_events.py) checks the topics and fields.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate

from mhg.meta import Meta


class MeetingEvents:
    """The meeting's events; `Meeting.<Name>` names them everywhere else."""

    class Scheduled(Aggregate.Created):
        period: str
        scheduled_for: datetime
        min_present: int
        medical_director_required: bool
        meta: Meta

    # -- lifecycle -------------------------------------------------------------

    class Opened(Aggregate.Event):
        at: datetime
        meta: Meta

    class Adjourned(Aggregate.Event):
        at: datetime
        meta: Meta

    class Closed(Aggregate.Event):
        at: datetime
        meta: Meta

    # -- attendance and agenda -------------------------------------------------

    class AttendanceRecorded(Aggregate.Event):
        person_id: str
        name: str
        role: str
        present: bool
        meta: Meta

    class AgendaItemAdded(Aggregate.Event):
        item_id: UUID
        kind: str
        reference: str
        title: str
        source: str
        meta: Meta

    class AgendaItemDispositioned(Aggregate.Event):
        item_id: UUID
        disposition: str
        decision_id: UUID | None
        deferred_to: str | None
        note: str | None
        meta: Meta

    # -- motions, votes and decisions -----------------------------------------

    class MotionMoved(Aggregate.Event):
        motion_id: UUID
        item_id: UUID
        text: str
        moved_by: str
        meta: Meta
        subject: dict[str, str] | None = None  # absent from motions moved before ADR 0019

    class VoteCast(Aggregate.Event):
        motion_id: UUID
        voter: str
        choice: str
        meta: Meta

    class MotionCarried(Aggregate.Event):
        motion_id: UUID
        decision_id: UUID
        decided_at: datetime
        tally: dict[str, int]
        subject: dict[str, str]
        meta: Meta

    class MotionFailed(Aggregate.Event):
        motion_id: UUID
        tally: dict[str, int]
        meta: Meta

    # -- minutes ---------------------------------------------------------------

    class MinutesDrafted(Aggregate.Event):
        minutes_id: UUID
        text: str
        meta: Meta

    class MinutesApproved(Aggregate.Event):
        minutes_id: UUID
        at: datetime
        meta: Meta

    class MinutesAmended(Aggregate.Event):
        amendment_id: UUID
        amends: UUID
        text: str
        reason: str
        at: datetime
        meta: Meta
