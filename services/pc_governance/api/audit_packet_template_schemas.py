"""The audit packet's visit-template versions: the volume and hours the PC had approved."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from pydantic import BaseModel, Field


class PacketVisitTerms(BaseModel):
    name: str
    service_line: str
    site_ids: list[UUID] | None = Field(description="null: every site")
    clinician_roles: list[str]
    visit_minutes: int
    max_patients_per_clinician_hour: int
    max_clinician_hours_per_day: int


class PacketTemplateRetirement(BaseModel):
    ended_on: date
    reason: str
    decision_id: UUID
    basis: dict[str, str]
    retired_by: str
    retired_at: datetime


class PacketVisitTemplateVersion(BaseModel):
    template_id: UUID
    version: int
    status: str = Field(description="At the period's end: approved, superseded or retired")
    terms: PacketVisitTerms
    effective_from: date
    ended_on: date | None = Field(description="The first day it is no longer in force")
    decision_id: UUID = Field(description="The Medical Director's approval of this version")
    basis: dict[str, str]
    approved_by: str
    approved_at: datetime
    retirement: PacketTemplateRetirement | None = Field(
        description="The template's retirement, when decided before the period's end"
    )
