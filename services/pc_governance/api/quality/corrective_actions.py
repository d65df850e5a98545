"""Corrective actions: opened and judged by the PC, carried out by their owner (PC or MSO)."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Query

from mhg.bounded import Day
from mhg.changes import Change
from mhg.declared import listed
from mhg.listing import Listing
from mhg.resource import Resource
from mhg.steps import Steps, changing
from services.pc_governance.api.dependencies import (
    Decisions,
    PcActionWorker,
    PcReader,
    Quality,
    QualityDecider,
)
from services.pc_governance.api.quality.corrective_action_schemas import (
    CorrectiveActionIn,
    CorrectiveActionOut,
    CorrectiveActionRow,
    EvidenceIn,
    JudgementIn,
    ProgressIn,
)
from services.pc_governance.application import clock
from services.pc_governance.domain.corrective_action import CorrectiveAction
from services.pc_governance.projections import quality as read_side

router = APIRouter(tags=["corrective actions"])

Status = Literal["open", "in_progress", "completed", "verified"]


# overdue is judged on the PC's today
ACTIONS = Listing(read_side.corrective_actions(clock.today), CorrectiveActionRow)


def _as_of_today(action: CorrectiveAction) -> CorrectiveActionOut:
    """The action as it stands today (overdue or not)"""
    return CorrectiveActionOut.of(action, clock.today())


ACTION = Resource(
    router,
    "/corrective-actions/{action_id}",
    Quality,
    _as_of_today,
    lambda q: q.corrective_action,
)
ACTION.created(
    "openCorrectiveAction",
    "Open a corrective action owned by the PC or assigned to the MSO (a PC decision)",
    CorrectiveActionIn,
    QualityDecider,
    lambda quality: quality.open_corrective_action,
    given={"decision_log": Decisions},
)


@listed(router, "/corrective-actions", "listCorrectiveActions", ACTIONS, PcReader)
def list_corrective_actions(
    owner: Literal["pc", "mso"] | None = None,
    status: Status | None = None,
    overdue: bool | None = None,
    due_before: Annotated[Day | None, Query(description="Due before this day")] = None,
    due_after: Annotated[Day | None, Query(description="Due after this day")] = None,
) -> None:
    """Corrective actions, oldest first; overdue = past due and not completed"""


ACTION.shown(
    "getCorrectiveAction",
    "One corrective action with its evidence and the PC's verifications of effect",
    PcReader,
)


@changing(router, "/corrective-actions/{action_id}/progress", "reportCorrectiveActionProgress")
def report_progress(
    action_id: UUID,
    body: ProgressIn,
    caller: PcActionWorker,
    quality: Quality,
    change: Change,
) -> CorrectiveActionOut:
    """Report progress on a PC-owned action, with evidence (the MSO reports through its feed)"""
    # the evidence comes nested in the body; the command takes its parts
    action = quality.report_corrective_action_progress(
        action_id,
        status=body.status,
        text=body.evidence.text,
        document_ref=body.evidence.document_ref,
        party="pc",
        reported_at=datetime.now(UTC),
        expected_version=change.expected_version(),
        meta=change.meta(caller),
    )
    return _as_of_today(change.answered(action))


STEPS = Steps(router, "/corrective-actions/{action_id}", Quality, _as_of_today)
STEPS.step(
    "evidence",
    "addCorrectiveActionEvidence",
    "Add evidence to an action that is not yet verified",
    EvidenceIn,
    PcActionWorker,
    lambda quality: quality.add_corrective_action_evidence,
)
STEPS.step(
    "verify",
    "verifyCorrectiveAction",
    "Verify a completed action as effective (final)",
    JudgementIn,
    QualityDecider,
    lambda quality: partial(quality.judge_corrective_action, effective=True),
)
STEPS.step(
    "reopen",
    "reopenCorrectiveAction",
    "Find a completed action not effective: reopen it",
    JudgementIn,
    QualityDecider,
    lambda quality: partial(quality.judge_corrective_action, effective=False),
)
