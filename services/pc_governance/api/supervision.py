"""The supervision structure: rules, APP <-> physician assignments, and their violations."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal
from uuid import UUID

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy import ColumnElement, Table, or_

from mhg import problems
from mhg.bounded import Day
from mhg.changes import Change
from mhg.idempotency import IdempotencyKey
from mhg.pagination import CursorParam, LimitParam, Page, read_page
from mhg.routes import Runtime, create_idempotently
from mhg.web import command_meta, set_etag
from services.pc_governance.api.clinician_schemas import (
    AssignmentIn,
    AssignmentOut,
    AssignmentRow,
    EndAssignmentIn,
    SupervisionRulesIn,
    SupervisionRulesOut,
    ViolationRow,
)
from services.pc_governance.api.dependencies import Governance, PcReader, SupervisionDecider
from services.pc_governance.application import clinicians as commands

router = APIRouter(tags=["supervision"])


@router.get(
    "/supervision/rules",
    operation_id="getSupervisionRules",
    summary="The supervision rules in force: APPs per physician and chart-review share",
    response_model=SupervisionRulesOut,
    responses=problems.responses(401, 403, 404),
)
def get_rules(response: Response, gov: Governance, _caller: PcReader) -> SupervisionRulesOut:
    structure = gov.supervision()
    set_etag(response, structure.version)
    return SupervisionRulesOut.of(structure)


@router.put(
    "/supervision/rules",
    operation_id="setSupervisionRules",
    summary="Set the supervision rules (refused if current assignments would exceed them)",
    response_model=SupervisionRulesOut,
    responses=problems.responses(401, 403, 409, 412, 422),
)
def set_rules(
    body: SupervisionRulesIn, caller: SupervisionDecider, gov: Governance, change: Change
) -> SupervisionRulesOut:
    return SupervisionRulesOut.of(change(caller, gov.set_supervision_rules, body=body))


@router.post(
    "/supervision/assignments",
    operation_id="assignSupervision",
    summary="Assign an eligible physician to supervise an eligible APP, within the rules",
    status_code=201,
    response_model=AssignmentOut,
    responses=problems.responses(401, 403, 409, 422),
)
def assign(
    body: AssignmentIn,
    request: Request,
    rt: Runtime,
    gov: Governance,
    caller: SupervisionDecider,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    meta = command_meta(request, caller)

    def create(assignment_id: UUID) -> dict[str, Any]:
        structure = gov.assign_supervision(
            assignment_id=assignment_id, meta=meta, **body.model_dump()
        )
        return AssignmentOut.of(structure, assignment_id).model_dump(mode="json")

    def existing(assignment_id: UUID) -> dict[str, Any] | None:
        if not gov.supervision_exists():
            return None
        structure = gov.supervision()
        if assignment_id not in structure.assignments:
            return None
        return AssignmentOut.of(structure, assignment_id).model_dump(mode="json")

    return create_idempotently(
        rt,
        caller,
        idempotency_key,
        "assignSupervision",
        body.model_dump(mode="json"),
        create=create,
        existing=existing,
        location=lambda b: f"/supervision/assignments/{b['id']}",
    )


@router.get(
    "/supervision/assignments/{assignment_id}",
    operation_id="getSupervisionAssignment",
    summary="One supervision assignment",
    response_model=AssignmentOut,
    responses=problems.responses(401, 403, 404, 422),
)
def get_assignment(
    assignment_id: UUID, response: Response, gov: Governance, _caller: PcReader
) -> AssignmentOut:
    structure = gov.supervision()
    set_etag(response, structure.version)
    return AssignmentOut.of(structure, assignment_id)


@router.post(
    "/supervision/assignments/{assignment_id}/end",
    operation_id="endSupervisionAssignment",
    summary="End an assignment on its last day",
    response_model=AssignmentOut,
    responses=problems.responses(401, 403, 404, 409, 412, 422),
)
def end_assignment(
    assignment_id: UUID,
    body: EndAssignmentIn,
    caller: SupervisionDecider,
    gov: Governance,
    change: Change,
) -> AssignmentOut:
    structure = change(caller, gov.end_supervision, assignment_id, body=body)
    return AssignmentOut.of(structure, assignment_id)


@router.get(
    "/supervision/assignments",
    operation_id="listSupervisionAssignments",
    summary="Supervision assignments, oldest first",
    response_model=Page[AssignmentRow],
    responses=problems.responses(401, 403, 422),
)
def list_assignments(
    rt: Runtime,
    _caller: PcReader,
    cursor: CursorParam = None,
    limit: LimitParam = 50,
    physician_id: UUID | None = None,
    app_id: UUID | None = None,
    active_on: Day | None = None,
    status: Literal["active", "ended"] | None = None,
) -> Page[AssignmentRow]:
    table = rt.store.metadata.tables["pc_supervision_assignments"]
    filters = _parties(table, physician_id, app_id)
    if active_on:
        filters.append(table.c.effective_from <= active_on)
        filters.append(_not_over(table, active_on))
    if status:
        filters.append(table.c.status == status)
    rows, next_cursor = read_page(
        rt.store.reader, table, cursor=cursor, limit=limit, filters=filters
    )
    return Page[AssignmentRow](
        items=[AssignmentRow.model_validate(r) for r in rows], next_cursor=next_cursor
    )


@router.get(
    "/supervision/violations",
    operation_id="listSupervisionViolations",
    summary="Assignments, current or upcoming, whose physician or APP is no longer eligible",
    response_model=Page[ViolationRow],
    responses=problems.responses(401, 403, 422),
)
def list_violations(
    rt: Runtime,
    _caller: PcReader,
    cursor: CursorParam = None,
    limit: LimitParam = 50,
    physician_id: UUID | None = None,
    app_id: UUID | None = None,
    on: Day | None = None,
) -> Page[ViolationRow]:
    table = rt.store.metadata.tables["pc_supervision_assignments"]
    filters = _parties(table, physician_id, app_id)
    filters.append(_not_over(table, on or commands.today()))
    filters.append(or_(table.c.physician_eligible.is_(False), table.c.app_eligible.is_(False)))
    rows, next_cursor = read_page(
        rt.store.reader, table, cursor=cursor, limit=limit, filters=filters
    )
    return Page[ViolationRow](items=[_violation(r) for r in rows], next_cursor=next_cursor)


def _violation(row: dict[str, Any]) -> ViolationRow:
    reasons = []
    if not row["physician_eligible"]:
        reasons.append("supervisor_not_eligible")
    if not row["app_eligible"]:
        reasons.append("app_not_eligible")
    return ViolationRow.model_validate({**row, "reasons": reasons})


def _parties(
    table: Table, physician_id: UUID | None, app_id: UUID | None
) -> list[ColumnElement[bool]]:
    filters: list[ColumnElement[bool]] = []
    if physician_id:
        filters.append(table.c.physician_id == physician_id)
    if app_id:
        filters.append(table.c.app_id == app_id)
    return filters


def _not_over(table: Table, day: date) -> ColumnElement[bool]:
    """Not ended before `day`: in force on it, or starting later."""
    return or_(table.c.effective_to.is_(None), table.c.effective_to >= day)
