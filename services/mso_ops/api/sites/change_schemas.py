"""Request and response bodies of a site's material changes, and of the bookings to move."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, Field

from mhg.bounded import Prose
from mhg.views import showing
from services.mso_ops.api.schemas import AppointmentRow, Strict
from services.mso_ops.domain.site_change import SiteChange

Aspect = Literal["hours", "staffing_model", "lab_vendor", "clinical_supplies"]
LongText = Annotated[str, Prose(2000, min_length=1)]


class SiteChangeIn(Strict):
    aspect: Aspect
    proposed: LongText = Field(examples=["Mon-Fri 07:30-18:00, Sat 09:00-13:00"])
    description: Annotated[str, Prose(4000, min_length=1)] = Field(
        examples=["Extend hours for the fall sports season"]
    )


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
