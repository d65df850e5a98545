"""Coverage of clinical shifts, major version 1.

MSO Operations staffs clinical shifts; whether a shift has the eligibility and
supervision the PC requires is judged against what the PC published. Each time a
clinical shift's judgement changes (a gap opens, its reasons change, or it closes),
the MSO publishes the shift's coverage, so that the PC sees every coverage gap and can
put it before its governance meeting. No patient data appears in it.
"""

from datetime import date
from typing import ClassVar
from uuid import UUID

from pydantic import AwareDatetime, Field

from contracts.base import ContractMessage, ContractModel


class CoverageShortfall(ContractModel):
    """One reason the shift fails the PC's rules (`no_eligible_clinician`,
    `clinician_not_eligible`, `app_without_supervisor`, `supervisor_over_capacity`,
    `template_not_in_force`, `shift_over_template_hours`, `role_not_in_template`)."""

    reason: str = Field(min_length=1, max_length=64)
    clinician_id: UUID | None = Field(default=None, description="The PC clinician it names")
    detail: str = Field(max_length=1000)


class ShiftCoverageJudgedV1(ContractMessage):
    """A clinical shift's coverage as judged now: `shortfalls` empty means covered (a gap
    it had is closed); each message replaces the previous one for the shift."""

    TYPE: ClassVar[str] = "shift.coverage-judged"
    VERSION: ClassVar[int] = 1

    shift_id: UUID
    site_id: UUID
    day: date = Field(description="The shift's day")
    start: AwareDatetime
    end: AwareDatetime
    label: str | None = Field(default=None, max_length=200)
    shortfalls: tuple[CoverageShortfall, ...] = Field(max_length=200)
    judged_at: AwareDatetime
