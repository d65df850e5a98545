"""One version of a clinical policy, and the approved versions as its decisions publish them.

The aggregate applies a decision beforehand to a copy of its versions to say in the
decision's event what the approved versions will be after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from services.pc_governance.domain.versioned_document import DecidedVersion


@dataclass
class PolicyVersion(DecidedVersion):
    number: int
    terms: dict[str, Any]
    drafted_by: str
    drafted_at: datetime

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


def published_versions(versions: list[PolicyVersion]) -> list[dict[str, Any]]:
    return [v.published() for v in versions if v.effective_from is not None]
