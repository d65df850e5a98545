"""What the answers of the PC's decided documents share (a visit template, a clinical
policy, a readiness standard): how each version was drafted and decided, how the document
was retired, and the document's own record of its versions.

An answer is read off its aggregate field by field (`read_off`), its versions and its
retirement too. A version's or a document's answer names the shared part as its first
base and what is its own (a version's number and terms, a document's name) as its second:
pydantic lays the fields out from the last base to the first, so its own come first.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Generic, Literal, Protocol, Self, TypeVar
from uuid import UUID

from pydantic import BaseModel, Field
from typing_extensions import TypeAliasType

from services.pc_governance.api.schemas import Numbered, number_of, read_off

DocumentVersionStatus = TypeAliasType(
    "DocumentVersionStatus", Literal["draft", "approved", "superseded", "retired"]
)
DocumentStatus = TypeAliasType("DocumentStatus", Literal["draft", "approved", "retired"])

V = TypeVar("V", bound=BaseModel)
R = TypeVar("R", bound=BaseModel)


class DecidedVersionOut(BaseModel):
    # who drafted a version, the days it is in force and the decision that approved it
    # (no docstring: it would describe every schema built on it)
    drafted_by: str
    drafted_at: datetime
    effective_from: date | None
    ended_on: date | None = Field(description="The first day it is no longer in force")
    decision_id: UUID | None
    basis: dict[str, str] | None
    approved_by: str | None
    approved_at: datetime | None


class RetirementOut(BaseModel):
    ended_on: date
    reason: str
    decision_id: UUID
    basis: dict[str, str]
    retired_by: str
    retired_at: datetime


class StandingDocument(Protocol):
    @property
    def standing(self) -> Numbered | None: ...


class DocumentRecordOut(BaseModel, Generic[V, R]):
    # a document's creation, its standing version, retirement and versions (no docstring)
    created_at: datetime
    created_by: str
    standing_version: int | None = Field(description="The approved version in force or to be")
    retirement: R | None
    versions: list[V]
    version: int

    @classmethod
    def of(cls, document: StandingDocument) -> Self:
        """The document as its aggregate holds it, its standing version by number."""
        return read_off(document, cls, standing_version=number_of(document.standing))
