"""Request and response bodies of the MSO Operations API (a site's own: site_schemas.py)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field
from typing_extensions import TypeAliasType

from contracts.v1 import service_lines
from mhg.bounded import Day, Instant, Line, Prose
from mhg.views import View, showing
from services.mso_ops.domain.appointment import Appointment

# the contracts' one vocabulary, one named component (`$ref`) in the API document
ServiceLineCode = TypeAliasType("ServiceLineCode", service_lines.ServiceLineCode)
Text = Annotated[str, Line(200, min_length=1)]
Reason = Annotated[str, Line(500, min_length=1)]  # why a step was taken: a cancellation, a hold


def account_named() -> Any:
    """An optional `account_id` of a booking, event, form or claim: the account it comes
    from (an id of no account is a 422, an inactive account's a 409)."""
    return Field(
        default=None,
        description="The account (school district, team, employer, program) it comes from",
    )


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def example(body: dict[str, Any]) -> ConfigDict:
    """The config of a request body that takes no other fields, with the example of it the
    API document shows."""
    return ConfigDict(extra="forbid", json_schema_extra={"examples": [body]})


class NoBody(Strict):
    """The body of a request that has none, for `Create` (a month closed by its path alone)."""


NO_BODY = NoBody()


class ServiceLineIn(Strict):
    model_config = example({"code": "sports_clearance"})
    code: ServiceLineCode


class ServiceLineOut(View):
    id: UUID
    site_id: UUID
    code: str
    status: str = Field(
        description="proposed, authorization_requested, authorized, denied, suspended or revoked"
    )
    request_id: UUID | None
    authorization_id: UUID | None = Field(description="The PC authorization this line runs under")
    decision_id: UUID | None = Field(description="The PC decision that set the current status")
    effective_date: date | None
    conditions: list[str]
    version: int


class ServiceLineRow(BaseModel):
    id: UUID
    site_id: UUID
    code: str
    status: str
    request_id: UUID | None
    authorization_id: UUID | None
    decision_id: UUID | None
    effective_date: date | None


class ChecklistItemIn(Strict):
    item: Text = Field(examples=["lease signed"])
    met: bool
    evidence: Annotated[str, Prose(2000, min_length=0, strip_whitespace=False)] | None = None


class ReadinessIn(Strict):
    summary: Annotated[str, Prose(4000, min_length=0, strip_whitespace=False)] = Field(
        examples=["Room, equipment and staffing plan ready for the fall season"]
    )
    checklist: list[ChecklistItemIn] = Field(default_factory=list, max_length=100)


class AuthorizationRequestIn(Strict):
    model_config = example(
        {
            "readiness": {
                "summary": "Room, equipment and staffing plan ready for the fall season",
                "checklist": [
                    {"item": "lease signed", "met": True, "evidence": "LEASE-2026-014"},
                    {"item": "courier contracted", "met": True, "evidence": "VC-2026-031"},
                    {
                        "item": "staffing plan",
                        "met": True,
                        "evidence": "STAFF-PLAN-2026-09",
                    },
                ],
            }
        }
    )
    readiness: ReadinessIn


class PatientIn(Strict):
    """The minimum necessary: no clinical content."""

    name: Text
    date_of_birth: Day
    contact: Annotated[str, Line(200, min_length=3)] = Field(description="Phone or e-mail")


class AppointmentIn(Strict):
    model_config = example(
        {
            "site_id": "0b6c1d2e-3f40-4a5b-8c6d-7e8f9a0b1c2d",
            "service_line": "sports_clearance",
            "start": "2027-01-12T15:20:00-08:00",
            "minutes": 20,
            "patient": {
                "name": "Pat Doe",
                "date_of_birth": "2010-04-01",
                "contact": "555-0100",
            },
            "requested_by": "Eastside HS athletics",
        }
    )
    site_id: UUID
    service_line: ServiceLineCode
    start: Instant
    minutes: int = Field(default=20, ge=5, le=480)
    patient: PatientIn
    requested_by: Text | None = Field(
        default=None, description="The school, team or employer that asked for the form"
    )
    account_id: UUID | None = account_named()


class CancelIn(Strict):
    model_config = example({"reason": "Family asked to cancel: tryouts moved to spring"})
    reason: Reason


class PatientOut(BaseModel):
    name: str
    date_of_birth: date
    contact: str


class AppointmentOut(BaseModel):
    id: UUID
    site_id: UUID
    service_line: str
    start: datetime
    minutes: int
    status: str = Field(
        description="booked, arrived, fulfilled, cancelled, no_show or entered_in_error"
    )
    authorization_id: UUID = Field(description="The PC authorization the booking was made under")
    decision_id: UUID = Field(description="The PC decision that put the authorization in force")
    requested_by: str | None
    patient: PatientOut
    slot_id: UUID | None = Field(default=None, description="The slot it holds a place in")
    cancellation_reason: str | None = None
    error_reason: str | None = Field(default=None, description="Why it was entered in error")
    version: int

    @classmethod
    def of(cls, appointment: Appointment) -> AppointmentOut:
        return showing(cls, appointment, patient=PatientOut.model_validate(appointment.patient))


class AppointmentRow(BaseModel):
    id: UUID
    site_id: UUID
    service_line: str
    start: datetime
    minutes: int
    status: str
    authorization_id: UUID
    decision_id: UUID
