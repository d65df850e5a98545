"""Schedules: weekly availability, one-off exceptions, and publishing the slots they make."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from mhg.changes import Change
from mhg.creation import Create, recorded
from mhg.declared import created, listed
from mhg.listing import Listing, equals
from mhg.meta import Meta
from mhg.steps import Steps, changing
from mhg.web import IfMatch, expected_version
from services.mso_ops.api.dependencies import MsoReader, Scheduler, Schedules
from services.mso_ops.api.scheduling.schemas import (
    ClosureIn,
    ExtraSessionIn,
    PublicationIn,
    ScheduleChangeOut,
    ScheduleIn,
    ScheduleOut,
    ScheduleRow,
    WeeklyRulesIn,
)
from services.mso_ops.api.schemas import ServiceLineCode
from services.mso_ops.application.schedules import ScheduleCommands
from services.mso_ops.domain.schedule import Schedule

router = APIRouter(tags=["scheduling"])

SCHEDULES = Listing("mso_schedules", ScheduleRow, site=equals("site_id"), service_line=equals())


SCHEDULE = Steps(router, "/schedules/{schedule_id}", Schedules, ScheduleOut.of)
SCHEDULE.created(
    "createSchedule",
    "Create a schedule for a service line at a site, under a PC-approved visit template",
    ScheduleIn,
    Scheduler,
    lambda schedules: schedules.create_schedule,
    (401, 403, 404, 409, 422),
    find=lambda schedules: recorded(schedules.schedule_exists, schedules.schedule),
    arguments=ScheduleIn.arguments,
    description=(
        "Weekly rules are in the site's local time. No slot exists until a period is "
        "published (`POST /schedules/{id}/publications`). Refused with 409 "
        "`visit-template-not-in-force` unless a version of the template is in force for the "
        "line at the site on `starts_on`, and with 422 `visit-template-limit-exceeded` "
        "(naming the field) for a slot shorter than the template's visit, a capacity above "
        "`clinicians * floor(max_patients_per_clinician_hour * slot_minutes / 60)`, or a day "
        "whose sessions last longer than the template's clinician hours a day."
    ),
)


@listed(router, "/schedules", "listSchedules", SCHEDULES, MsoReader)
def list_schedules(site: UUID | None = None, service_line: ServiceLineCode | None = None) -> None:
    """Schedules, oldest first"""


SCHEDULE.shown(
    "getSchedule",
    "One schedule with its weekly rules, exceptions and publication horizon",
    MsoReader,
    lambda schedules: schedules.schedule,
)


@changing(router, "/schedules/{schedule_id}/weekly-rules", "replaceWeeklyRules", method="PUT")
def replace_weekly_rules(
    schedule_id: UUID, body: WeeklyRulesIn, schedules: Schedules, caller: Scheduler, change: Change
) -> ScheduleOut:
    """Replace the weekly rules (they shape the periods published from now on)"""
    weekly = [rule.rule() for rule in body.weekly]
    schedule = change(
        caller, schedules.replace_weekly_rules, body=None, schedule_id=schedule_id, weekly=weekly
    )
    return ScheduleOut.of(schedule)


@changing(
    router,
    "/schedules/{schedule_id}/publications",
    "publishSlots",
    description=(
        "At most 92 days and 3000 slots at once. Days already published are not published "
        "again: a repeat is 409 `nothing-to-publish`. A site may publish before it goes live "
        "(the MSO prepares it); its slots take holds and bookings only once it is live. "
        "Every day that would open slots must be under a version of the schedule's visit "
        "template: a day after the template's retirement is 409 `visit-template-not-in-force`, "
        "a day under a later version whose limits the schedule breaks is 409 "
        "`schedule-outside-visit-template`; either refuses the whole publication (publish "
        "through the day before)."
    ),
)
def publish_slots(
    schedule_id: UUID, body: PublicationIn, schedules: Schedules, caller: Scheduler, change: Change
) -> ScheduleChangeOut:
    """Publish the slots of every day not yet published, through a date"""
    schedule, opened = schedules.publish_slots(
        schedule_id=schedule_id,
        through=body.through,
        expected_version=change.expected_version(),
        meta=change.meta(caller),
    )
    return _changed(change.answered(schedule), slots_opened=opened)


@created(
    router,
    "/schedules/{schedule_id}/extra-sessions",
    "addExtraSession",
    ScheduleChangeOut,
    (401, 403, 404, 409, 412, 422),
    description="Its slots open at once if the day is published, else with its publication.",
)
def add_extra_session(
    schedule_id: UUID,
    body: ExtraSessionIn,
    create: Create,
    schedules: Schedules,
    caller: Scheduler,
    if_match: IfMatch = None,
) -> JSONResponse:
    """Open a one-off extra session on a day (e.g. a campus event day)"""
    version = expected_version(if_match)

    def make(session_id: UUID, meta: Meta) -> ScheduleChangeOut:
        schedule, opened = schedules.add_extra_session(
            schedule_id=schedule_id,
            session=body.session(session_id),
            expected_version=version,
            meta=meta,
        )
        return _changed(schedule, slots_opened=opened)

    def sessions(schedule: Schedule) -> list[UUID]:
        return [session.session_id for session in schedule.extra]

    find = _holding(schedules, schedule_id, sessions)
    return create(caller, body, make=make, find=find, answer=_same, location="/schedules/{id}")


@created(
    router,
    "/schedules/{schedule_id}/closures",
    "addClosure",
    ScheduleChangeOut,
    (401, 403, 404, 409, 412, 422),
    description=(
        "Refused with 409 `slots-have-bookings`, with nothing written, while any slot in the "
        "window holds an appointment: reschedule or cancel those first."
    ),
)
def add_closure(
    schedule_id: UUID,
    body: ClosureIn,
    create: Create,
    schedules: Schedules,
    caller: Scheduler,
    if_match: IfMatch = None,
) -> JSONResponse:
    """Close a window of time: its published slots close, later ones are not made"""
    version = expected_version(if_match)

    def make(closure_id: UUID, meta: Meta) -> ScheduleChangeOut:
        schedule, closed = schedules.add_closure(
            schedule_id=schedule_id,
            closure_id=closure_id,
            starts_at=body.starts_at,
            ends_at=body.ends_at,
            reason=body.reason,
            expected_version=version,
            meta=meta,
        )
        return _changed(schedule, slots_closed=closed)

    def closures(schedule: Schedule) -> list[UUID]:
        return [closure.closure_id for closure in schedule.closures]

    find = _holding(schedules, schedule_id, closures)
    return create(caller, body, make=make, find=find, answer=_same, location="/schedules/{id}")


def _changed(schedule: Schedule, **slots: int) -> ScheduleChangeOut:
    """The schedule after a change, with the slots the change opened or closed."""
    return ScheduleChangeOut(**ScheduleOut.of(schedule).model_dump(), **slots)


def _holding(
    schedules: ScheduleCommands, schedule_id: UUID, parts: Callable[[Schedule], list[UUID]]
) -> Callable[[UUID], ScheduleChangeOut | None]:
    """`find` for a part a retried request added (a session, a closure): the schedule, once
    its `parts` include the one under the id."""

    def find(part_id: UUID) -> ScheduleChangeOut | None:
        schedule = schedules.schedule(schedule_id)
        return _changed(schedule) if part_id in parts(schedule) else None

    return find


def _same(out: ScheduleChangeOut) -> ScheduleChangeOut:
    return out
