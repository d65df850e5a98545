"""Bodies of the corrective actions the PC assigned to the MSO."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, Field
from typing_extensions import TypeAliasType

from mhg.bounded import Line, Prose
from mhg.views import showing
from services.mso_ops.api.schemas import Strict
from services.mso_ops.domain.corrective_action import CorrectiveAction

CorrectiveActionStatus = TypeAliasType(
    "CorrectiveActionStatus", Literal["open", "in_progress", "completed", "closed"]
)


class ProgressIn(Strict):
    status: Literal["in_progress", "completed"] = Field(
        description="completed only after in_progress; the PC then verifies or reopens it"
    )
    evidence: Annotated[str, Prose(2000, min_length=1)] = Field(
        description="What was done", examples=["Front desk re-trained on consent forms 4/2"]
    )
    document_ref: Annotated[str, Line(200, min_length=1)] | None = Field(
        default=None, examples=["TRAINING-LOG-2026-04"]
    )


class SourceOut(BaseModel):
    kind: str
    reference: str


class ProgressReportOut(BaseModel):
    status: str
    evidence: str
    document_ref: str | None
    reported_by: str
    reported_at: datetime


class VerdictOut(BaseModel):
    effective: bool = Field(description="true: verified (closed); false: reopened")
    note: str
    judged_at: datetime


class CorrectiveActionOut(BaseModel):
    id: UUID
    title: str
    description: str
    assignee: str | None
    due_on: date
    source: SourceOut | None
    status: CorrectiveActionStatus = Field(description="closed once the PC verified it effective")
    overdue: bool = Field(description="Past its due date and not completed")
    assigned_at: datetime
    reports: list[ProgressReportOut]
    verdicts: list[VerdictOut]
    reopen_count: int
    version: int

    @classmethod
    def of(cls, action: CorrectiveAction, today: date) -> CorrectiveActionOut:
        return showing(
            cls,
            action,
            source=SourceOut.model_validate(action.source) if action.source else None,
            overdue=action.overdue(today),
            reports=[
                ProgressReportOut.model_validate(r, from_attributes=True) for r in action.reports
            ],
            verdicts=[VerdictOut.model_validate(v, from_attributes=True) for v in action.verdicts],
        )


class CorrectiveActionRow(BaseModel):
    id: UUID
    title: str
    assignee: str | None
    due_on: date
    status: CorrectiveActionStatus
    overdue: bool
    source_kind: str | None
    source_reference: str | None
    assigned_at: datetime
    report_count: int
    reopen_count: int
