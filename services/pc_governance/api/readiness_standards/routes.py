"""Readiness standards: the checklist a site's go-live or a service line's authorization
is judged against, set by the PC.

PC physicians draft; only the roles of the decision rights `site_go_live` and
`service_line_authorization` (the Medical Director) approve and retire. Approvals and
retirements go out on the contract feed, and the MSO's checklist is the version in force.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from mhg.auth import Principal, Role
from mhg.changes import Change
from mhg.creation import Create
from mhg.declared import created, listed, shown
from mhg.listing import Listing
from mhg.steps import changing
from mhg.web import require
from services.pc_governance.api.dependencies import (
    PcReader,
    ProtocolDrafter,
    capability,
)
from services.pc_governance.api.document_decisions import decision_route
from services.pc_governance.api.protocols.schemas import ServiceLineCode
from services.pc_governance.api.readiness_standards.schemas import (
    ApproveStandardIn,
    ReadinessStandardOut,
    ReadinessStandardRow,
    RetireStandardIn,
    StandardIn,
    StandardInForceOut,
    StandardItemsIn,
    StandardKind,
    Status,
)
from services.pc_governance.api.schemas import VersionNumber, read_off
from services.pc_governance.application.readiness_standards import ReadinessStandardCommands
from services.pc_governance.domain.decision_rights import (
    AUTHORIZE_SERVICE_LINE,
    SITE_GO_LIVE,
    deciding_roles,
)
from services.pc_governance.domain.readiness_items import ReadinessStandardNotFound
from services.pc_governance.projections.readiness_standards import STANDARDS

router = APIRouter(tags=["readiness-standards"])

ReadinessStandards = Annotated[
    ReadinessStandardCommands, capability(lambda app: app.readiness_standards)
]
# the standard is the one go-live and authorization decisions are judged against: whoever
# takes both decisions sets it
_DECIDING = sorted(set(deciding_roles(SITE_GO_LIVE)) & set(deciding_roles(AUTHORIZE_SERVICE_LINE)))
StandardDecider = Annotated[Principal, Depends(require(*(Role(r) for r in _DECIDING)))]
StandardDrafter = ProtocolDrafter

LISTING = Listing(STANDARDS, ReadinessStandardRow)


@created(
    router,
    "/readiness-standards",
    "draftReadinessStandard",
    ReadinessStandardOut,
    (401, 403, 409, 422),
)
def draft_standard(
    body: StandardIn, standards: ReadinessStandards, caller: StandardDrafter, create: Create
) -> JSONResponse:
    """Start the readiness standard of a subject, its first version a draft (409 if one is)"""
    kind, service_line = body.subject()
    items = body.checked()
    return create(
        caller,
        body,
        make=lambda _id, meta: standards.draft_readiness_standard(
            kind=kind, service_line=service_line, items=items, meta=meta
        ),
        answer=ReadinessStandardOut.of,
        location="/readiness-standards/{id}",
    )


@listed(router, "/readiness-standards", "listReadinessStandards", LISTING, PcReader)
def list_standards(
    kind: StandardKind | None = None,
    service_line: ServiceLineCode | None = None,
    status: Status | None = None,
) -> None:
    """Readiness standards, oldest first, with the version in force"""


@shown(
    router,
    "/readiness-standards/in-force",
    "getReadinessStandardInForce",
    PcReader,
    versioned=False,
)
def in_force(
    standards: ReadinessStandards, kind: StandardKind, service_line: ServiceLineCode | None = None
) -> StandardInForceOut:
    """The version of a subject's standard in force (404 while none is)"""
    standard = standards.standard_of(kind, service_line)
    version = standard.standing
    if version is None:
        raise ReadinessStandardNotFound(f"no version of standard {standard.id} is in force")
    return read_off(
        version,
        StandardInForceOut,
        standard_id=standard.id,
        kind=kind,
        service_line=service_line,
        version=version.number,
    )


@shown(router, "/readiness-standards/{standard_id}", "getReadinessStandard", PcReader)
def get_standard(standard_id: UUID, standards: ReadinessStandards) -> ReadinessStandardOut:
    """One readiness standard: every version's items, status and decision"""
    return ReadinessStandardOut.of(standards.readiness_standard(standard_id))


@changing(
    router,
    "/readiness-standards/{standard_id}/versions",
    "draftReadinessStandardVersion",
    status_code=201,
)
def draft_version(
    standard_id: UUID,
    body: StandardItemsIn,
    caller: StandardDrafter,
    standards: ReadinessStandards,
    change: Change,
) -> ReadinessStandardOut:
    """The standard's next version, as a draft (none may be pending)"""
    items = body.checked()
    change.response.headers["Location"] = f"/readiness-standards/{standard_id}"
    command = standards.draft_readiness_standard_version
    return ReadinessStandardOut.of(change(caller, command, standard_id, body=None, items=items))


@changing(
    router,
    "/readiness-standards/{standard_id}/versions/{number}/draft",
    "reviseReadinessStandardDraft",
)
def revise_draft(
    standard_id: UUID,
    number: VersionNumber,
    body: StandardItemsIn,
    caller: StandardDrafter,
    standards: ReadinessStandards,
    change: Change,
) -> ReadinessStandardOut:
    """Replace a draft's items (an approved version never changes)"""
    items = body.checked()
    command = standards.revise_readiness_standard_draft
    return ReadinessStandardOut.of(
        change(caller, command, standard_id, number, body=None, items=items)
    )


decision_route(
    router,
    "/readiness-standards/{standard_id}/versions/{number}/approve",
    "approveReadinessStandardVersion",
    "Approve a draft on a decision basis: in force at once, the earlier version ends",
    ApproveStandardIn,
    StandardDecider,
    ("standards", ReadinessStandards),
    lambda standards: standards.approve_readiness_standard_version,
    ReadinessStandardOut.of,
)
decision_route(
    router,
    "/readiness-standards/{standard_id}/retire",
    "retireReadinessStandard",
    "Retire the standard: no version of it is in force from now",
    RetireStandardIn,
    StandardDecider,
    ("standards", ReadinessStandards),
    lambda standards: standards.retire_readiness_standard,
    ReadinessStandardOut.of,
)
