"""The monthly governance meeting, chaired by the Medical Director.

Lifecycle: scheduled -> in_session -> adjourned -> closed; closed is final and
refuses everything. Agenda items and attendance are taken before or during the
session; motions are moved, voted and decided only in session, and decided only
with quorum (enough PC members present, and the Medical Director when the rule
says so). A carried motion is a decision with its own id: the decision log.
Minutes are drafted, approved, then locked: a later change is an amendment that
references them. A meeting closes only with approved minutes and every agenda
item decided, deferred or noted.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from mhg.meta import Meta
from services.pc_governance.domain import meeting_errors as err
from services.pc_governance.domain.decision_subject import Subject, from_agenda_item
from services.pc_governance.domain.meeting_records import (
    AGENDA_KINDS,
    ATTENDEE_ROLES,
    DISPOSITIONS,
    VOTE_CHOICES,
    AgendaItem,
    Amendment,
    Attendee,
    Minutes,
    Motion,
    QuorumRule,
    is_period,
)

SCHEDULED = "scheduled"
IN_SESSION = "in_session"
ADJOURNED = "adjourned"
CLOSED = "closed"

# step -> the states it may be taken in (lifecycle steps also lead to a new state)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "open": (frozenset({SCHEDULED}), IN_SESSION),
    "adjourn": (frozenset({IN_SESSION}), ADJOURNED),
    "close": (frozenset({ADJOURNED}), CLOSED),
}
ALLOWED_IN: dict[str, frozenset[str]] = {
    "record attendance": frozenset({SCHEDULED, IN_SESSION}),
    "add agenda items": frozenset({SCHEDULED, IN_SESSION}),
    "move a motion": frozenset({IN_SESSION}),
    "vote": frozenset({IN_SESSION}),
    "decide a motion": frozenset({IN_SESSION}),
    "disposition an agenda item": frozenset({IN_SESSION, ADJOURNED}),
    "draft minutes": frozenset({IN_SESSION, ADJOURNED}),
    "approve minutes": frozenset({ADJOURNED}),
    "amend minutes": frozenset({ADJOURNED}),
}


def _utc(at: datetime) -> datetime:
    if at.tzinfo is None:
        raise err.InvalidMeeting("a time needs a time zone")
    return at.astimezone(UTC)


class Meeting(Aggregate):
    @event("Scheduled")
    def __init__(
        self,
        id: UUID,
        period: str,
        scheduled_for: datetime,
        min_present: int,
        medical_director_required: bool,
        meta: Meta,
    ) -> None:
        self.period = period
        self.scheduled_for = scheduled_for
        self.quorum = QuorumRule(min_present, medical_director_required)
        self.chair = meta.actor_id
        self.status = SCHEDULED
        self.attendees: dict[str, Attendee] = {}
        self.agenda: list[AgendaItem] = []
        self.motions: list[Motion] = []
        self.minutes: Minutes | None = None
        self.opened_at: datetime | None = None
        self.adjourned_at: datetime | None = None
        self.closed_at: datetime | None = None

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
        if not is_period(period):
            raise err.InvalidMeeting(f"period {period!r} is not a month such as 2026-11")
        if not 1 <= min_present <= 100:
            raise err.InvalidMeeting("quorum needs between 1 and 100 members present")
        return cls(
            id=meeting_id,
            period=period,
            scheduled_for=_utc(scheduled_for),
            min_present=min_present,
            medical_director_required=medical_director_required,
            meta=meta,
        )

    # -- lifecycle -------------------------------------------------------------

    def _check_status(self, action: str, allowed: frozenset[str]) -> None:
        if self.status not in allowed:
            raise err.InvalidMeetingTransition(
                f"cannot {action} in a meeting that is {self.status}", current_status=self.status
            )

    def open(self, *, at: datetime, meta: Meta) -> None:
        self._check_status("open", TRANSITIONS["open"][0])
        self._opened(at=_utc(at), meta=meta)

    @event("Opened")
    def _opened(self, at: datetime, meta: Meta) -> None:
        self.status, self.opened_at = IN_SESSION, at

    def adjourn(self, *, at: datetime, meta: Meta) -> None:
        self._check_status("adjourn", TRANSITIONS["adjourn"][0])
        still_open = [str(m.motion_id) for m in self.motions if m.outcome is None]
        if still_open:
            raise err.MotionStillOpen("decide every open motion first", motions=still_open)
        self._adjourned(at=_utc(at), meta=meta)

    @event("Adjourned")
    def _adjourned(self, at: datetime, meta: Meta) -> None:
        self.status, self.adjourned_at = ADJOURNED, at

    def close(self, *, at: datetime, meta: Meta) -> None:
        self._check_status("close", TRANSITIONS["close"][0])
        if self.minutes is None or not self.minutes.approved:
            raise err.MinutesNotApproved("the minutes must be approved before the meeting closes")
        open_items = [str(i.item_id) for i in self.agenda if i.disposition is None]
        if open_items:
            raise err.AgendaNotDispositioned(
                f"{len(open_items)} agenda item(s) have no disposition", items=open_items
            )
        self._closed(at=_utc(at), meta=meta)

    @event("Closed")
    def _closed(self, at: datetime, meta: Meta) -> None:
        self.status, self.closed_at = CLOSED, at

    # -- attendance and quorum -------------------------------------------------

    def record_attendance(
        self, *, person_id: str, name: str, role: str, present: bool, meta: Meta
    ) -> None:
        self._check_status("record attendance", ALLOWED_IN["record attendance"])
        if role not in ATTENDEE_ROLES:
            raise err.InvalidMeeting(f"unknown attendee role {role!r}")
        self._attendance_recorded(
            person_id=person_id, name=name, role=role, present=present, meta=meta
        )

    @event("AttendanceRecorded")
    def _attendance_recorded(
        self, person_id: str, name: str, role: str, present: bool, meta: Meta
    ) -> None:
        self.attendees[person_id] = Attendee(person_id, name, role, present)

    @property
    def present_members(self) -> list[Attendee]:
        return [a for a in self.attendees.values() if a.present and a.is_pc_member]

    @property
    def has_quorum(self) -> bool:
        present = self.present_members
        director = any(a.role == "medical_director" for a in present)
        return len(present) >= self.quorum.min_present and (
            director or not self.quorum.medical_director_required
        )

    # -- agenda ----------------------------------------------------------------

    def add_agenda_item(
        self, *, kind: str, reference: str, title: str, meta: Meta, source: str = "manual"
    ) -> UUID:
        self._check_status("add agenda items", ALLOWED_IN["add agenda items"])
        if kind not in AGENDA_KINDS:
            raise err.InvalidMeeting(f"unknown agenda item kind {kind!r}")
        if self._has_item(kind, reference):
            raise err.DuplicateAgendaItem(f"the agenda has {kind} {reference} already")
        item_id = uuid.uuid4()
        self._item_added(
            item_id=item_id, kind=kind, reference=reference, title=title, source=source, meta=meta
        )
        return item_id

    def assemble_agenda(self, candidates: Iterable[tuple[str, str, str]], *, meta: Meta) -> int:
        """Add (kind, reference, title) candidates not on the agenda yet; how many were added."""
        self._check_status("add agenda items", ALLOWED_IN["add agenda items"])
        added = 0
        for kind, reference, title in candidates:
            if kind in AGENDA_KINDS and not self._has_item(kind, reference):
                self.add_agenda_item(
                    kind=kind, reference=reference, title=title, meta=meta, source="assembled"
                )
                added += 1
        return added

    def _has_item(self, kind: str, reference: str) -> bool:
        return any(i.kind == kind and i.reference == reference for i in self.agenda)

    @event("AgendaItemAdded")
    def _item_added(
        self, item_id: UUID, kind: str, reference: str, title: str, source: str, meta: Meta
    ) -> None:
        self.agenda.append(AgendaItem(item_id, kind, reference, title, source))

    def item(self, item_id: UUID) -> AgendaItem:
        for item in self.agenda:
            if item.item_id == item_id:
                return item
        raise err.AgendaItemNotFound(f"no agenda item {item_id} in meeting {self.id}")

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
        self._check_status("disposition an agenda item", ALLOWED_IN["disposition an agenda item"])
        item = self.item(item_id)
        if item.disposition is not None:
            raise err.AgendaItemDispositioned(f"the item is {item.disposition} already")
        self._check_disposition(item, disposition, decision_id, deferred_to)
        self._dispositioned(
            item_id=item_id,
            disposition=disposition,
            decision_id=decision_id if disposition == "decided" else None,
            deferred_to=deferred_to if disposition == "deferred" else None,
            note=note,
            meta=meta,
        )

    def _check_disposition(
        self, item: AgendaItem, disposition: str, decision_id: UUID | None, deferred_to: str | None
    ) -> None:
        if disposition not in DISPOSITIONS:
            raise err.InvalidDisposition(f"unknown disposition {disposition!r}")
        if disposition == "decided" and not any(
            m.decision_id == decision_id and m.item_id == item.item_id
            for m in self.motions
            if decision_id is not None
        ):
            raise err.InvalidDisposition("decision_id must name a carried motion on this item")
        if disposition == "deferred" and not (
            deferred_to and is_period(deferred_to) and deferred_to > self.period
        ):
            raise err.InvalidDisposition(f"deferred_to must be a month after {self.period}")

    @event("AgendaItemDispositioned")
    def _dispositioned(
        self,
        item_id: UUID,
        disposition: str,
        decision_id: UUID | None,
        deferred_to: str | None,
        note: str | None,
        meta: Meta,
    ) -> None:
        item = self.item(item_id)
        item.disposition, item.decision_id = disposition, decision_id
        item.deferred_to, item.note = deferred_to, note

    # -- motions, votes and decisions -----------------------------------------

    def _check_present_member(self, person_id: str) -> None:
        attendee = self.attendees.get(person_id)
        if attendee is None or not attendee.present or not attendee.is_pc_member:
            raise err.NotAPresentMember(f"{person_id} is not a PC member recorded as present")

    def move_motion(
        self,
        *,
        item_id: UUID,
        text: str,
        moved_by: str,
        meta: Meta,
        subject: Subject | None = None,
    ) -> UUID:
        """A motion on an agenda item; it decides `subject`, or what the item names."""
        self._check_status("move a motion", ALLOWED_IN["move a motion"])
        item = self.item(item_id)
        self._check_present_member(moved_by)
        if item.disposition is not None:
            raise err.AgendaItemDispositioned(f"the item is {item.disposition} already")
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

    @event("MotionMoved")
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

    def motion(self, motion_id: UUID) -> Motion:
        for motion in self.motions:
            if motion.motion_id == motion_id:
                return motion
        raise err.MotionNotFound(f"no motion {motion_id} in meeting {self.id}")

    def _open_motion(self, action: str, motion_id: UUID) -> Motion:
        self._check_status(action, ALLOWED_IN[action])
        motion = self.motion(motion_id)
        if motion.outcome is not None:
            raise err.MotionNotOpen(f"the motion {motion.outcome} already")
        return motion

    def vote(self, motion_id: UUID, *, voter: str, choice: str, meta: Meta) -> None:
        motion = self._open_motion("vote", motion_id)
        self._check_present_member(voter)
        if choice not in VOTE_CHOICES:
            raise err.InvalidMeeting(f"a vote is for, against or abstain, not {choice!r}")
        if voter in motion.votes:
            raise err.VoteAlreadyCast(f"{voter} voted {motion.votes[voter]} already")
        self._vote_cast(motion_id=motion_id, voter=voter, choice=choice, meta=meta)

    @event("VoteCast")
    def _vote_cast(self, motion_id: UUID, voter: str, choice: str, meta: Meta) -> None:
        self.motion(motion_id).votes[voter] = choice

    def decide_motion(self, motion_id: UUID, *, at: datetime, meta: Meta) -> str:
        """Carried when more votes are for than against; a carried motion is a decision."""
        motion = self._open_motion("decide a motion", motion_id)
        if not self.has_quorum:
            raise err.QuorumNotMet(
                f"{len(self.present_members)} PC member(s) present; the rule needs "
                f"{self.quorum.min_present}"
                + (" and the Medical Director" if self.quorum.medical_director_required else ""),
            )
        tally = motion.tally()
        if tally["for"] > tally["against"]:
            item = self.item(motion.item_id)
            self._motion_carried(
                motion_id=motion_id,
                decision_id=uuid.uuid4(),
                decided_at=_utc(at),
                tally=tally,
                subject={
                    "period": self.period,
                    "text": motion.text,
                    "item_id": str(item.item_id),
                    "item_kind": item.kind,
                    "item_reference": item.reference,
                    **(
                        {"decides_kind": motion.subject.kind, "decides_id": motion.subject.id}
                        if motion.subject
                        else {}
                    ),
                },
                meta=meta,
            )
            return "carried"
        self._motion_failed(motion_id=motion_id, tally=tally, meta=meta)
        return "failed"

    @event("MotionCarried")
    def _motion_carried(
        self,
        motion_id: UUID,
        decision_id: UUID,
        decided_at: datetime,
        tally: dict[str, int],
        subject: dict[str, str],
        meta: Meta,
    ) -> None:
        motion = self.motion(motion_id)
        motion.outcome, motion.decision_id, motion.decided_at = "carried", decision_id, decided_at

    @event("MotionFailed")
    def _motion_failed(self, motion_id: UUID, tally: dict[str, int], meta: Meta) -> None:
        self.motion(motion_id).outcome = "failed"

    # -- minutes ---------------------------------------------------------------

    def draft_minutes(self, *, text: str, meta: Meta) -> None:
        self._check_status("draft minutes", ALLOWED_IN["draft minutes"])
        if self.minutes is not None and self.minutes.approved:
            raise err.MinutesLocked("approved minutes change only by amendment")
        minutes_id = self.minutes.minutes_id if self.minutes else uuid.uuid4()
        self._minutes_drafted(minutes_id=minutes_id, text=text, meta=meta)

    @event("MinutesDrafted")
    def _minutes_drafted(self, minutes_id: UUID, text: str, meta: Meta) -> None:
        if self.minutes is None:
            self.minutes = Minutes(minutes_id, text, meta.actor_id)
        else:
            self.minutes.text = text
            self.minutes.drafted_by = meta.actor_id
            self.minutes.revision += 1

    def approve_minutes(self, *, revision: int, meta: Meta) -> None:
        """Approve the draft revision the approver read, and no later one."""
        self._check_status("approve minutes", ALLOWED_IN["approve minutes"])
        if self.minutes is None:
            raise err.MinutesNotDrafted("draft the minutes before approving them")
        if self.minutes.approved:
            raise err.MinutesLocked("the minutes are approved already")
        if revision != self.minutes.revision:
            raise err.StaleMinutesRevision(
                f"you approve revision {revision}; the draft is at {self.minutes.revision}",
                current_revision=self.minutes.revision,
            )
        self._minutes_approved(minutes_id=self.minutes.minutes_id, at=datetime.now(UTC), meta=meta)

    @event("MinutesApproved")
    def _minutes_approved(self, minutes_id: UUID, at: datetime, meta: Meta) -> None:
        if self.minutes is not None:  # always set: approval is refused without a draft
            self.minutes.approved_by, self.minutes.approved_at = meta.actor_id, at

    def amend_minutes(self, *, text: str, reason: str, meta: Meta) -> UUID:
        self._check_status("amend minutes", ALLOWED_IN["amend minutes"])
        if self.minutes is None or not self.minutes.approved:
            raise err.MinutesNotApproved("only approved minutes are amended; revise the draft")
        amendment_id = uuid.uuid4()
        self._minutes_amended(
            amendment_id=amendment_id,
            amends=self.minutes.minutes_id,
            text=text,
            reason=reason,
            at=datetime.now(UTC),
            meta=meta,
        )
        return amendment_id

    @event("MinutesAmended")
    def _minutes_amended(
        self, amendment_id: UUID, amends: UUID, text: str, reason: str, at: datetime, meta: Meta
    ) -> None:
        if self.minutes is not None:  # always set: amendment is refused without minutes
            self.minutes.amendments.append(
                Amendment(amendment_id, amends, text, reason, at, meta.actor_id)
            )

    @property
    def decisions(self) -> list[Motion]:
        return [m for m in self.motions if m.outcome == "carried"]
