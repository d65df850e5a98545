"""The monthly governance meeting, chaired by the Medical Director.

Each step (open, record attendance, move a motion, approve minutes, ...) is checked against
the meeting's record in meeting_proceedings, which tells the lifecycle and its rules, then
recorded as one of the events in meeting_events, whose recorder here sets the record.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from mhg.meta import Meta
from services.pc_governance.domain.decision_subject import Subject, from_agenda_item
from services.pc_governance.domain.meeting_events import MeetingEvents
from services.pc_governance.domain.meeting_proceedings import (
    ADJOURNED,
    CLOSED,
    IN_SESSION,
    SCHEDULED,
    Proceedings,
    check_schedule,
    utc,
)
from services.pc_governance.domain.meeting_records import (
    AgendaItem,
    Attendee,
    Minutes,
    Motion,
    QuorumRule,
)


class Meeting(Aggregate, MeetingEvents, Proceedings):
    Scheduled = MeetingEvents.Scheduled  # named here, so its topic is Meeting.Scheduled

    @event(Scheduled)
    def __init__(
        self,
        id: UUID,
        period: str,
        scheduled_for: datetime,
        min_present: int,
        medical_director_required: bool,
        meta: Meta,
    ) -> None:
        self.period, self.scheduled_for, self.chair = period, scheduled_for, meta.actor_id
        self.quorum = QuorumRule(min_present, medical_director_required)
        self.status, self.attendees, self.agenda, self.motions = SCHEDULED, {}, [], []
        self.minutes = self.opened_at = self.adjourned_at = self.closed_at = None

    @classmethod
    def schedule(
        cls,
        *,
        meeting_id: UUID,
        period: str,
        scheduled_for: datetime,
        min_present: int,
        medical_director_required: bool,
        meta: Meta,
    ) -> Meeting:
        check_schedule(period, min_present)
        return cls(
            id=meeting_id,
            period=period,
            scheduled_for=utc(scheduled_for),
            min_present=min_present,
            medical_director_required=medical_director_required,
            meta=meta,
        )

    # -- lifecycle -------------------------------------------------------------

    def open(self, *, at: datetime, meta: Meta) -> None:
        self._check_may("open")
        self._opened(at=utc(at), meta=meta)

    @event(MeetingEvents.Opened)
    def _opened(self, at: datetime, meta: Meta) -> None:
        self.status, self.opened_at = IN_SESSION, at

    def adjourn(self, *, at: datetime, meta: Meta) -> None:
        self._check_adjournable()
        self._adjourned(at=utc(at), meta=meta)

    @event(MeetingEvents.Adjourned)
    def _adjourned(self, at: datetime, meta: Meta) -> None:
        self.status, self.adjourned_at = ADJOURNED, at

    def close(self, *, at: datetime, meta: Meta) -> None:
        self._check_closable()
        self._closed(at=utc(at), meta=meta)

    @event(MeetingEvents.Closed)
    def _closed(self, at: datetime, meta: Meta) -> None:
        self.status, self.closed_at = CLOSED, at

    # -- attendance ------------------------------------------------------------

    def record_attendance(
        self, *, person_id: str, name: str, role: str, present: bool, meta: Meta
    ) -> None:
        self._check_attendee(role)
        self._attendance_recorded(
            person_id=person_id, name=name, role=role, present=present, meta=meta
        )

    @event(MeetingEvents.AttendanceRecorded)
    def _attendance_recorded(
        self, person_id: str, name: str, role: str, present: bool, meta: Meta
    ) -> None:
        self.attendees[person_id] = Attendee(person_id, name, role, present)

    # -- agenda ----------------------------------------------------------------

    def add_agenda_item(
        self, *, kind: str, reference: str, title: str, meta: Meta, source: str = "manual"
    ) -> UUID:
        self._check_new_item(kind, reference)
        item_id = uuid.uuid4()
        self._item_added(
            item_id=item_id, kind=kind, reference=reference, title=title, source=source, meta=meta
        )
        return item_id

    def assemble_agenda(self, candidates: Iterable[tuple[str, str, str]], *, meta: Meta) -> int:
        """Add (kind, reference, title) candidates not on the agenda yet; how many were added."""
        self._check_may("add agenda items")
        added = 0
        for kind, reference, title in candidates:
            if self._fits_agenda(kind, reference):
                self.add_agenda_item(
                    kind=kind, reference=reference, title=title, meta=meta, source="assembled"
                )
                added += 1
        return added

    @event(MeetingEvents.AgendaItemAdded)
    def _item_added(
        self, item_id: UUID, kind: str, reference: str, title: str, source: str, meta: Meta
    ) -> None:
        self.agenda.append(AgendaItem(item_id, kind, reference, title, source))

    def disposition(
        self,
        item_id: UUID,
        *,
        disposition: str,
        decision_id: UUID | None,
        deferred_to: str | None,
        note: str | None,
        meta: Meta,
    ) -> None:
        item = self._undisposed_item("disposition an agenda item", item_id)
        self._check_disposition(item, disposition, decision_id, deferred_to)
        self._dispositioned(
            item_id=item_id,
            disposition=disposition,
            decision_id=decision_id if disposition == "decided" else None,
            deferred_to=deferred_to if disposition == "deferred" else None,
            note=note,
            meta=meta,
        )

    @event(MeetingEvents.AgendaItemDispositioned)
    def _dispositioned(
        self,
        item_id: UUID,
        disposition: str,
        decision_id: UUID | None,
        deferred_to: str | None,
        note: str | None,
        meta: Meta,
    ) -> None:
        self.item(item_id).dispose(disposition, decision_id, deferred_to, note)

    # -- motions, votes and decisions -----------------------------------------

    def move_motion(
        self, *, item_id: UUID, text: str, moved_by: str, meta: Meta, subject: Subject | None = None
    ) -> UUID:
        """A motion on an agenda item; it decides `subject`, or what the item names."""
        item = self._undisposed_item("move a motion", item_id, mover=moved_by)
        decides = subject or from_agenda_item(item.kind, item.reference)
        motion_id = uuid.uuid4()
        self._motion_moved(
            motion_id=motion_id,
            item_id=item_id,
            text=text,
            moved_by=moved_by,
            meta=meta,
            subject=decides.as_dict() if decides else None,
        )
        return motion_id

    @event(MeetingEvents.MotionMoved)
    def _motion_moved(
        self,
        motion_id: UUID,
        item_id: UUID,
        text: str,
        moved_by: str,
        meta: Meta,
        subject: dict[str, str] | None = None,  # absent from motions moved before ADR 0019
    ) -> None:
        self.motions.append(
            Motion(motion_id, item_id, text, moved_by, subject=Subject.from_dict(subject))
        )

    def vote(self, motion_id: UUID, *, voter: str, choice: str, meta: Meta) -> None:
        self._check_vote(motion_id, voter, choice)
        self._vote_cast(motion_id=motion_id, voter=voter, choice=choice, meta=meta)

    @event(MeetingEvents.VoteCast)
    def _vote_cast(self, motion_id: UUID, voter: str, choice: str, meta: Meta) -> None:
        self.motion(motion_id).votes[voter] = choice

    def decide_motion(self, motion_id: UUID, *, at: datetime, meta: Meta) -> str:
        """Carried when more votes are for than against; a carried motion is a decision."""
        motion = self._open_motion("decide a motion", motion_id)
        self._check_quorum()
        tally = motion.tally()
        if tally["for"] > tally["against"]:
            self._motion_carried(
                motion_id=motion_id,
                decision_id=uuid.uuid4(),
                decided_at=utc(at),
                tally=tally,
                subject=motion.carried_subject(self.period, self.item(motion.item_id)),
                meta=meta,
            )
            return "carried"
        self._motion_failed(motion_id=motion_id, tally=tally, meta=meta)
        return "failed"

    @event(MeetingEvents.MotionCarried)
    def _motion_carried(
        self,
        motion_id: UUID,
        decision_id: UUID,
        decided_at: datetime,
        tally: dict[str, int],
        subject: dict[str, str],
        meta: Meta,
    ) -> None:
        self.motion(motion_id).carry(decision_id, decided_at)

    @event(MeetingEvents.MotionFailed)
    def _motion_failed(self, motion_id: UUID, tally: dict[str, int], meta: Meta) -> None:
        self.motion(motion_id).outcome = "failed"

    # -- minutes ---------------------------------------------------------------

    def draft_minutes(self, *, text: str, meta: Meta) -> None:
        self._check_draftable()
        minutes_id = self.minutes.minutes_id if self.minutes else uuid.uuid4()
        self._minutes_drafted(minutes_id=minutes_id, text=text, meta=meta)

    @event(MeetingEvents.MinutesDrafted)
    def _minutes_drafted(self, minutes_id: UUID, text: str, meta: Meta) -> None:
        if self.minutes is None:
            self.minutes = Minutes(minutes_id, text, meta.actor_id)
        else:
            self.minutes.revise(text, meta.actor_id)

    def approve_minutes(self, *, revision: int, meta: Meta) -> None:
        """Approve the draft revision the approver read, and no later one."""
        minutes = self._approvable_minutes(revision)
        self._minutes_approved(minutes_id=minutes.minutes_id, at=datetime.now(UTC), meta=meta)

    @event(MeetingEvents.MinutesApproved)
    def _minutes_approved(self, minutes_id: UUID, at: datetime, meta: Meta) -> None:
        if self.minutes is not None:  # always set: approval is refused without a draft
            self.minutes.approve(meta.actor_id, at)

    def amend_minutes(self, *, text: str, reason: str, meta: Meta) -> UUID:
        amends = self._amendable_minutes()
        amendment_id = uuid.uuid4()
        self._minutes_amended(
            amendment_id=amendment_id,
            amends=amends.minutes_id,
            text=text,
            reason=reason,
            at=datetime.now(UTC),
            meta=meta,
        )
        return amendment_id

    @event(MeetingEvents.MinutesAmended)
    def _minutes_amended(
        self, amendment_id: UUID, amends: UUID, text: str, reason: str, at: datetime, meta: Meta
    ) -> None:
        if self.minutes is not None:  # always set: amendment is refused without minutes
            self.minutes.amend(amendment_id, amends, text, reason, at, meta.actor_id)
