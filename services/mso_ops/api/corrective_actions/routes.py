"""Corrective actions the PC assigned to the MSO: listed, worked on, reported back.

They arrive through PC Governance's feed; MSO staff report progress with evidence, and
each report is published as `corrective-action.progress-reported` v1. The PC verifies
(the action is closed) or reopens it; that verdict arrives the same way.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query

from mhg.bounded import Day
from mhg.changes import Change
from mhg.declared import shown
from mhg.paged import Pages, paged
from mhg.pagination import Page
from mhg.steps import changing
from services.mso_ops.api.corrective_actions.schemas import (
    CorrectiveActionOut,
    CorrectiveActionRow,
    CorrectiveActionStatus,
    ProgressIn,
)
from services.mso_ops.api.dependencies import CorrectiveActions, MsoReader, MsoStaff
from services.mso_ops.application import clock
from services.mso_ops.domain.corrective_action import NOT_DONE
from services.mso_ops.projections import corrective_actions as action_rows

router = APIRouter(tags=["corrective actions"])


@paged(router, "/corrective-actions", "listCorrectiveActions", MsoReader)
def list_corrective_actions(
    pages: Pages,
    status: CorrectiveActionStatus | None = None,
    overdue: Annotated[
        bool | None, Query(description="Past due and not completed (or the opposite)")
    ] = None,
    due_before: Annotated[Day | None, Query(description="Due before this day")] = None,
    due_after: Annotated[Day | None, Query(description="Due after this day")] = None,
) -> Page[CorrectiveActionRow]:
    """Corrective actions assigned to the MSO, oldest first; filter by status and due date"""
    today = clock.today()
    return pages.stored(
        action_rows.ACTIONS,
        lambda r: CorrectiveActionRow.model_validate(
            {**r, "overdue": r["due_on"] < today and r["status"] in NOT_DONE}
        ),
        status=status,
        due_before=due_before,
        due_after=due_after,
        overdue=None if overdue is None else (overdue, today),
    )


@shown(router, "/corrective-actions/{action_id}", "getCorrectiveAction", MsoReader)
def get_corrective_action(
    action_id: UUID, corrective_actions: CorrectiveActions
) -> CorrectiveActionOut:
    """One corrective action: what the PC asks, the MSO's reports, the PC's verdicts"""
    action = corrective_actions.corrective_action(action_id)
    return CorrectiveActionOut.of(action, clock.today())


@changing(
    router,
    "/corrective-actions/{action_id}/progress",
    "reportCorrectiveActionProgress",
    description=(
        "Published to the PC as `corrective-action.progress-reported` v1. `completed` is "
        "accepted only after `in_progress`; a closed action takes no more reports (409)."
    ),
)
def report_progress(
    action_id: UUID,
    body: ProgressIn,
    corrective_actions: CorrectiveActions,
    caller: MsoStaff,
    change: Change,
) -> CorrectiveActionOut:
    """Report progress on an action (in_progress, then completed) with evidence"""
    action = change(
        caller, corrective_actions.report_corrective_action_progress, action_id, body=body
    )
    return CorrectiveActionOut.of(action, clock.today())
