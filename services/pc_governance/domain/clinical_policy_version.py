"""One version of a clinical policy, and what a decision does to the versions' periods.

The aggregate applies these when a decision happens, and applies them beforehand to a
copy to say in the decision's event what the approved versions will be after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from services.pc_governance.domain.versioned_document import (
    APPROVED,
    DRAFT,
    RETIRED,
    SUPERSEDED,
    DocumentVersion,
)


@dataclass
class PolicyVersion(DocumentVersion):
    number: int
    terms: dict[str, Any]
    drafted_by: str
    drafted_at: datetime
    status: str = DRAFT
    effective_from: date | None = None
    ended_on: date | None = None
    decision_id: UUID | None = None
    basis: dict[str, str] | None = None
    approved_by: str | None = None
    approved_at: datetime | None = None

    def published(self) -> dict[str, Any]:
        """An approved version as the contract message carries it."""
        return {
            "version": self.number,
            "effective_from": self.effective_from,
            "ended_on": self.ended_on,
            "decision_id": self.decision_id,
            "basis": self.basis,
            "approved_at": self.approved_at,
            **self.terms,
        }


@dataclass(frozen=True)
class Retirement:
    ended_on: date
    reason: str
    decision_id: UUID
    retired_by: str
    retired_at: datetime


def apply_approval(versions: list[PolicyVersion], number: int, **decided: Any) -> None:
    """Version `number` approved; the one it supersedes ends the day it takes effect."""
    version = versions[number - 1]
    supersedes = decided.pop("supersedes")
    for name, value in decided.items():
        setattr(version, name, value)
    version.status = APPROVED
    if supersedes is not None:
        ended = versions[supersedes - 1]
        ended.status = SUPERSEDED
        ended.ended_on = version.effective_from


def apply_retirement(versions: list[PolicyVersion], number: int, ended_on: date) -> None:
    """Every period cut at `ended_on`; one that starts later becomes empty."""
    for version in versions:
        if version.effective_from is not None:
            end = min(version.ended_on or ended_on, ended_on)
            version.ended_on = max(end, version.effective_from)
    versions[number - 1].status = RETIRED


def published_versions(versions: list[PolicyVersion]) -> list[dict[str, Any]]:
    return [v.published() for v in versions if v.effective_from is not None]
