"""What a governance meeting has on record, and the rules each of its steps is checked against.

`Meeting` (meeting.py) records what happens, as events; this part of it reads the record
(who is present, whether there is quorum, the agenda, the motions, the minutes) and
refuses a step that the meeting's status or record does not allow.

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

from datetime import UTC, datetime
from typing import TYPE_CHECKING
from uuid import UUID

from services.pc_governance.domain import meeting_errors as err
from services.pc_governance.domain.meeting_records import (
    AGENDA_KINDS,
    ATTENDEE_ROLES,
    DISPOSITIONS,
    VOTE_CHOICES,
    AgendaItem,
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


def utc(at: datetime) -> datetime:
    if at.tzinfo is None:
        raise err.InvalidMeeting("a time needs a time zone")
    return at.astimezone(UTC)


def check_schedule(period: str, min_present: int) -> None:
    if not is_period(period):
        raise err.InvalidMeeting(f"period {period!r} is not a month such as 2026-11")
    if not 1 <= min_present <= 100:
        raise err.InvalidMeeting("quorum needs between 1 and 100 members present")


class Proceedings:
    """The record a meeting keeps (its events set it) and the checks its steps make."""

    period: str
    scheduled_for: datetime
    chair: str
    quorum: QuorumRule
    status: str
    attendees: dict[str, Attendee]
    agenda: list[AgendaItem]
    motions: list[Motion]
    minutes: Minutes | None
    opened_at: datetime | None
    adjourned_at: datetime | None
    closed_at: datetime | None

    if TYPE_CHECKING:  # the meeting's id, as the aggregate has it

        @property
        def id(self) -> UUID: ...

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

    @property
    def decisions(self) -> list[Motion]:
        return [m for m in self.motions if m.outcome == "carried"]

    def item(self, item_id: UUID) -> AgendaItem:
        for item in self.agenda:
            if item.item_id == item_id:
                return item
        raise err.AgendaItemNotFound(f"no agenda item {item_id} in meeting {self.id}")

    def motion(self, motion_id: UUID) -> Motion:
        for motion in self.motions:
            if motion.motion_id == motion_id:
                return motion
        raise err.MotionNotFound(f"no motion {motion_id} in meeting {self.id}")

    def _has_item(self, kind: str, reference: str) -> bool:
        return any(i.kind == kind and i.reference == reference for i in self.agenda)

    def _fits_agenda(self, kind: str, reference: str) -> bool:
        """A known kind of item not on the agenda yet: assembly adds only these."""
        return kind in AGENDA_KINDS and not self._has_item(kind, reference)

    def _check_may(self, step: str) -> None:
        """Refuse `step` (a lifecycle step or an ALLOWED_IN action) in the current status."""
        allowed = TRANSITIONS[step][0] if step in TRANSITIONS else ALLOWED_IN[step]
        if self.status not in allowed:
            raise err.InvalidMeetingTransition(
                f"cannot {step} in a meeting that is {self.status}", current_status=self.status
            )

    def _check_adjournable(self) -> None:
        self._check_may("adjourn")
        still_open = [str(m.motion_id) for m in self.motions if m.outcome is None]
        if still_open:
            raise err.MotionStillOpen("decide every open motion first", motions=still_open)

    def _check_closable(self) -> None:
        self._check_may("close")
        if self.minutes is None or not self.minutes.approved:
            raise err.MinutesNotApproved("the minutes must be approved before the meeting closes")
        open_items = [str(i.item_id) for i in self.agenda if i.disposition is None]
        if open_items:
            raise err.AgendaNotDispositioned(
                f"{len(open_items)} agenda item(s) have no disposition", items=open_items
            )

    def _check_attendee(self, role: str) -> None:
        self._check_may("record attendance")
        if role not in ATTENDEE_ROLES:
            raise err.InvalidMeeting(f"unknown attendee role {role!r}")

    def _check_new_item(self, kind: str, reference: str) -> None:
        self._check_may("add agenda items")
        if kind not in AGENDA_KINDS:
            raise err.InvalidMeeting(f"unknown agenda item kind {kind!r}")
        if self._has_item(kind, reference):
            raise err.DuplicateAgendaItem(f"the agenda has {kind} {reference} already")

    def _check_present_member(self, person_id: str) -> None:
        attendee = self.attendees.get(person_id)
        if attendee is None or not attendee.present or not attendee.is_pc_member:
            raise err.NotAPresentMember(f"{person_id} is not a PC member recorded as present")

    def _undisposed_item(self, action: str, item_id: UUID, mover: str | None = None) -> AgendaItem:
        """The item `action` is about, not yet disposed of; a motion's `mover` must be present."""
        self._check_may(action)
        item = self.item(item_id)
        if mover is not None:
            self._check_present_member(mover)
        if item.disposition is not None:
            raise err.AgendaItemDispositioned(f"the item is {item.disposition} already")
        return item

    def _open_motion(self, action: str, motion_id: UUID) -> Motion:
        self._check_may(action)
        motion = self.motion(motion_id)
        if motion.outcome is not None:
            raise err.MotionNotOpen(f"the motion {motion.outcome} already")
        return motion

    def _check_vote(self, motion_id: UUID, voter: str, choice: str) -> None:
        motion = self._open_motion("vote", motion_id)
        self._check_present_member(voter)
        if choice not in VOTE_CHOICES:
            raise err.InvalidMeeting(f"a vote is for, against or abstain, not {choice!r}")
        if voter in motion.votes:
            raise err.VoteAlreadyCast(f"{voter} voted {motion.votes[voter]} already")

    def _check_quorum(self) -> None:
        if not self.has_quorum:
            raise err.QuorumNotMet(
                f"{len(self.present_members)} PC member(s) present; the rule needs "
                f"{self.quorum.min_present}"
                + (" and the Medical Director" if self.quorum.medical_director_required else ""),
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

    def _check_draftable(self) -> None:
        self._check_may("draft minutes")
        if self.minutes is not None and self.minutes.approved:
            raise err.MinutesLocked("approved minutes change only by amendment")

    def _amendable_minutes(self) -> Minutes:
        self._check_may("amend minutes")
        if self.minutes is None or not self.minutes.approved:
            raise err.MinutesNotApproved("only approved minutes are amended; revise the draft")
        return self.minutes

    def _approvable_minutes(self, revision: int) -> Minutes:
        """The draft, if it is at `revision`: the one the approver read, and no later one."""
        self._check_may("approve minutes")
        if self.minutes is None:
            raise err.MinutesNotDrafted("draft the minutes before approving them")
        if self.minutes.approved:
            raise err.MinutesLocked("the minutes are approved already")
        if revision != self.minutes.revision:
            raise err.StaleMinutesRevision(
                f"you approve revision {revision}; the draft is at {self.minutes.revision}",
                current_revision=self.minutes.revision,
            )
        return self.minutes
