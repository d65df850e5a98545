"""Protocol messages, major version 1.

PC Governance tells the MSO which version of each protocol or standing order is in
effect, for which service lines and sites, and from when: title, version and dates,
never the body (the clinical content stays with the PC).
"""

from datetime import date
from typing import Annotated, ClassVar, Literal
from uuid import UUID

from pydantic import Field

from contracts.base import ContractMessage

ProtocolType = Literal["protocol", "standing_order", "policy"]
ServiceLine = Annotated[str, Field(max_length=64)]


class _ProtocolVersion(ContractMessage):
    protocol_id: UUID
    title: str = Field(min_length=1, max_length=200)
    type: ProtocolType
    version: int = Field(ge=1)
    service_lines: list[ServiceLine] = Field(max_length=20)
    site_ids: list[UUID] | None = Field(
        default=None, max_length=500, description="The sites it applies to; null for all sites"
    )


class ProtocolVersionEffectiveV1(_ProtocolVersion):
    """This version is (or will be) in effect from `effective_from` until a later end.

    Sent again, unchanged, when a successor that was to end it is retired before it
    took effect: the version stands with no end.
    """

    TYPE: ClassVar[str] = "protocol.version-effective"
    VERSION: ClassVar[int] = 1

    effective_from: date


class ProtocolVersionEndedV1(_ProtocolVersion):
    """This version is no longer in effect from `ended_on` (it may be a future day)."""

    TYPE: ClassVar[str] = "protocol.version-ended"
    VERSION: ClassVar[int] = 1

    reason: Literal["superseded", "retired"]
    ended_on: date
    superseded_by: int | None = Field(default=None, ge=1)
