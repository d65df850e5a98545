"""Visit-template messages, major version 1.

Patient volume per clinician and clinician hours are the PC's decision (decision
rights: "patient volume per clinician, clinician hours"); the MSO schedules and staffs
within the templates the Medical Director approves. A template is versioned: each
approved version says, for one service line (at some or all sites), which clinician
roles may staff it, how long a visit is, how many patients one clinician may see in an
hour and how many hours one clinician may work in a day. The MSO may know these
limits; the clinical reasoning behind them stays with the PC.
"""

from datetime import date
from typing import Annotated, ClassVar
from uuid import UUID

from pydantic import AwareDatetime, Field

from contracts.base import ContractMessage
from contracts.v1.authorization import DecisionBasis
from contracts.v1.clinician import ClinicianRole

ServiceLine = Annotated[str, Field(min_length=1, max_length=64)]


class _VisitTemplateVersion(ContractMessage):
    template_id: UUID
    version: int = Field(ge=1)
    name: str = Field(min_length=1, max_length=200)
    service_line: ServiceLine
    site_ids: list[UUID] | None = Field(
        default=None, max_length=500, description="The sites it applies to; null for all sites"
    )


class VisitTemplateApprovedV1(_VisitTemplateVersion):
    """This version is (or will be) in force from `effective_from`.

    It replaces the template's earlier version from that day on; a version stays in
    force until a later version takes effect or a `visit-template.retired` ends it.
    """

    TYPE: ClassVar[str] = "visit-template.approved"
    VERSION: ClassVar[int] = 1

    clinician_roles: list[ClinicianRole] = Field(
        min_length=1, max_length=4, description="The roles that may staff a visit under it"
    )
    visit_minutes: int = Field(ge=5, le=480, description="How long one visit is booked for")
    max_patients_per_clinician_hour: int = Field(
        ge=1, le=60, description="Patient volume: at most this many visits per clinician-hour"
    )
    max_clinician_hours_per_day: int = Field(
        ge=1, le=24, description="Clinician hours: at most this many hours in one day"
    )
    effective_from: date
    decision_id: UUID = Field(description="The PC decision that approved this version")
    basis: DecisionBasis
    approved_at: AwareDatetime


class VisitTemplateRetiredV1(_VisitTemplateVersion):
    """The template is no longer in force from `ended_on` (it may be a future day)."""

    TYPE: ClassVar[str] = "visit-template.retired"
    VERSION: ClassVar[int] = 1

    reason: str = Field(min_length=1, max_length=500)
    ended_on: date
    decision_id: UUID
    retired_at: AwareDatetime
