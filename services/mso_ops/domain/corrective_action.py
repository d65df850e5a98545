"""A corrective action the PC assigned to the MSO: the MSO carries it out, the PC judges it.

It arrives through the PC's feed (assigned), the MSO reports progress with evidence
(in progress, then completed; each report goes back to the PC), and the PC's verdict
arrives the same way: verified closes it for good, reopened puts it back in progress.
Opening an action and judging its effect are PC decisions; none is taken here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from contracts.v1.corrective_action import Assignment
from mhg.meta import Meta
from services.mso_ops.domain.corrective_action_errors import (
    InvalidCorrectiveActionTransition,
    InvalidProgressReport,
)

OPEN = "open"
IN_PROGRESS = "in_progress"
COMPLETED = "completed"
CLOSED = "closed"
STATUSES = (OPEN, IN_PROGRESS, COMPLETED, CLOSED)
NOT_DONE = frozenset({OPEN, IN_PROGRESS})

# A report may be made from these states (the PC applies the same rule to what it receives).
REPORTABLE_FROM = {IN_PROGRESS: frozenset({OPEN, IN_PROGRESS}), COMPLETED: frozenset({IN_PROGRESS})}
MAX_EVIDENCE = 2000
MAX_DOCUMENT_REF = 200


@dataclass(frozen=True)
class ProgressReport:
    status: str
    evidence: str
    document_ref: str | None
    reported_by: str
    reported_at: datetime


@dataclass(frozen=True)
class Verdict:
    effective: bool
    note: str
    judged_at: datetime


class CorrectiveAction(Aggregate):
    class Assigned(Assignment, Aggregate.Created):
        meta: Meta

    @event(Assigned)
    def __init__(
        self,
        id: UUID,
        title: str,
        description: str,
        assignee: str | None,
        due_on: date,
        source: dict[str, str] | None,
        assigned_at: datetime,
        meta: Meta,
    ) -> None:
        self.title = title
        self.description = description
        self.assignee = assignee
        self.due_on = due_on
        self.source = dict(source) if source else None
        self.assigned_at = assigned_at
        self.assigned_by = meta.actor_id
        self.status = OPEN
        self.reports: list[ProgressReport] = []
        self.verdicts: list[Verdict] = []

    def report_progress(
        self, *, status: str, evidence: str, document_ref: str | None, at: datetime, meta: Meta
    ) -> None:
        allowed = REPORTABLE_FROM.get(status)
        if allowed is None:
            raise InvalidProgressReport("status must be in_progress or completed", field="status")
        if not evidence.strip() or len(evidence) > MAX_EVIDENCE:
            raise InvalidProgressReport(
                f"evidence is 1 to {MAX_EVIDENCE} characters of what was done", field="evidence"
            )
        if document_ref is not None and not 0 < len(document_ref) <= MAX_DOCUMENT_REF:
            raise InvalidProgressReport(
                f"a document reference is 1 to {MAX_DOCUMENT_REF} characters", field="document_ref"
            )
        if self.status not in allowed:
            raise InvalidCorrectiveActionTransition(
                f"cannot report {status.replace('_', ' ')} on an action that is {self.status}",
                current_status=self.status,
            )
        self._progress_reported(
            status=status, evidence=evidence, document_ref=document_ref, reported_at=at, meta=meta
        )

    class ProgressReported(Aggregate.Event):
        status: str
        evidence: str
        document_ref: str | None
        reported_at: datetime
        meta: Meta

    @event(ProgressReported)
    def _progress_reported(
        self,
        status: str,
        evidence: str,
        document_ref: str | None,
        reported_at: datetime,
        meta: Meta,
    ) -> None:
        self.status = status
        self.reports.append(
            ProgressReport(status, evidence, document_ref, meta.actor_id, reported_at)
        )

    def record_verified(self, *, note: str, at: datetime, meta: Meta) -> None:
        """The PC found the action effective: closed, for good."""
        self._check_open_to_judgement("verified")
        self._verified(note=note, verified_at=at, meta=meta)

    class Verified(Aggregate.Event):
        note: str
        verified_at: datetime
        meta: Meta

    @event(Verified)
    def _verified(self, note: str, verified_at: datetime, meta: Meta) -> None:
        self.status = CLOSED
        self.verdicts.append(Verdict(True, note, verified_at))

    def record_reopened(self, *, note: str, at: datetime, meta: Meta) -> None:
        """The PC found the action not effective: in progress again."""
        self._check_open_to_judgement("reopened")
        self._reopened(note=note, reopened_at=at, meta=meta)

    class Reopened(Aggregate.Event):
        note: str
        reopened_at: datetime
        meta: Meta

    @event(Reopened)
    def _reopened(self, note: str, reopened_at: datetime, meta: Meta) -> None:
        self.status = IN_PROGRESS
        self.verdicts.append(Verdict(False, note, reopened_at))

    def _check_open_to_judgement(self, verdict: str) -> None:
        """The PC's verdict stands whatever the MSO last reported, unless the action is closed."""
        if self.status == CLOSED:
            raise InvalidCorrectiveActionTransition(
                f"the action is closed; it cannot be {verdict}", current_status=self.status
            )

    def overdue(self, today: date) -> bool:
        return self.due_on < today and self.status in NOT_DONE

    @property
    def reopen_count(self) -> int:
        return sum(1 for v in self.verdicts if not v.effective)
