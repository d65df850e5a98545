"""Request and response bodies of the supervision structure: its rules and assignments."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, Field

from mhg.bounded import Day
from services.pc_governance.api.schemas import Strict, read_off, with_example
from services.pc_governance.domain.supervision import Assignment, SupervisionStructure


class SupervisionRulesIn(Strict):
    model_config = with_example(max_apps_per_physician=4, chart_review_share_percent=10)
    max_apps_per_physician: int = Field(ge=1, le=20)
    chart_review_share_percent: int = Field(ge=1, le=100)


class SupervisionRulesOut(BaseModel):
    max_apps_per_physician: int
    chart_review_share_percent: int
    published_at: datetime | None
    version: int

    @classmethod
    def of(cls, s: SupervisionStructure) -> SupervisionRulesOut:
        return read_off(s, cls)


class AssignmentIn(Strict):
    model_config = with_example(
        app_id="8a4f2c1e-7b3d-4e5f-9a6b-0c1d2e3f4a5b",
        physician_id="2d7e9b4c-1a3f-4c5e-8b6d-9e0f1a2b3c4d",
        effective_from="2027-01-01",
    )
    app_id: UUID
    physician_id: UUID
    effective_from: Day
    effective_to: Day | None = Field(default=None, description="Last day; omit when open")


class EndAssignmentIn(Strict):
    model_config = with_example(last_day="2026-12-31")
    last_day: Day


class AssignmentRecord(BaseModel):
    # an assignment as answered and as listed (no docstring: it would describe both)
    id: UUID
    app_id: UUID
    physician_id: UUID
    effective_from: date
    effective_to: date | None
    status: str


class AssignmentOut(AssignmentRecord):
    version: int = Field(description="The supervision structure's version, for If-Match")

    @classmethod
    def of(cls, s: SupervisionStructure, assignment_id: UUID) -> AssignmentOut:
        a: Assignment = s.assignment(assignment_id)
        return read_off(a, cls, id=a.assignment_id, version=s.version)


class AssignmentRow(AssignmentRecord):
    app_eligible: bool
    physician_eligible: bool


class ViolationRow(AssignmentRow):
    reasons: list[Literal["supervisor_not_eligible", "app_not_eligible"]]

    @classmethod
    def of(cls, row: AssignmentRow) -> ViolationRow:
        reasons: list[Literal["supervisor_not_eligible", "app_not_eligible"]] = []
        if not row.physician_eligible:
            reasons.append("supervisor_not_eligible")
        if not row.app_eligible:
            reasons.append("app_not_eligible")
        return cls(**row.model_dump(), reasons=reasons)
