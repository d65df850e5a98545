"""What the governance meeting refuses, each with a stable problem code."""

from __future__ import annotations

from mhg.errors import Conflict, NotFound, RuleViolation


class MeetingNotFound(NotFound):
    code = "meeting-not-found"
    title = "No such governance meeting"


class AgendaItemNotFound(NotFound):
    code = "agenda-item-not-found"
    title = "The meeting has no such agenda item"


class MotionNotFound(NotFound):
    code = "motion-not-found"
    title = "The meeting has no such motion"


class InvalidMeetingTransition(Conflict):
    code = "invalid-meeting-transition"
    title = "The meeting's state does not allow this"


class DuplicateAgendaItem(Conflict):
    code = "duplicate-agenda-item"
    title = "The agenda already has an item of this kind for this reference"


class AgendaItemDispositioned(Conflict):
    code = "agenda-item-dispositioned"
    title = "The agenda item has been dispositioned already"


class QuorumNotMet(Conflict):
    code = "quorum-not-met"
    title = "The meeting has no quorum: motions cannot be decided"


class MotionNotOpen(Conflict):
    code = "motion-not-open"
    title = "The motion has been decided already"


class MotionStillOpen(Conflict):
    code = "motion-still-open"
    title = "A motion is still open: decide it before adjourning"


class VoteAlreadyCast(Conflict):
    code = "vote-already-cast"
    title = "This voter has voted on this motion already"


class NotAPresentMember(RuleViolation):
    code = "not-a-present-member"
    title = "Only a PC member recorded as present may move or vote"


class StaleMinutesRevision(Conflict):
    code = "stale-minutes-revision"
    title = "The minutes were revised since the revision you approve"


class InvalidDisposition(RuleViolation):
    code = "invalid-disposition"
    title = "A decided item needs a carried motion on it; a deferred item a later period"


class MinutesNotDrafted(Conflict):
    code = "minutes-not-drafted"
    title = "The meeting has no draft minutes"


class MinutesLocked(Conflict):
    code = "minutes-locked"
    title = "The minutes are approved and locked: a change is an amendment"


class MinutesNotApproved(Conflict):
    code = "minutes-not-approved"
    title = "Approved minutes are needed first"


class AgendaNotDispositioned(Conflict):
    code = "agenda-not-dispositioned"
    title = "Every agenda item must be decided, deferred or noted before the meeting closes"


class InvalidMeeting(RuleViolation):
    code = "invalid-meeting"
    title = "The meeting's period or quorum rule breaks a rule"
