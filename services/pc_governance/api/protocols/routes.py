"""Protocols and standing orders: drafted by PC physicians, decided by the Medical Director.

The reading routes are in `read_routes`."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from fastapi import APIRouter
from pydantic import BaseModel

from mhg.auth import Principal
from mhg.changes import Change
from mhg.declared import given
from mhg.resource import Resource
from mhg.steps import Steps, changing
from services.pc_governance.api.dependencies import (
    ProtocolDecider,
    ProtocolDrafter,
    Protocols,
)
from services.pc_governance.api.protocols.schemas import (
    ApproveVersionIn,
    DraftIn,
    ProtocolIn,
    ProtocolOut,
    RetireVersionIn,
    ReviewIn,
    VersionOut,
)
from services.pc_governance.api.schemas import VersionNumber
from services.pc_governance.application.protocols import ProtocolCommands
from services.pc_governance.domain.protocol import Protocol

router = APIRouter(tags=["protocols"])


PROTOCOL = Resource(
    router,
    "/protocols/{protocol_id}",
    Protocols,
    ProtocolOut.of,
    lambda p: p.protocol,
)
PROTOCOL.created(
    "draftProtocol",
    "Start a protocol, standing order or policy, with its first version as a draft",
    ProtocolIn,
    ProtocolDrafter,
    lambda protocols: protocols.draft_protocol,
    statuses=(401, 403, 422),
    arguments=ProtocolIn.arguments,
)


@changing(router, "/protocols/{protocol_id}/versions", "draftProtocolVersion", status_code=201)
def draft_version(
    protocol_id: UUID, body: DraftIn, caller: ProtocolDrafter, protocols: Protocols, change: Change
) -> VersionOut:
    """Start the next version as a draft (none may be pending)"""
    # a 201 with the new version's place, but no Idempotency-Key: the version number is
    # the next one, so a repeat is refused (a draft is pending)
    protocol, number = protocols.add_protocol_draft(
        protocol_id,
        body=body.body,
        expected_version=change.expected_version(),
        meta=change.meta(caller),
    )
    change.answered(protocol)
    change.response.headers["Location"] = f"/protocols/{protocol_id}/versions/{number}"
    return VersionOut.numbered(protocol, number)


def _version_step(
    step: str,
    operation_id: str,
    summary: str,
    body_model: type[BaseModel],
    role: object,
    command: Callable[[ProtocolCommands], Callable[..., Protocol]],
) -> None:
    """A route that changes one version (`/versions/{number}/<step>`) by one command."""

    def change_version(
        protocol_id: UUID,
        number: VersionNumber,
        body: BaseModel,
        caller: Principal,
        protocols: Protocols,
        change: Change,
    ) -> VersionOut:
        return VersionOut.numbered(
            change(caller, command(protocols), protocol_id, number, body=body), number
        )

    changing(
        router,
        f"/protocols/{{protocol_id}}/versions/{{number}}/{step}",
        operation_id,
        summary=summary,
    )(given(change_version, body=body_model, caller=role))


_version_step(
    "draft",
    "reviseProtocolDraft",
    "Replace a draft's body (an approved version never changes)",
    DraftIn,
    ProtocolDrafter,
    lambda protocols: protocols.revise_protocol_draft,
)
_version_step(
    "approve",
    "approveProtocolVersion",
    "Approve a draft, effective from a day; the standing version ends that day",
    ApproveVersionIn,
    ProtocolDecider,
    lambda protocols: protocols.approve_protocol_version,
)
_version_step(
    "retire",
    "retireProtocolVersion",
    "Retire the standing version: it ends today, or never takes effect if scheduled",
    RetireVersionIn,
    ProtocolDecider,
    lambda protocols: protocols.retire_protocol_version,
)


STEPS = Steps(router, "/protocols/{protocol_id}", Protocols, ProtocolOut.of)
STEPS.step(
    "reviews",
    "recordProtocolReview",
    "Record the annual review of the standing version; the next falls due a year on",
    ReviewIn,
    ProtocolDecider,
    lambda protocols: protocols.review_protocol,
)
