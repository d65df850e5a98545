"""Corrective actions: opened and judged by the PC, carried out by their owner (PC or MSO)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy import ColumnElement, and_, not_

from mhg import problems
from mhg.bounded import Day
from mhg.changes import Change
from mhg.idempotency import IdempotencyKey
from mhg.pagination import CursorParam, LimitParam, Page, read_page
from mhg.routes import Runtime, create_idempotently
from mhg.web import IfMatch, command_meta, expected_version, set_etag
from services.pc_governance.api.dependencies import (
    Governance,
    PcActionWorker,
    PcReader,
    QualityDecider,
)
from services.pc_governance.api.quality_schemas import (
    CorrectiveActionIn,
    CorrectiveActionOut,
    CorrectiveActionRow,
    EvidenceIn,
    JudgementIn,
    ProgressIn,
)
from services.pc_governance.decision_log import decision_log
from services.pc_governance.domain.corrective_action import NOT_DONE

router = APIRouter(tags=["corrective actions"])

Status = Literal["open", "in_progress", "completed", "verified"]
UPDATING = problems.responses(401, 403, 404, 409, 412, 422)


def today() -> date:
    return datetime.now(UTC).date()


@router.post(
    "/corrective-actions",
    operation_id="openCorrectiveAction",
    summary="Open a corrective action owned by the PC or assigned to the MSO (a PC decision)",
    status_code=201,
    response_model=CorrectiveActionOut,
    responses=problems.responses(401, 403, 409, 422),
)
def open_corrective_action(
    body: CorrectiveActionIn,
    request: Request,
    rt: Runtime,
    gov: Governance,
    caller: QualityDecider,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    meta = command_meta(request, caller)

    def create(action_id: UUID) -> dict[str, object]:
        action = gov.open_corrective_action(
            action_id=action_id,
            meta=meta,
            decision_log=decision_log(gov, rt.store),
            **body.model_dump(),
        )
        return CorrectiveActionOut.of(action, today()).model_dump(mode="json")

    def existing(action_id: UUID) -> dict[str, object] | None:
        if not gov.corrective_action_exists(action_id):
            return None
        action = gov.corrective_action(action_id)
        return CorrectiveActionOut.of(action, today()).model_dump(mode="json")

    return create_idempotently(
        rt,
        caller,
        idempotency_key,
        "openCorrectiveAction",
        body.model_dump(mode="json"),
        create=create,
        existing=existing,
        location=lambda b: f"/corrective-actions/{b['id']}",
    )


@router.get(
    "/corrective-actions",
    operation_id="listCorrectiveActions",
    summary="Corrective actions, oldest first; overdue = past due and not completed",
    response_model=Page[CorrectiveActionRow],
    responses=problems.responses(401, 403, 422),
)
def list_corrective_actions(
    rt: Runtime,
    _caller: PcReader,
    cursor: CursorParam = None,
    limit: LimitParam = 50,
    owner: Literal["pc", "mso"] | None = None,
    status: Status | None = None,
    overdue: bool | None = None,
    due_before: Annotated[Day | None, Query(description="Due before this day")] = None,
    due_after: Annotated[Day | None, Query(description="Due after this day")] = None,
) -> Page[CorrectiveActionRow]:
    table = rt.store.metadata.tables["pc_corrective_actions"]
    now = today()
    filters: list[ColumnElement[bool]] = []
    if owner:
        filters.append(table.c.owner == owner)
    if status:
        filters.append(table.c.status == status)
    if overdue is not None:
        late = and_(table.c.due_on < now, table.c.status.in_(sorted(NOT_DONE)))
        filters.append(late if overdue else not_(late))
    if due_before:
        filters.append(table.c.due_on < due_before)
    if due_after:
        filters.append(table.c.due_on > due_after)
    rows, next_cursor = read_page(
        rt.store.reader, table, cursor=cursor, limit=limit, filters=filters
    )
    items = [
        CorrectiveActionRow.model_validate(
            {**r, "overdue": r["due_on"] < now and r["status"] in NOT_DONE}
        )
        for r in rows
    ]
    return Page[CorrectiveActionRow](items=items, next_cursor=next_cursor)


@router.get(
    "/corrective-actions/{action_id}",
    operation_id="getCorrectiveAction",
    summary="One corrective action with its evidence and the PC's verifications of effect",
    response_model=CorrectiveActionOut,
    responses=problems.responses(401, 403, 404, 422),
)
def get_corrective_action(
    action_id: UUID, response: Response, gov: Governance, _caller: PcReader
) -> CorrectiveActionOut:
    action = gov.corrective_action(action_id)
    set_etag(response, action.version)
    return CorrectiveActionOut.of(action, today())


@router.post(
    "/corrective-actions/{action_id}/progress",
    operation_id="reportCorrectiveActionProgress",
    summary="Report progress on a PC-owned action, with evidence (the MSO reports through its feed)",
    response_model=CorrectiveActionOut,
    responses=UPDATING,
)
def report_progress(
    action_id: UUID,
    body: ProgressIn,
    request: Request,
    response: Response,
    gov: Governance,
    caller: PcActionWorker,
    if_match: IfMatch = None,
) -> CorrectiveActionOut:
    action = gov.report_corrective_action_progress(
        action_id,
        status=body.status,
        text=body.evidence.text,
        document_ref=body.evidence.document_ref,
        party="pc",
        reported_at=datetime.now(UTC),
        expected_version=expected_version(if_match),
        meta=command_meta(request, caller),
    )
    set_etag(response, action.version)
    return CorrectiveActionOut.of(action, today())


@router.post(
    "/corrective-actions/{action_id}/evidence",
    operation_id="addCorrectiveActionEvidence",
    summary="Add evidence to an action that is not yet verified",
    response_model=CorrectiveActionOut,
    responses=UPDATING,
)
def add_evidence(
    action_id: UUID, body: EvidenceIn, caller: PcActionWorker, gov: Governance, change: Change
) -> CorrectiveActionOut:
    action = change(caller, gov.add_corrective_action_evidence, action_id, body=body)
    return CorrectiveActionOut.of(action, today())


def _judgement_route(step: str, effective: bool, operation_id: str, summary: str) -> None:
    @router.post(
        f"/corrective-actions/{{action_id}}/{step}",
        operation_id=operation_id,
        summary=summary,
        response_model=CorrectiveActionOut,
        responses=UPDATING,
    )
    def judge(
        action_id: UUID, body: JudgementIn, caller: QualityDecider, gov: Governance, change: Change
    ) -> CorrectiveActionOut:
        action = change(
            caller, gov.judge_corrective_action, action_id, body=body, effective=effective
        )
        return CorrectiveActionOut.of(action, today())


_judgement_route(
    "verify", True, "verifyCorrectiveAction", "Verify a completed action as effective (final)"
)
_judgement_route(
    "reopen", False, "reopenCorrectiveAction", "Find a completed action not effective: reopen it"
)
