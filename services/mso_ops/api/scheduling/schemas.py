"""Request and response bodies of schedules: weekly rules, exceptions, publications."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, Field, StringConstraints
from typing_extensions import TypeAliasType

from mhg.bounded import Day, Instant, Line
from mhg.views import showing
from services.mso_ops.api.schemas import (
    Reason,
    ServiceLineCode,
    Strict,
    Text,
    account_named,
    example,
)
from services.mso_ops.domain.availability import MAX_CAPACITY, MAX_RULES, ExtraSession, WeeklyRule
from services.mso_ops.domain.schedule import Schedule
from services.mso_ops.domain.slot import RELEASED, USED, Hold, Slot
from services.mso_ops.domain.template_limits import MAX_CLINICIANS

Weekday = TypeAliasType("Weekday", Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"])
ClockTime = Annotated[
    str,
    StringConstraints(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$", max_length=5),
    Field(description="Local wall-clock time, HH:MM", examples=["08:00"]),
]
Capacity = Annotated[int, Field(ge=1, le=MAX_CAPACITY, description="Bookings one slot takes")]


class WeeklyRuleIn(Strict):
    weekday: Weekday
    start: ClockTime
    end: ClockTime
    capacity: Capacity | None = Field(default=None, description="Default: the schedule's")

    def rule(self) -> WeeklyRule:
        return WeeklyRule(
            weekday=self.weekday, start=self.start, end=self.end, capacity=self.capacity
        )


WeeklyRules = Annotated[list[WeeklyRuleIn], Field(max_length=MAX_RULES)]


class ScheduleIn(Strict):
    site_id: UUID
    service_line: ServiceLineCode
    name: Text = Field(examples=["Eastside HS fall sports clearances"])
    template_id: UUID = Field(
        description=(
            "The PC-approved visit template the schedule runs under: a version of it must be "
            "in force for the line at the site on `starts_on`"
        ),
        examples=["9d5e2c71-3a4b-4c6d-8e9f-0a1b2c3d4e5f"],
    )
    clinicians: int = Field(
        default=1,
        ge=1,
        le=MAX_CLINICIANS,
        description="How many clinicians staff each session (the template's volume is per clinician)",
    )
    timezone: Annotated[str, Line(64, min_length=1, strip_whitespace=False)] = Field(
        default="America/Los_Angeles", description="The site's IANA time zone"
    )
    slot_minutes: int = Field(default=20, ge=5, le=480)
    capacity: Capacity = 1
    starts_on: Day
    ends_on: Day | None = None
    weekly: WeeklyRules = Field(
        examples=[[{"weekday": "tue", "start": "15:00", "end": "18:00"}]],
    )

    def arguments(self) -> dict[str, Any]:
        """The schedule as `create_schedule` names its parts: the line's code, the rules."""
        return {
            **self.model_dump(exclude={"service_line", "weekly"}),
            "code": self.service_line,
            "weekly": [rule.rule() for rule in self.weekly],
        }


class WeeklyRulesIn(Strict):
    model_config = example(
        {
            "weekly": [
                {"weekday": "tue", "start": "15:00", "end": "18:00"},
                {"weekday": "thu", "start": "15:00", "end": "18:00", "capacity": 2},
            ]
        }
    )
    weekly: WeeklyRules


class PublicationIn(Strict):
    model_config = example({"through": "2027-01-31"})
    through: Day = Field(description="Publish every day not yet published, up to this one")


class ExtraSessionIn(Strict):
    day: Day
    start: ClockTime
    end: ClockTime
    capacity: Capacity | None = None
    reason: Reason = Field(examples=["Saturday sports physicals event"])
    account_id: UUID | None = account_named()

    def session(self, session_id: UUID) -> ExtraSession:
        return ExtraSession(
            session_id=session_id,
            day=self.day,
            start=self.start,
            end=self.end,
            capacity=self.capacity,
            reason=self.reason,
        )


class ClosureIn(Strict):
    starts_at: Instant
    ends_at: Instant
    reason: Reason = Field(examples=["Campus closed: heat advisory"])


class WeeklyRuleOut(BaseModel):
    weekday: str
    start: str
    end: str
    capacity: int | None


class ExtraSessionOut(BaseModel):
    id: UUID
    day: date
    start: str
    end: str
    capacity: int | None
    reason: str


class ClosureOut(BaseModel):
    id: UUID
    starts_at: datetime
    ends_at: datetime
    reason: str


class AppliedTemplateOut(BaseModel):
    """The visit-template version a schedule last ran under, and the limits it applied."""

    template_id: UUID
    version: int
    name: str
    decision_id: UUID
    effective_from: date
    clinician_roles: list[str]
    visit_minutes: int
    max_patients_per_clinician_hour: int
    max_clinician_hours_per_day: int


class ScheduleTerms(BaseModel):
    # who works a schedule, where its clock is, its slots and the days it runs, as
    # answered and as listed, each after its own head (no docstring: it would describe
    # both; pydantic lays out the last base's fields first)
    clinicians: int
    timezone: str
    slot_minutes: int
    capacity: int
    starts_on: date
    ends_on: date | None


class ScheduleHead(BaseModel):
    id: UUID
    site_id: UUID
    service_line: str
    name: str
    template_id: UUID | None = Field(description="None only on schedules made before templates")
    template: AppliedTemplateOut | None = Field(
        description="The version applied at creation or at the last publication, with its limits"
    )
    template_label: str | None = Field(description="Free text of a schedule made before templates")


class ScheduleOut(ScheduleTerms, ScheduleHead):
    weekly: list[WeeklyRuleOut]
    extra_sessions: list[ExtraSessionOut]
    closures: list[ClosureOut]
    published_through: date | None
    version: int

    @classmethod
    def of(cls, s: Schedule) -> ScheduleOut:
        return showing(
            cls,
            s,
            template=AppliedTemplateOut.model_validate(s.applied_template)
            if s.applied_template
            else None,
            weekly=[WeeklyRuleOut.model_validate(r.as_dict()) for r in s.weekly],
            extra_sessions=[showing(ExtraSessionOut, e, id=e.session_id) for e in s.extra],
            closures=[showing(ClosureOut, c, id=c.closure_id) for c in s.closures],
        )


class ScheduleChangeOut(ScheduleOut):
    slots_opened: int = Field(default=0, description="Slots this change opened")
    slots_closed: int = Field(default=0, description="Slots this change closed")


class ScheduleRowHead(BaseModel):
    id: UUID
    site_id: UUID
    service_line: str
    name: str
    template_id: UUID | None
    template_version: int | None
    template_label: str | None


class ScheduleRow(ScheduleTerms, ScheduleRowHead):
    published_through: date | None


HoldStatus = Literal["active", "expired", "used", "released"]


class SlotHoldOut(BaseModel):
    id: UUID
    slot_id: UUID
    expires_at: datetime
    status: HoldStatus

    @classmethod
    def of(cls, slot: Slot, hold: Hold, at: datetime) -> SlotHoldOut:
        status: HoldStatus = "expired"
        if hold.status == USED:
            status = "used"
        elif hold.status == RELEASED:
            status = "released"
        elif hold.running_at(at):
            status = "active"
        return cls(id=hold.hold_id, slot_id=slot.id, expires_at=hold.expires_at, status=status)
