"""Schedules: weekly availability, one-off exceptions, and publishing the slots they make."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from mhg.changes import Change
from mhg.creation import Create, recorded
from mhg.declared import created, given, listed
from mhg.listing import Listing
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
from services.mso_ops.projections import scheduling

router = APIRouter(tags=["scheduling"])

SCHEDULES = Listing(scheduling.SCHEDULES, ScheduleRow)


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


def _adds(
    part: str,
    operation_id: str,
    summary: str,
    body: type[BaseModel],
    add: Callable[..., tuple[Schedule, int]],
    parts: Callable[[Schedule], list[UUID]],
    slots: str,
    description: str,
) -> None:
    """A route that adds a part to a schedule at the version read (a session, a closure),
    at most once per Idempotency-Key: `add(schedules, schedule_id, body, part_id, version,
    meta)` runs the command; the answer is the schedule with the `slots` it opened or closed."""

    def add_part(
        schedule_id: UUID,
        body: BaseModel,
        create: Create,
        schedules: Schedules,
        caller: Scheduler,
        if_match: IfMatch = None,
    ) -> JSONResponse:
        version = expected_version(if_match)

        def make(part_id: UUID, meta: Meta) -> ScheduleChangeOut:
            schedule, count = add(schedules, schedule_id, body, part_id, version, meta)
            return _changed(schedule, **{slots: count})

        find = _holding(schedules, schedule_id, parts)
        return create(caller, body, make=make, find=find, answer=_same, location="/schedules/{id}")

    add_part.__doc__ = summary
    statuses = (401, 403, 404, 409, 412, 422)
    path = f"/schedules/{{schedule_id}}/{part}"
    declare = created(
        router, path, operation_id, ScheduleChangeOut, statuses, description=description
    )
    declare(given(add_part, body=body))


_adds(
    "extra-sessions",
    "addExtraSession",
    "Open a one-off extra session on a day (e.g. a campus event day)",
    ExtraSessionIn,
    lambda schedules, schedule_id, body, session_id, version, meta: schedules.add_extra_session(
        schedule_id=schedule_id,
        session=body.session(session_id),
        account_id=body.account_id,
        expected_version=version,
        meta=meta,
    ),
    lambda schedule: [session.session_id for session in schedule.extra],
    "slots_opened",
    description="Its slots open at once if the day is published, else with its publication.",
)
_adds(
    "closures",
    "addClosure",
    "Close a window of time: its published slots close, later ones are not made",
    ClosureIn,
    lambda schedules, schedule_id, body, closure_id, version, meta: schedules.add_closure(
        schedule_id=schedule_id,
        closure_id=closure_id,
        expected_version=version,
        meta=meta,
        **body.model_dump(),
    ),
    lambda schedule: [closure.closure_id for closure in schedule.closures],
    "slots_closed",
    description=(
        "Refused with 409 `slots-have-bookings`, with nothing written, while any slot in the "
        "window holds an appointment: reschedule or cancel those first."
    ),
)


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
