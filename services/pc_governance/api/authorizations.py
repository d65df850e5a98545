"""The PC's authorization work list and its decisions."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Response
from sqlalchemy import ColumnElement

from mhg import problems
from mhg.auth import Principal
from mhg.bounded import Day
from mhg.changes import Change
from mhg.pagination import CursorParam, LimitParam, Page, read_page
from mhg.routes import Runtime
from mhg.web import set_etag
from services.pc_governance.api.dependencies import AuthorizationDecider, Governance, PcReader
from services.pc_governance.api.schemas import (
    ApproveIn,
    AuthorizationOut,
    AuthorizationRow,
    DecisionRightOut,
    WithdrawIn,
)
from services.pc_governance.decision_log import decision_log
from services.pc_governance.domain.decision_rights import (
    DECISION_FOR_REQUEST_KIND,
    DECISION_RIGHTS,
    deciding_roles,
)

router = APIRouter(tags=["authorizations"])

Status = Literal["pending", "approved", "denied", "suspended", "revoked"]
Kind = Literal["service_line", "site_go_live", "material_change"]
DECIDING = problems.responses(401, 403, 404, 409, 412, 422)


def _check_decision_right(caller: Principal, kind: str) -> None:
    """A go-live or a material change is its own decision right: its roles decide it."""
    decision = DECISION_FOR_REQUEST_KIND[kind]
    if caller.role.value not in deciding_roles(decision):
        raise problems.forbidden(f"role {caller.role.value} may not decide {decision}")


@router.get(
    "/authorizations",
    operation_id="listAuthorizations",
    summary="Authorization requests and their status, oldest first",
    response_model=Page[AuthorizationRow],
    responses=problems.responses(401, 403, 422),
)
def list_authorizations(
    rt: Runtime,
    _caller: PcReader,
    cursor: CursorParam = None,
    limit: LimitParam = 50,
    status: Status | None = None,
    kind: Kind | None = None,
    site_id: UUID | None = None,
    service_line: Annotated[str | None, Query(max_length=64)] = None,
    requested_from: Annotated[Day | None, Query(description="Requested on or after")] = None,
    requested_before: Annotated[Day | None, Query(description="Requested before")] = None,
) -> Page[AuthorizationRow]:
    table = rt.store.metadata.tables["pc_authorizations"]
    filters: list[ColumnElement[bool]] = []
    if status:
        filters.append(table.c.status == status)
    if kind:
        filters.append(table.c.kind == kind)
    if site_id:
        filters.append(table.c.site_id == site_id)
    if service_line:
        filters.append(table.c.service_line == service_line)
    if requested_from:
        filters.append(table.c.requested_at >= _start_of(requested_from))
    if requested_before:
        filters.append(table.c.requested_at < _start_of(requested_before))
    rows, next_cursor = read_page(
        rt.store.reader, table, cursor=cursor, limit=limit, filters=filters
    )
    return Page[AuthorizationRow](
        items=[AuthorizationRow.model_validate(r) for r in rows], next_cursor=next_cursor
    )


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(), UTC)


@router.get(
    "/authorizations/{authorization_id}",
    operation_id="getAuthorization",
    summary="One authorization with its readiness evidence and every decision on it",
    response_model=AuthorizationOut,
    responses=problems.responses(401, 403, 404, 422),
)
def get_authorization(
    authorization_id: UUID, response: Response, gov: Governance, _caller: PcReader
) -> AuthorizationOut:
    authorization = gov.authorization(authorization_id)
    set_etag(response, authorization.version)
    return AuthorizationOut.of(authorization)


@router.post(
    "/authorizations/{authorization_id}/approve",
    operation_id="approveAuthorization",
    summary="Approve, with conditions, the protocols that apply and an effective date",
    response_model=AuthorizationOut,
    responses=DECIDING,
)
def approve(
    authorization_id: UUID,
    body: ApproveIn,
    rt: Runtime,
    gov: Governance,
    caller: AuthorizationDecider,
    change: Change,
) -> AuthorizationOut:
    _check_decision_right(caller, gov.authorization(authorization_id).kind)
    authorization = change(
        caller, gov.approve, authorization_id, body=body, decision_log=decision_log(gov, rt.store)
    )
    return AuthorizationOut.of(authorization)


def _withdrawal_route(decision: str, operation_id: str, summary: str) -> None:
    @router.post(
        f"/authorizations/{{authorization_id}}/{decision}",
        operation_id=operation_id,
        summary=summary,
        response_model=AuthorizationOut,
        responses=DECIDING,
    )
    def withdraw(
        authorization_id: UUID,
        body: WithdrawIn,
        rt: Runtime,
        gov: Governance,
        caller: AuthorizationDecider,
        change: Change,
    ) -> AuthorizationOut:
        _check_decision_right(caller, gov.authorization(authorization_id).kind)
        authorization = change(
            caller,
            gov.withdraw,
            authorization_id,
            body=body,
            decision=decision,
            decision_log=decision_log(gov, rt.store),
        )
        return AuthorizationOut.of(authorization)


_withdrawal_route("deny", "denyAuthorization", "Deny a pending request, with the reason")
_withdrawal_route("suspend", "suspendAuthorization", "Suspend an approved authorization")
_withdrawal_route("revoke", "revokeAuthorization", "Revoke an approved or suspended authorization")
_withdrawal_route(
    "reinstate", "reinstateAuthorization", "Lift a suspension: the approval holds again"
)


@router.get(
    "/decision-rights",
    operation_id="listDecisionRights",
    summary="Who decides what: the table this service enforces",
    response_model=list[DecisionRightOut],
    tags=["governance"],
)
def decision_rights() -> list[DecisionRightOut]:
    return [
        DecisionRightOut(
            decision=r.decision,
            owner=r.owner,
            deciding_roles=list(r.deciding_roles),
            other_party_may=r.other_party_may,
        )
        for r in DECISION_RIGHTS
    ]
