"""Request and response bodies of chart review, quality scores and corrective actions."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from mhg.bounded import MONTH_PATTERN, Day, Line, Month, Prose
from services.pc_governance.api.schemas import Strict
from services.pc_governance.domain.corrective_action import CorrectiveAction
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
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"charts_reviewed": 10}]},
    )
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
        return cls(
            id=s.id,
            clinician_id=s.clinician_id,
            period=s.period,
            service_line=s.service_line,
            chart_refs=s.chart_refs,
            status=s.status,
            findings=[finding_out(s, f) for f in s.findings],
            unreviewed=s.unreviewed,
            score=float(s.score) if s.status == COMPLETED else None,
            opened_at=s.opened_at,
            opened_by=s.opened_by,
            completed_at=s.completed_at,
            completed_by=s.completed_by,
            version=s.version,
        )


def finding_out(sample: ReviewSample, f: Finding) -> FindingOut:
    return FindingOut(
        id=f.finding_id,
        review_sample_id=sample.id,
        chart_ref=f.chart_ref,
        severity=f.severity,
        category=f.category,
        note=f.note,
        reviewer=f.reviewer,
        recorded_at=f.recorded_at,
        version=sample.version,
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


class SourceIn(Strict):
    """What led to the action.

    A finding is referenced as `<review sample id>/<finding id>`, a meeting decision by
    the decision id of its carried motion (GET /decisions), an audit freely.
    """

    kind: Literal["finding", "meeting_decision", "audit"]
    reference: Name = Field(examples=["6f1c2d4e-8a3b-4c5d-9e7f-0a1b2c3d4e5f"])


class CorrectiveActionIn(Strict):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "title": "Missing guardian consent on sports clearance charts",
                    "description": (
                        "Re-train front desk staff on collecting the guardian consent form "
                        "before the visit, and audit ten charts a week for a month"
                    ),
                    "owner": "mso",
                    "assignee": "Site operations manager",
                    "due_on": "2027-01-15",
                    "source": {
                        "kind": "meeting_decision",
                        "reference": "6f1c2d4e-8a3b-4c5d-9e7f-0a1b2c3d4e5f",
                    },
                }
            ]
        },
    )
    title: Name
    description: Annotated[str, Prose(4000, min_length=1)]
    owner: Literal["pc", "mso"]
    assignee: Name | None = Field(default=None, description="A name or a role")
    due_on: Day
    source: SourceIn | None = None


class EvidenceIn(Strict):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "text": "Front desk staff re-trained on consent forms on 2026-12-02",
                    "document_ref": "TRAINING-LOG-2026-12",
                }
            ]
        },
    )
    text: Text
    document_ref: Name | None = None


class ProgressIn(Strict):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "status": "completed",
                    "evidence": {
                        "text": "Four weekly audits of ten charts each: consent present in all 40",
                        "document_ref": "AUDIT-2026-12-CONSENT",
                    },
                }
            ]
        },
    )
    status: Literal["in_progress", "completed"]
    evidence: EvidenceIn


class JudgementIn(Strict):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"note": "January chart review found guardian consent on every sampled chart"}
            ]
        },
    )
    note: Text


class EvidenceOut(BaseModel):
    text: str
    document_ref: str | None
    added_by: str
    party: str
    added_at: datetime


class VerificationOut(BaseModel):
    effective: bool
    note: str
    verified_by: str
    verified_at: datetime


class CorrectiveActionOut(BaseModel):
    id: UUID
    title: str
    description: str
    owner: str
    assignee: str | None
    due_on: date
    source: dict[str, str] | None
    status: str
    overdue: bool
    opened_at: datetime
    opened_by: str
    assigned_at: datetime | None
    completed_at: datetime | None
    evidence: list[EvidenceOut]
    verifications: list[VerificationOut]
    version: int

    @classmethod
    def of(cls, a: CorrectiveAction, today: date) -> CorrectiveActionOut:
        return cls(
            id=a.id,
            title=a.title,
            description=a.description,
            owner=a.owner,
            assignee=a.assignee,
            due_on=a.due_on,
            source=a.source,
            status=a.status,
            overdue=a.overdue(today),
            opened_at=a.opened_at,
            opened_by=a.opened_by,
            assigned_at=a.assigned_at,
            completed_at=a.completed_at,
            evidence=[EvidenceOut.model_validate(e, from_attributes=True) for e in a.evidence],
            verifications=[
                VerificationOut.model_validate(v, from_attributes=True) for v in a.verifications
            ],
            version=a.version,
        )


class CorrectiveActionRow(BaseModel):
    id: UUID
    title: str
    owner: str
    assignee: str | None
    status: str
    due_on: date
    overdue: bool
    source_kind: str | None
    source_reference: str | None
    opened_at: datetime
    completed_at: datetime | None
    last_judged_at: datetime | None
    evidence_count: int
    reopen_count: int
