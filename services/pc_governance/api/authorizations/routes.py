"""The PC's authorization work list and its decisions."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel

from mhg import problems
from mhg.auth import Principal
from mhg.bounded import Day
from mhg.changes import Change
from mhg.listing import Listing
from mhg.paged import Pages, paged
from mhg.pagination import Page
from mhg.resource import Resource
from mhg.routes import Runtime
from mhg.steps import changing
from mhg.web import on_the_loop
from services.pc_governance.api.dependencies import (
    AuthorizationDecider,
    Authorizations,
    Governance,
    PcReader,
)
from services.pc_governance.api.schemas import (
    ApproveIn,
    AuthorizationOut,
    AuthorizationRow,
    DecisionRightOut,
    WithdrawIn,
)
from services.pc_governance.application.authorizations import Admit, AuthorizationCommands
from services.pc_governance.decision_log import decision_log
from services.pc_governance.domain.authorization import Authorization
from services.pc_governance.domain.decision_rights import (
    DECISION_FOR_REQUEST_KIND,
    DECISION_RIGHTS,
    deciding_roles,
)
from services.pc_governance.projections import authorizations as read_side

router = APIRouter(tags=["authorizations"])

Status = Literal["pending", "approved", "denied", "suspended", "revoked"]
Kind = Literal["service_line", "site_go_live", "material_change"]


AUTHORIZATIONS = Listing(read_side.AUTHORIZATIONS, AuthorizationRow)


def decision_right(caller: Principal) -> Admit:
    """A go-live or a material change is its own decision right: its roles decide it."""

    def admit(authorization: Authorization) -> None:
        decision = DECISION_FOR_REQUEST_KIND[authorization.kind]
        if caller.role.value not in deciding_roles(decision):
            raise problems.forbidden(f"role {caller.role.value} may not decide {decision}")

    return admit


@paged(router, "/authorizations", "listAuthorizations", PcReader)
def list_authorizations(
    pages: Pages,
    status: Status | None = None,
    kind: Kind | None = None,
    site_id: UUID | None = None,
    service_line: Annotated[str | None, Query(max_length=64)] = None,
    requested_from: Annotated[Day | None, Query(description="Requested on or after")] = None,
    requested_before: Annotated[Day | None, Query(description="Requested before")] = None,
) -> Page[AuthorizationRow]:
    """Authorization requests and their status, oldest first"""
    return pages(
        AUTHORIZATIONS,
        status=status,
        kind=kind,
        site_id=site_id,
        service_line=service_line or None,  # an empty value does not filter
        requested_from=requested_from,
        requested_before=requested_before,
    )


AUTHORIZATION = Resource(
    router,
    "/authorizations/{authorization_id}",
    Authorizations,
    AuthorizationOut.of,
    lambda authorizations: authorizations.authorization,
)
AUTHORIZATION.shown(
    "getAuthorization",
    "One authorization with its readiness evidence and every decision on it",
    PcReader,
)


class AuthorizationDecision:
    """A decision on one authorization, the one shape every deciding route shares.

    The caller's role is one of the decision's (`AuthorizationDecider`, checked first);
    the decision right of the authorization's kind is checked on the one load the
    command makes (`admit`), then the version the caller read; the basis is checked
    against the decision log.
    """

    def __init__(
        self,
        rt: Runtime,
        gov: Governance,
        authorizations: Authorizations,
        caller: AuthorizationDecider,
        change: Change,
    ) -> None:
        self.rt = rt
        self.gov = gov
        self.authorizations = authorizations
        self.caller = caller
        self.change = change

    def __call__(
        self,
        command: Callable[..., Authorization],
        authorization_id: UUID,
        body: BaseModel,
        **given: object,
    ) -> AuthorizationOut:
        authorization = self.change(
            self.caller,
            partial(command, self.authorizations),
            authorization_id,
            body=body,
            decision_log=decision_log(self.gov, self.rt.store),
            admit=decision_right(self.caller),
            **given,
        )
        return AuthorizationOut.of(authorization)


Decide = Annotated[AuthorizationDecision, Depends(on_the_loop(AuthorizationDecision))]


@changing(router, "/authorizations/{authorization_id}/approve", "approveAuthorization")
def approve(authorization_id: UUID, body: ApproveIn, decide: Decide) -> AuthorizationOut:
    """Approve, with conditions, the protocols that apply and an effective date"""
    return decide(AuthorizationCommands.approve, authorization_id, body)


def _withdrawal_route(decision: str, operation_id: str, summary: str) -> None:
    @changing(
        router, f"/authorizations/{{authorization_id}}/{decision}", operation_id, summary=summary
    )
    def withdraw(authorization_id: UUID, body: WithdrawIn, decide: Decide) -> AuthorizationOut:
        return decide(AuthorizationCommands.withdraw, authorization_id, body, decision=decision)


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
