"""A corrective action: what must change, who owns it (the PC or the MSO), and whether it worked.

Lifecycle: open -> in_progress -> completed -> verified (the PC finds it effective, final)
or reopened (not effective: back to in_progress). Only the owning party reports progress;
evidence may be added by either while the action is not verified. Opening an action and
verifying its effect are PC decisions. An MSO-owned action is assigned, verified and reopened
through events of their own, which are the ones published to the MSO.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from contracts.v1.corrective_action import Assignment
from mhg.meta import Meta
from services.pc_governance.domain.corrective_action_records import (
    Evidence,
    Verification,
    evidence_record,
)
from services.pc_governance.domain.errors import (
    InvalidCorrectiveAction,
    InvalidCorrectiveActionTransition,
    ProgressByOtherParty,
)

OPEN = "open"
IN_PROGRESS = "in_progress"
COMPLETED = "completed"
VERIFIED = "verified"

OWNERS = ("pc", "mso")
SOURCE_KINDS = ("finding", "meeting_decision", "audit")

# step -> the states it may be taken from, and the state it leads to
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "report_in_progress": (frozenset({OPEN, IN_PROGRESS}), IN_PROGRESS),
    "report_completed": (frozenset({IN_PROGRESS}), COMPLETED),
    "verify": (frozenset({COMPLETED}), VERIFIED),
    "reopen": (frozenset({COMPLETED}), IN_PROGRESS),
}
ACCEPTS_EVIDENCE = frozenset({OPEN, IN_PROGRESS, COMPLETED})
NOT_DONE = frozenset({OPEN, IN_PROGRESS})


def _check_source(source: dict[str, str] | None) -> None:
    if source is None:
        return
    if source.get("kind") not in SOURCE_KINDS or not source.get("reference", "").strip():
        raise InvalidCorrectiveAction(
            "source.kind must be finding, meeting_decision or audit, with a reference",
            field="source",
        )


def _judgment(*, effective: bool) -> Callable[..., None]:
    """How a judgment of the action's effect changes it: verified (effective) or reopened,
    whether the PC or the MSO owns the action."""

    def judged(self: CorrectiveAction, note: str, judged_at: datetime, meta: Meta) -> None:
        self._judged(effective, note, judged_at, meta)

    return judged


class CorrectiveAction(Aggregate):
    @classmethod
    def open(
        cls,
        *,
        id: UUID,
        title: str,
        description: str,
        owner: str,
        assignee: str | None,
        due_on: date,
        source: dict[str, str] | None,
        meta: Meta,
    ) -> CorrectiveAction:
        if owner not in OWNERS:
            raise InvalidCorrectiveAction("owner must be pc or mso", field="owner")
        if not title.strip():
            raise InvalidCorrectiveAction("a corrective action needs a title", field="title")
        _check_source(source)
        action = cls(
            id=id,
            title=title,
            description=description,
            owner=owner,
            assignee=assignee,
            due_on=due_on,
            source=dict(source) if source else None,
            opened_at=datetime.now(UTC),
            meta=meta,
        )
        if owner == "mso":
            given = Assignment(
                title, description, assignee, due_on, action.source, action.opened_at
            )
            action.trigger_event(action.AssignedToMso, meta=meta, **asdict(given))
        return action

    class Opened(Aggregate.Created):
        title: str
        description: str
        owner: str
        assignee: str | None
        due_on: date
        source: dict[str, str] | None
        opened_at: datetime
        meta: Meta

    @event(Opened)
    def __init__(
        self,
        id: UUID,
        title: str,
        description: str,
        owner: str,
        assignee: str | None,
        due_on: date,
        source: dict[str, str] | None,
        opened_at: datetime,
        meta: Meta,
    ) -> None:
        self.title = title
        self.description = description
        self.owner = owner
        self.assignee = assignee
        self.due_on = due_on
        self.source = source
        self.opened_at = opened_at
        self.opened_by = meta.actor_id
        self.status = OPEN
        self.assigned_at: datetime | None = None
        self.evidence: list[Evidence] = []
        self.verifications: list[Verification] = []
        self.completed_at: datetime | None = None

    class AssignedToMso(Assignment, Aggregate.Event):
        """What the MSO is given to do, carried whole so the published message needs nothing else."""

        meta: Meta

    @event(AssignedToMso)
    def _assigned_to_mso(self, assigned_at: datetime) -> None:
        self.assigned_at = assigned_at

    def report_progress(
        self,
        *,
        status: str,
        text: str,
        document_ref: str | None,
        party: str,
        reported_at: datetime,
        meta: Meta,
    ) -> None:
        """The owner's report: in progress or completed, always with evidence of what was done."""
        if party != self.owner:
            raise ProgressByOtherParty(
                f"this action is owned by the {self.owner}; the {party} cannot report its progress",
                owner=self.owner,
            )
        step = {IN_PROGRESS: "report_in_progress", COMPLETED: "report_completed"}.get(status)
        if step is None:
            raise InvalidCorrectiveAction("status must be in_progress or completed", field="status")
        self._check_may(step)
        if not text.strip():
            raise InvalidCorrectiveAction("progress needs evidence text", field="evidence")
        self._progress_reported(
            status=status,
            evidence=evidence_record(text, document_ref, party, reported_at, meta),
            meta=meta,
        )

    class ProgressReported(Aggregate.Event):
        status: str
        evidence: dict[str, Any]
        meta: Meta

    @event(ProgressReported)
    def _progress_reported(self, status: str, evidence: dict[str, Any], meta: Meta) -> None:
        self.status = status
        self.evidence.append(Evidence(**evidence))
        if status == COMPLETED:
            self.completed_at = self.evidence[-1].added_at

    def add_evidence(self, *, text: str, document_ref: str | None, party: str, meta: Meta) -> None:
        if self.status not in ACCEPTS_EVIDENCE:
            raise InvalidCorrectiveActionTransition(
                f"cannot add evidence to an action that is {self.status}",
                current_status=self.status,
            )
        if not text.strip():
            raise InvalidCorrectiveAction("evidence needs text", field="text")
        self._evidence_added(
            evidence=evidence_record(text, document_ref, party, datetime.now(UTC), meta),
            meta=meta,
        )

    class EvidenceAdded(Aggregate.Event):
        evidence: dict[str, Any]
        meta: Meta

    @event(EvidenceAdded)
    def _evidence_added(self, evidence: dict[str, Any], meta: Meta) -> None:
        self.evidence.append(Evidence(**evidence))

    def verify(self, *, note: str, meta: Meta) -> None:
        """The PC finds the action effective: final."""
        self._judge("verify", note, meta)

    def reopen(self, *, note: str, meta: Meta) -> None:
        """The PC finds the action not effective: back to in progress."""
        self._judge("reopen", note, meta)

    def _judge(self, step: str, note: str, meta: Meta) -> None:
        self._check_may(step)
        if not note.strip():
            raise InvalidCorrectiveAction("a verification needs a note", field="note")
        recorders = {
            ("verify", "pc"): self._verified,
            ("verify", "mso"): self._mso_action_verified,
            ("reopen", "pc"): self._reopened,
            ("reopen", "mso"): self._mso_action_reopened,
        }
        recorders[(step, self.owner)](note=note, judged_at=datetime.now(UTC), meta=meta)

    class Judged(Aggregate.Event):
        """What the PC's judgment of the action's effect records."""

        note: str
        judged_at: datetime
        meta: Meta

    class Verified(Judged):
        pass

    class MsoActionVerified(Judged):
        pass

    class Reopened(Judged):
        pass

    class MsoActionReopened(Judged):
        pass

    _verified = event(Verified)(_judgment(effective=True))
    _mso_action_verified = event(MsoActionVerified)(_judgment(effective=True))
    _reopened = event(Reopened)(_judgment(effective=False))
    _mso_action_reopened = event(MsoActionReopened)(_judgment(effective=False))

    def _judged(self, effective: bool, note: str, judged_at: datetime, meta: Meta) -> None:
        self.status = VERIFIED if effective else IN_PROGRESS
        if not effective:
            self.completed_at = None
        self.verifications.append(Verification(effective, note, meta.actor_id, judged_at))

    def _check_may(self, step: str) -> None:
        allowed_from, _ = TRANSITIONS[step]
        if self.status not in allowed_from:
            raise InvalidCorrectiveActionTransition(
                f"cannot {step.replace('_', ' ')} an action that is {self.status}",
                current_status=self.status,
            )

    def overdue(self, today: date) -> bool:
        """Past its due date and not yet completed."""
        return self.due_on < today and self.status in NOT_DONE

    @property
    def reopen_count(self) -> int:
        return len([v for v in self.verifications if not v.effective])
