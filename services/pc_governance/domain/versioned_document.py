"""What protocols and the PC's other documents share: numbered versions, one standing.

A versioned document keeps every version it ever had, numbered from 1. A version is a
draft until approved; the approved version nothing has superseded or retired is the
standing one. Each approved version is in effect from its `effective_from` until the
day it ended (`ended_on`, exclusive), so "which version was in effect on day D" has
one answer.
"""

from __future__ import annotations

from dataclasses import KW_ONLY, dataclass
from datetime import date, datetime
from typing import Generic, TypeVar
from uuid import UUID

DRAFT = "draft"
APPROVED = "approved"
SUPERSEDED = "superseded"
RETIRED = "retired"


class DocumentVersion:
    """One version's status and the days it is in effect (its dataclass declares them)."""

    number: int
    status: str
    effective_from: date | None
    ended_on: date | None

    def in_effect_on(self, day: date) -> bool:
        if self.effective_from is None or day < self.effective_from:
            return False
        return self.ended_on is None or day < self.ended_on


@dataclass
class DecidedVersion(DocumentVersion):
    """A version approved by a decision with its own id and basis (a visit template's, a
    readiness standard's, a clinical policy's): what the decision sets on it, none of it
    set while the version is a draft. Each document's version declares before these
    (keyword-only) fields its number, what it says, and who drafted it when."""

    _: KW_ONLY
    status: str = DRAFT
    effective_from: date | None = None
    ended_on: date | None = None
    decision_id: UUID | None = None
    basis: dict[str, str] | None = None
    approved_by: str | None = None
    approved_at: datetime | None = None


@dataclass
class RevisedVersion(DecidedVersion):
    """A decided version whose draft is revised in place (a visit template's, a readiness
    standard's): the revision counts from 1."""

    _: KW_ONLY
    revision: int = 1


V = TypeVar("V", bound=DocumentVersion)


class VersionedDocument(Generic[V]):
    """Reading a document's versions; the aggregate says what a missing number raises."""

    versions: list[V]

    def no_such_version(self, number: int) -> Exception:
        raise NotImplementedError

    def version_numbered(self, number: int) -> V:
        if not 1 <= number <= len(self.versions):
            raise self.no_such_version(number)
        return self.versions[number - 1]

    @property
    def latest(self) -> V:
        return self.versions[-1]

    @property
    def standing(self) -> V | None:
        """The approved version nothing has superseded or retired: in effect, or to be."""
        return next((v for v in reversed(self.versions) if v.status == APPROVED), None)

    def in_effect_on(self, day: date) -> V | None:
        return next((v for v in self.versions if v.in_effect_on(day)), None)
