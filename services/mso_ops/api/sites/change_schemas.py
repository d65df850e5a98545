"""Request and response bodies of a site's material changes, and of the bookings to move."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, Field, model_validator
from typing_extensions import TypeAliasType

from mhg.bounded import Prose
from mhg.views import showing
from services.mso_ops.api.scheduling.schemas import ClockTime, Weekday
from services.mso_ops.api.schemas import AppointmentRow, Strict
from services.mso_ops.domain.operating_term import CLINICIAN_ROLES, MAX_OPENINGS
from services.mso_ops.domain.site_change import SiteChange
from services.mso_ops.domain.template_limits import MAX_CLINICIANS

MaterialChangeAspect = TypeAliasType(
    "MaterialChangeAspect", Literal["hours", "staffing_model", "lab_vendor", "clinical_supplies"]
)
LongText = Annotated[str, Prose(2000, min_length=1)]


ClinicianRole = TypeAliasType("ClinicianRole", Literal["physician", "medical_director", "np", "pa"])


class OpeningIn(Strict):
    weekday: Weekday
    opens: ClockTime
    closes: ClockTime

    @model_validator(mode="after")
    def _closes_after_it_opens(self) -> OpeningIn:
        if self.closes <= self.opens:
            raise ValueError(f"{self.weekday} closes after it opens ({self.opens}-{self.closes})")
        return self


class OperatingTermIn(Strict):
    """The term a change of hours (`openings`) or of the staffing model (the most
    clinicians a session is staffed by and the roles that may staff it) proposes, as
    structure: once the PC approves the change, schedules and staffing at the site are
    judged against it (409 `operating-term-exceeded`)."""

    openings: list[OpeningIn] | None = Field(
        default=None,
        min_length=1,
        max_length=MAX_OPENINGS,
        description="Aspect hours: the weekdays and hours the site opens, in its local time",
    )
    max_clinicians_per_session: int | None = Field(
        default=None, ge=1, le=MAX_CLINICIANS, description="Aspect staffing_model"
    )
    clinician_roles: list[ClinicianRole] | None = Field(
        default=None,
        min_length=1,
        max_length=len(CLINICIAN_ROLES),
        description="Aspect staffing_model",
    )


class SiteChangeIn(Strict):
    aspect: MaterialChangeAspect
    proposed: LongText = Field(examples=["Mon-Fri 07:30-18:00, Sat 09:00-13:00"])
    description: Annotated[str, Prose(4000, min_length=1)] = Field(
        examples=["Extend hours for the fall sports season"]
    )
    operating_term: OperatingTermIn | None = Field(
        default=None,
        description=(
            "Optional, for aspects hours and staffing_model: the proposed term as structure "
            "beside the text, the one the site is held to once the PC approves"
        ),
    )


class ProposedOpeningOut(BaseModel):
    weekday: str
    opens: str
    closes: str


class ProposedTermOut(BaseModel):
    """The proposed term as structure: openings for hours, the model for staffing."""

    openings: list[ProposedOpeningOut] | None = None
    max_clinicians_per_session: int | None = None
    clinician_roles: list[str] | None = None


class SiteChangeOut(BaseModel):
    id: UUID = Field(description="Also the id of the request the PC answers")
    site_id: UUID
    aspect: str
    proposed: str
    previous: str | None = Field(description="The value in force when the change was asked")
    description: str
    status: str = Field(description="requested, approved, denied, suspended or revoked")
    requested_by: str
    authorization_id: UUID | None
    decision_id: UUID | None
    effective_date: date | None
    conditions: list[str]
    reason: str | None
    version: int
    operating_term: ProposedTermOut | None = Field(
        default=None,
        description="The proposed term as structure (hours, staffing_model), if it has one",
    )

    @classmethod
    def of(cls, change: SiteChange) -> SiteChangeOut:
        previous: dict[str, Any] | None = change.previous
        return showing(cls, change, previous=previous["value"] if previous else None)


class SiteChangeRow(BaseModel):
    id: UUID
    site_id: UUID
    aspect: str
    proposed: str
    status: str
    requested_at: datetime
    requested_by: str
    authorization_id: UUID | None
    decision_id: UUID | None
    effective_date: date | None


class AffectedAppointmentRow(AppointmentRow):
    """A booking to reschedule: no patient data here (read the appointment for it)."""
