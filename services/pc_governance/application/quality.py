"""Quality oversight: chart-review samples and findings, and the corrective actions they open."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Tracking

from mhg.aggregate_command import new, step
from mhg.meta import Meta
from services.pc_governance.application.capability import Capability
from services.pc_governance.domain.authorization_basis import (
    DecisionLog,
    check_meeting_decision_is_logged,
)
from services.pc_governance.domain.corrective_action import CorrectiveAction
from services.pc_governance.domain.errors import (
    CorrectiveActionNotFound,
    FindingNotFound,
    InvalidCorrectiveAction,
    ReviewSampleNotFound,
)
from services.pc_governance.domain.quality import ReviewSample


def by_the_pc() -> dict[str, str]:
    """Evidence added over HTTP is the PC's own."""
    return {"party": "pc"}


class QualityCommands(Capability):
    open_review_sample = new(ReviewSample.open, sample_id="id")

    def review_sample(self, sample_id: UUID) -> ReviewSample:
        return self.store.load_as(
            ReviewSample, sample_id, ReviewSampleNotFound, f"no review sample {sample_id}"
        )  # another aggregate's id

    record_finding = step(review_sample, ReviewSample.record_finding)

    complete_review_sample = step(review_sample, ReviewSample.complete)

    def open_corrective_action(
        self,
        *,
        action_id: UUID,
        source: dict[str, str] | None,
        meta: Meta,
        decision_log: DecisionLog,
        **action: Any,
    ) -> CorrectiveAction:
        """A source names what it cites: a recorded finding, or a carried motion
        (`action`: the rest, as `CorrectiveAction.open` names it)."""
        if source is not None and source.get("kind") == "finding":
            self._check_finding_exists(source.get("reference", ""))
        if source is not None:
            check_meeting_decision_is_logged(source, decision_log, field="source.reference")
        opened = CorrectiveAction.open(id=action_id, source=source, meta=meta, **action)
        self.store.record(opened)
        return opened

    def _check_finding_exists(self, reference: str) -> None:
        """A finding is referenced as `<review sample id>/<finding id>`."""
        sample_part, _, finding_part = reference.partition("/")
        try:
            sample_id, finding_id = UUID(sample_part), UUID(finding_part)
        except ValueError:
            raise InvalidCorrectiveAction(
                "a finding is referenced as <review sample id>/<finding id>",
                field="source.reference",
            ) from None
        try:
            self.review_sample(sample_id).finding(finding_id)
        except (ReviewSampleNotFound, FindingNotFound):
            raise InvalidCorrectiveAction(
                f"no finding {reference}", field="source.reference"
            ) from None

    def corrective_action(self, action_id: UUID) -> CorrectiveAction:
        return self.store.load_as(
            CorrectiveAction,
            action_id,
            CorrectiveActionNotFound,
            f"no corrective action {action_id}",
        )  # another aggregate's id

    def report_corrective_action_progress(
        self,
        action_id: UUID,
        *,
        status: str,
        text: str,
        document_ref: str | None,
        party: str,
        reported_at: datetime,
        expected_version: int | None,
        meta: Meta,
        tracking: Tracking | None = None,
    ) -> CorrectiveAction:
        """The owner's progress: from PC roles over HTTP, or from the MSO through its feed."""
        action = self.corrective_action(action_id)
        self.store.check_version(action, expected_version)
        action.report_progress(
            status=status,
            text=text,
            document_ref=document_ref,
            party=party,
            reported_at=reported_at,
            meta=meta,
        )
        self.store.record(action, tracking=tracking)
        return action

    add_corrective_action_evidence = step(
        corrective_action, CorrectiveAction.add_evidence, by_the_pc
    )

    def judge_corrective_action(
        self,
        action_id: UUID,
        *,
        effective: bool,
        note: str,
        expected_version: int | None,
        meta: Meta,
    ) -> CorrectiveAction:
        """Verify (effective) or reopen (not effective) a completed action."""
        return self.store.change(
            self.corrective_action(action_id),
            expected_version,
            lambda action: (action.verify if effective else action.reopen)(note=note, meta=meta),
        )
