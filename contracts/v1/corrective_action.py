"""Corrective-action messages, major version 1.

PC Governance assigns a corrective action to the MSO and judges its effect; MSO Operations
reports its progress. Only actions the MSO owns travel; the PC's own stay inside it.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import ClassVar, Literal
from uuid import UUID

from pydantic import AwareDatetime, Field

from contracts.base import ContractMessage, ContractModel


@dataclass(frozen=True)
class Assignment:
    """What the MSO is given to do, as each side keeps it: what `corrective-action.assigned`
    carries besides the action's id (the source as a plain kind/reference mapping)."""

    title: str
    description: str
    assignee: str | None
    due_on: date
    source: dict[str, str] | None
    assigned_at: datetime


class CorrectiveActionSource(ContractModel):
    """What led to the action: a chart-review finding, a meeting decision or an audit."""

    kind: Literal["finding", "meeting_decision", "audit"]
    reference: str = Field(min_length=1, max_length=200)


class CorrectiveActionAssignedV1(ContractMessage):
    TYPE: ClassVar[str] = "corrective-action.assigned"
    VERSION: ClassVar[int] = 1

    action_id: UUID
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(min_length=1, max_length=4000)
    assignee: str | None = Field(default=None, max_length=200)
    due_on: date
    source: CorrectiveActionSource | None = None
    assigned_at: AwareDatetime


class CorrectiveActionVerifiedV1(ContractMessage):
    """The PC finds the action effective; it is closed."""

    TYPE: ClassVar[str] = "corrective-action.verified"
    VERSION: ClassVar[int] = 1

    action_id: UUID
    note: str = Field(min_length=1, max_length=2000)
    verified_at: AwareDatetime


class CorrectiveActionReopenedV1(ContractMessage):
    """The PC finds the action not effective; it is in progress again."""

    TYPE: ClassVar[str] = "corrective-action.reopened"
    VERSION: ClassVar[int] = 1

    action_id: UUID
    note: str = Field(min_length=1, max_length=2000)
    reopened_at: AwareDatetime


class CorrectiveActionProgressReportedV1(ContractMessage):
    """The MSO's progress on an action assigned to it, with evidence of what was done."""

    TYPE: ClassVar[str] = "corrective-action.progress-reported"
    VERSION: ClassVar[int] = 1

    action_id: UUID
    status: Literal["in_progress", "completed"]
    evidence: str = Field(min_length=1, max_length=2000)
    document_ref: str | None = Field(default=None, max_length=200)
    reported_at: AwareDatetime
