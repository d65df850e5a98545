"""Request and response bodies of corrective actions."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, Field, model_validator
from typing_extensions import TypeAliasType

from mhg.bounded import Day, Prose
from services.pc_governance.api.quality.schemas import ActionVerificationOut, Name, Text
from services.pc_governance.api.schemas import Strict, read_off, with_example
from services.pc_governance.application import clock
from services.pc_governance.domain.corrective_action import NOT_DONE, CorrectiveAction

ActionOwner = TypeAliasType("ActionOwner", Literal["pc", "mso"])


class SourceIn(Strict):
    """What led to the action.

    A finding is referenced as `<review sample id>/<finding id>`, a meeting decision by
    the decision id of its carried motion (GET /decisions), an audit freely.
    """

    kind: Literal["finding", "meeting_decision", "audit"]
    reference: Name = Field(examples=["6f1c2d4e-8a3b-4c5d-9e7f-0a1b2c3d4e5f"])


class CorrectiveActionIn(Strict):
    model_config = with_example(
        title="Missing guardian consent on sports clearance charts",
        description="Re-train front desk staff on collecting the guardian consent form "
        "before the visit, and audit ten charts a week for a month",
        owner="mso",
        assignee="Site operations manager",
        due_on="2027-01-15",
        source={
            "kind": "meeting_decision",
            "reference": "6f1c2d4e-8a3b-4c5d-9e7f-0a1b2c3d4e5f",
        },
    )
    title: Name
    description: Annotated[str, Prose(4000, min_length=1)]
    owner: ActionOwner
    assignee: Name | None = Field(default=None, description="A name or a role")
    due_on: Day
    source: SourceIn | None = None


class EvidenceIn(Strict):
    model_config = with_example(
        text="Front desk staff re-trained on consent forms on 2026-12-02",
        document_ref="TRAINING-LOG-2026-12",
    )
    text: Text
    document_ref: Name | None = None


class ProgressIn(Strict):
    model_config = with_example(
        status="completed",
        evidence={
            "text": "Four weekly audits of ten charts each: consent present in all 40",
            "document_ref": "AUDIT-2026-12-CONSENT",
        },
    )
    status: Literal["in_progress", "completed"]
    evidence: EvidenceIn


class JudgementIn(Strict):
    model_config = with_example(
        note="January chart review found guardian consent on every sampled chart"
    )
    note: Text


class EvidenceOut(BaseModel):
    text: str
    document_ref: str | None
    added_by: str
    party: str
    added_at: datetime


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
    verifications: list[ActionVerificationOut]
    version: int

    @classmethod
    def of(cls, a: CorrectiveAction, today: date) -> CorrectiveActionOut:
        return read_off(a, cls, overdue=a.overdue(today))


# A listed action; `overdue` (past due, not completed) is as of today when read.
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

    @model_validator(mode="before")
    @classmethod
    def _as_of_today(cls, row: Any) -> Any:
        if isinstance(row, dict) and "overdue" not in row:
            return {**row, "overdue": row["due_on"] < clock.today() and row["status"] in NOT_DONE}
        return row
