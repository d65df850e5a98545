"""Request and response bodies of chart review, quality scores and corrective actions."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, Field, StringConstraints

from mhg.bounded import MONTH_PATTERN, Line, Month, Prose
from services.pc_governance.api.schemas import Strict, read_off, with_example
from services.pc_governance.domain.quality import COMPLETED, MAX_CHARTS, Finding, ReviewSample

ChartRef = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:/-]{0,99}$", max_length=100),
    Field(
        description="An opaque chart id from the EHR: no clinical content", examples=["EHR-88231"]
    ),
]
PERIOD_PATTERN = MONTH_PATTERN
SERVICE_LINE_PATTERN = r"^[a-z][a-z0-9_]{0,63}$"
Period = Month
ServiceLine = Annotated[str, StringConstraints(pattern=SERVICE_LINE_PATTERN, max_length=64)]
Text = Annotated[str, Prose(2000, min_length=1)]
Name = Annotated[str, Line(200, min_length=1)]
Severity = Literal["none", "minor", "moderate", "major", "critical"]
Category = Literal["documentation", "protocol_adherence", "clinical_judgment", "other"]


class ReviewSampleIn(Strict):
    clinician_id: UUID
    period: Period = Field(examples=["2026-11"])
    service_line: ServiceLine = Field(examples=["sports_clearance"])
    chart_refs: list[ChartRef] = Field(min_length=1, max_length=MAX_CHARTS)


class FindingIn(Strict):
    chart_ref: ChartRef
    severity: Severity
    category: Category
    note: Text | None = Field(default=None, description="The reviewer's note")


class CompleteReviewIn(Strict):
    model_config = with_example(charts_reviewed=10)
    charts_reviewed: int = Field(
        ge=1,
        le=MAX_CHARTS,
        description="How many charts you reviewed: must be every chart in the sample",
    )


class FindingOut(BaseModel):
    id: UUID
    review_sample_id: UUID
    chart_ref: str
    severity: str
    category: str
    note: str | None
    reviewer: str
    recorded_at: datetime
    version: int


class ReviewSampleOut(BaseModel):
    id: UUID
    clinician_id: UUID
    period: str
    service_line: str
    chart_refs: list[str]
    status: str
    findings: list[FindingOut]
    unreviewed: list[str]
    score: float | None = Field(
        description="Percent of charts without a moderate-or-worse finding; set on completion"
    )
    opened_at: datetime
    opened_by: str
    completed_at: datetime | None
    completed_by: str | None
    version: int

    @classmethod
    def of(cls, s: ReviewSample) -> ReviewSampleOut:
        return read_off(
            s,
            cls,
            findings=[finding_out(s, f) for f in s.findings],
            score=float(s.score) if s.status == COMPLETED else None,
        )


def finding_out(sample: ReviewSample, f: Finding) -> FindingOut:
    return read_off(
        f, FindingOut, id=f.finding_id, review_sample_id=sample.id, version=sample.version
    )


class ReviewSampleRow(BaseModel):
    id: UUID
    clinician_id: UUID
    period: str
    service_line: str
    status: str
    chart_count: int
    finding_count: int
    serious_finding_count: int
    opened_at: datetime
    completed_at: datetime | None
    charts_clear: int | None
    score: float | None


class QualityScoreRow(BaseModel):
    period: str
    clinician_id: UUID
    service_line: str
    samples: int
    charts_reviewed: int
    charts_clear: int
    score: float = Field(
        description="Percent of reviewed charts without a moderate-or-worse finding"
    )


# A corrective action's verification of effect (corrective_action_schemas).
class ActionVerificationOut(BaseModel):
    effective: bool
    note: str
    verified_by: str
    verified_at: datetime
