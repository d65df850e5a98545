"""Protocols and standing orders: drafted by PC physicians, decided by the Medical Director.

The reading routes are in `protocol_queries`."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path, Request, Response
from fastapi.responses import JSONResponse

from mhg import problems
from mhg.changes import Change
from mhg.idempotency import IdempotencyKey
from mhg.routes import Runtime, create_idempotently
from mhg.web import IfMatch, command_meta, expected_version, set_etag
from services.pc_governance.api.dependencies import (
    Governance,
    ProtocolDecider,
    ProtocolDrafter,
)
from services.pc_governance.api.protocol_schemas import (
    ApproveVersionIn,
    DraftIn,
    ProtocolIn,
    ProtocolOut,
    RetireVersionIn,
    ReviewIn,
    VersionOut,
)

router = APIRouter(tags=["protocols"])

Number = Annotated[int, Path(ge=1, le=100_000, description="The version number")]
CHANGING = problems.responses(401, 403, 404, 409, 412, 422)


@router.post(
    "/protocols",
    operation_id="draftProtocol",
    summary="Start a protocol, standing order or policy, with its first version as a draft",
    status_code=201,
    response_model=ProtocolOut,
    responses=problems.responses(401, 403, 422),
)
def draft_protocol(
    body: ProtocolIn,
    request: Request,
    rt: Runtime,
    gov: Governance,
    caller: ProtocolDrafter,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    meta = command_meta(request, caller)

    def create(protocol_id: UUID) -> dict[str, object]:
        protocol = gov.draft_protocol(
            protocol_id=protocol_id,
            title=body.title,
            protocol_type=body.type,
            service_lines=list(body.service_lines),
            site_ids=body.site_ids,
            body=body.body,
            meta=meta,
        )
        return ProtocolOut.of(protocol).model_dump(mode="json")

    def existing(protocol_id: UUID) -> dict[str, object] | None:
        if not gov.protocol_exists(protocol_id):
            return None
        return ProtocolOut.of(gov.protocol(protocol_id)).model_dump(mode="json")

    return create_idempotently(
        rt,
        caller,
        idempotency_key,
        "draftProtocol",
        body.model_dump(mode="json"),
        create=create,
        existing=existing,
        location=lambda b: f"/protocols/{b['id']}",
    )


@router.post(
    "/protocols/{protocol_id}/versions",
    operation_id="draftProtocolVersion",
    summary="Start the next version as a draft (none may be pending)",
    status_code=201,
    response_model=VersionOut,
    responses=CHANGING,
)
def draft_version(
    protocol_id: UUID,
    body: DraftIn,
    request: Request,
    response: Response,
    gov: Governance,
    caller: ProtocolDrafter,
    if_match: IfMatch = None,
) -> VersionOut:
    protocol, number = gov.add_protocol_draft(
        protocol_id,
        body=body.body,
        expected_version=expected_version(if_match),
        meta=command_meta(request, caller),
    )
    set_etag(response, protocol.version)
    response.headers["Location"] = f"/protocols/{protocol_id}/versions/{number}"
    return VersionOut.of_version(protocol, protocol.version_numbered(number))


@router.post(
    "/protocols/{protocol_id}/versions/{number}/draft",
    operation_id="reviseProtocolDraft",
    summary="Replace a draft's body (an approved version never changes)",
    response_model=VersionOut,
    responses=CHANGING,
)
def revise_draft(
    protocol_id: UUID,
    number: Number,
    body: DraftIn,
    caller: ProtocolDrafter,
    gov: Governance,
    change: Change,
) -> VersionOut:
    protocol = change(caller, gov.revise_protocol_draft, protocol_id, number, body=body)
    return VersionOut.of_version(protocol, protocol.version_numbered(number))


@router.post(
    "/protocols/{protocol_id}/versions/{number}/approve",
    operation_id="approveProtocolVersion",
    summary="Approve a draft, effective from a day; the standing version ends that day",
    response_model=VersionOut,
    responses=CHANGING,
)
def approve_version(
    protocol_id: UUID,
    number: Number,
    body: ApproveVersionIn,
    caller: ProtocolDecider,
    gov: Governance,
    change: Change,
) -> VersionOut:
    protocol = change(caller, gov.approve_protocol_version, protocol_id, number, body=body)
    return VersionOut.of_version(protocol, protocol.version_numbered(number))


@router.post(
    "/protocols/{protocol_id}/versions/{number}/retire",
    operation_id="retireProtocolVersion",
    summary="Retire the standing version: it ends today, or never takes effect if scheduled",
    response_model=VersionOut,
    responses=CHANGING,
)
def retire_version(
    protocol_id: UUID,
    number: Number,
    body: RetireVersionIn,
    caller: ProtocolDecider,
    gov: Governance,
    change: Change,
) -> VersionOut:
    protocol = change(caller, gov.retire_protocol_version, protocol_id, number, body=body)
    return VersionOut.of_version(protocol, protocol.version_numbered(number))


@router.post(
    "/protocols/{protocol_id}/reviews",
    operation_id="recordProtocolReview",
    summary="Record the annual review of the standing version; the next falls due a year on",
    response_model=ProtocolOut,
    responses=CHANGING,
)
def record_review(
    protocol_id: UUID, body: ReviewIn, caller: ProtocolDecider, gov: Governance, change: Change
) -> ProtocolOut:
    return ProtocolOut.of(change(caller, gov.review_protocol, protocol_id, body=body))
