"""What a corrective action keeps: the evidence of what was done, and the PC's verifications."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from mhg.meta import Meta


@dataclass(frozen=True)
class Evidence:
    text: str
    document_ref: str | None
    added_by: str
    party: str
    added_at: datetime


@dataclass(frozen=True)
class Verification:
    effective: bool
    note: str
    verified_by: str
    verified_at: datetime


def evidence_record(
    text: str, document_ref: str | None, party: str, at: datetime, meta: Meta
) -> dict[str, Any]:
    """Evidence as its event carries it: who added it, for which party, and when."""
    return {
        "text": text,
        "document_ref": document_ref,
        "added_by": meta.actor_id,
        "party": party,
        "added_at": at,
    }
