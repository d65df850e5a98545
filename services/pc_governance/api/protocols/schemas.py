"""Request and response bodies of the protocol routes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, Field
from typing_extensions import TypeAliasType

from contracts.v1 import service_lines
from mhg.bounded import Day, Line, Prose
from services.pc_governance.api.document_schemas import DocumentVersionStatus
from services.pc_governance.api.schemas import Strict, number_of, read_off, with_example
from services.pc_governance.domain.protocol import Protocol

ProtocolType = TypeAliasType("ProtocolType", Literal["protocol", "standing_order", "policy"])
# the contracts' one vocabulary, one named component (`$ref`) in the API document
ServiceLineCode = TypeAliasType("ServiceLineCode", service_lines.ServiceLineCode)
Title = Annotated[str, Line(200, min_length=1)]
Body = Annotated[str, Prose(100_000, min_length=1)]
Reason = Annotated[str, Prose(2000, min_length=1)]
Notes = Annotated[str, Prose(4000, min_length=1)]


class ProtocolIn(Strict):
    title: Title = Field(examples=["Sports pre-participation clearance"])
    type: ProtocolType
    service_lines: list[ServiceLineCode] = Field(min_length=1, max_length=5)
    site_ids: list[UUID] | None = Field(
        default=None, min_length=1, max_length=500, description="Omit or null for all sites"
    )
    body: Body = Field(description="The text of version 1, a draft")

    def arguments(self) -> dict[str, object]:
        """What drafting the protocol takes: its type by the command's name for it."""
        return {
            "title": self.title,
            "protocol_type": self.type,
            "service_lines": list(self.service_lines),
            "site_ids": self.site_ids,
            "body": self.body,
        }


class DraftIn(Strict):
    model_config = with_example(
        body="1. Scope: pre-participation sports clearance, ages 12-18.\n"
        "2. History and exam per the PPE 5th edition forms.\n"
        "3. Refer to the supervising physician on any cardiac finding."
    )
    body: Body


class ApproveVersionIn(Strict):
    model_config = with_example(effective_from="2027-01-04", review_due="2028-01-04")
    effective_from: Day = Field(description="Today or later, after the standing version's")
    review_due: Day | None = Field(
        default=None, description="Defaults to a year after effective_from"
    )


class RetireVersionIn(Strict):
    model_config = with_example(
        reason="Replaced by the combined school and sports physical protocol"
    )
    reason: Reason


class ReviewIn(Strict):
    model_config = with_example(
        notes="Annual review: still current with the PPE 5th edition; no changes",
        next_review_due="2027-11-18",
    )
    notes: Notes
    next_review_due: Day | None = Field(default=None, description="Defaults to a year from today")


class ReviewOut(BaseModel):
    reviewed_on: date
    reviewed_by: str
    notes: str
    next_review_due: date


class VersionSummaryOut(BaseModel):
    number: int
    status: DocumentVersionStatus
    revision: int
    drafted_by: str
    drafted_at: datetime
    approved_by: str | None
    approved_at: datetime | None
    effective_from: date | None
    ended_on: date | None
    retire_reason: str | None
    review_due: date | None


class VersionOut(VersionSummaryOut):
    protocol_id: UUID
    title: str
    type: ProtocolType
    body: str
    reviews: list[ReviewOut]

    @classmethod
    def numbered(cls, p: Protocol, number: int) -> VersionOut:
        """The protocol's version `number`, read off it with its body and reviews."""
        version = p.version_numbered(number)
        return read_off(version, cls, protocol_id=p.id, title=p.title, type=p.protocol_type)


class ProtocolOut(BaseModel):
    id: UUID
    title: str
    type: ProtocolType
    service_lines: list[str]
    site_ids: list[UUID] | None = Field(description="null: all sites")
    created_at: datetime
    created_by: str
    standing_version: int | None = Field(description="The approved version in effect or to be")
    versions: list[VersionSummaryOut]
    version: int

    @classmethod
    def of(cls, p: Protocol) -> ProtocolOut:
        return read_off(
            p,
            cls,
            type=p.protocol_type,
            standing_version=number_of(p.standing),
        )


class ProtocolRow(BaseModel):
    id: UUID
    title: str
    type: str
    service_lines: list[str]
    site_ids: list[UUID] | None
    latest_version: int
    latest_status: str
    standing_version: int | None
    review_due: date | None
    created_at: datetime


class InEffectItem(BaseModel):
    protocol_id: UUID
    title: str
    type: str
    version: int
    effective_from: date
    ended_on: date | None


class InEffectOut(BaseModel):
    site_id: UUID
    service_line: str
    on: date
    items: list[InEffectItem]
