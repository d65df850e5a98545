"""The rules of scheduling, as domain errors with stable codes."""

from __future__ import annotations

from mhg.errors import AlreadyExists, Conflict, NotFound, RuleViolation


class ScheduleNotFound(NotFound):
    code = "schedule-not-found"
    title = "No such schedule"


class SlotNotFound(NotFound):
    code = "slot-not-found"
    title = "No such slot"


class HoldNotFound(NotFound):
    code = "hold-not-found"
    title = "No such hold on this slot for you"


class InvalidSchedule(RuleViolation):
    code = "invalid-schedule"
    title = "The schedule, its weekly rules or its exceptions are not valid"


class InvalidPublication(RuleViolation):
    code = "invalid-publication"
    title = "These slots cannot be published"


class NothingToPublish(Conflict):
    code = "nothing-to-publish"
    title = "The schedule's slots are published through that day already"


class SessionOverlaps(Conflict):
    code = "session-overlaps"
    title = "The extra session overlaps slots the schedule has already"


class SlotsHaveBookings(Conflict):
    code = "slots-have-bookings"
    title = "Slots in this window hold appointments: reschedule or cancel them first"


class SlotClosed(Conflict):
    code = "slot-closed"
    title = "The slot is closed"


class SlotEnded(Conflict):
    code = "slot-ended"
    title = "The slot is over"


class SlotFull(Conflict):
    code = "slot-full"
    title = "No place is left in this slot"


class InvalidHold(RuleViolation):
    code = "invalid-hold"
    title = "The hold is not valid"


class HoldExpired(Conflict):
    code = "hold-expired"
    title = "The hold has expired: hold a place again"


class HoldNotActive(Conflict):
    code = "hold-not-active"
    title = "The hold was used or released"


class AlreadyInSlot(AlreadyExists):
    code = "already-in-slot"
    title = "The appointment or hold is in this slot already"


class NotInSlot(Conflict):
    code = "not-in-slot"
    title = "The appointment holds no place in this slot"


class InvalidAppointmentTransition(Conflict):
    code = "invalid-appointment-transition"
    title = "The appointment's status does not allow this"


class InvalidReschedule(RuleViolation):
    code = "invalid-reschedule"
    title = "The appointment cannot move to that slot"
