"""A candidate site's readiness checklist, and the evidence behind each item.

Each item is met or not on the strength of recorded evidence: who recorded it, when,
the document it rests on (a lease number, an IT sign-off, a courier contract) and a
note. The latest record of an item is its state; earlier ones stay in the log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from services.mso_ops.domain.site_errors import UnknownChecklistItem

CHECKLIST_ITEMS = (
    "lease",
    "equipment",
    "staffing_plan",
    "it",
    "vendors",
    "lab_courier",
    "forms",
)


def check_item(item: str) -> None:
    if item not in CHECKLIST_ITEMS:
        raise UnknownChecklistItem(f"{item!r} is not one of {', '.join(CHECKLIST_ITEMS)}")


@dataclass(frozen=True)
class Evidence:
    item: str
    met: bool
    recorded_by: str
    recorded_at: datetime
    document_ref: str | None
    note: str | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "item": self.item,
            "met": self.met,
            "recorded_by": self.recorded_by,
            "recorded_at": self.recorded_at.isoformat(),
            "document_ref": self.document_ref,
            "note": self.note,
        }


def readiness_share(met: int, items: int) -> Decimal:
    """The expansion-readiness KPI: the share of a standard's items met, 0 to 1 (a standard
    of no items asks nothing: all of it is met)."""
    if items == 0:
        return Decimal("1.0000")
    return (Decimal(met) / Decimal(items)).quantize(Decimal("0.0001"))
