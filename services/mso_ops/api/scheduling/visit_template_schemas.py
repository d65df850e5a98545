"""Response bodies of the PC's visit templates as the MSO has received them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, Field

from services.mso_ops.domain.visit_template import TemplateHistory


class DecisionBasisOut(BaseModel):
    kind: Literal["meeting_decision", "medical_director_act"]
    reference: str


class TemplateVersionOut(BaseModel):
    version: int
    name: str
    service_line: str
    site_ids: list[UUID] | None = Field(description="The sites it applies to; null for all")
    clinician_roles: list[str] = Field(description="The roles that may staff a visit under it")
    visit_minutes: int
    max_patients_per_clinician_hour: int
    max_clinician_hours_per_day: int
    effective_from: date = Field(description="In force from this day until a later version's")
    decision_id: UUID = Field(description="The PC decision that approved this version")
    basis: DecisionBasisOut
    approved_at: datetime


class RetirementOut(BaseModel):
    ended_on: date
    reason: str
    decision_id: UUID


class VisitTemplateOut(BaseModel):
    id: UUID = Field(description="The PC's template id")
    name: str
    service_line: str
    site_ids: list[UUID] | None
    current_version: int = Field(description="The highest version received")
    version_in_force_today: int | None = Field(
        description="The version in force today (null: none yet, or the template has ended)"
    )
    retirement: RetirementOut | None
    versions: list[TemplateVersionOut] = Field(description="Every version received, oldest first")
    received_at: datetime

    @classmethod
    def of(
        cls, row: Mapping[str, Any], versions: Sequence[Mapping[str, Any]], today: date
    ) -> VisitTemplateOut:
        history = TemplateHistory.of([{**v, "site_ids": None} for v in versions], row["ended_on"])
        in_force = history.in_force(today)
        retirement = None
        if row["ended_on"] is not None:
            retirement = RetirementOut(
                ended_on=row["ended_on"],
                reason=row["retirement_reason"],
                decision_id=row["retirement_decision_id"],
            )
        return cls(
            id=row["id"],
            name=row["name"],
            service_line=row["service_line"],
            site_ids=row["site_ids"],
            current_version=row["current_version"],
            version_in_force_today=in_force.version if in_force else None,
            retirement=retirement,
            versions=[TemplateVersionOut.model_validate(v) for v in versions],
            received_at=row["received_at"],
        )
