"""The message a clinical shift's coverage judgement publishes to the PC."""

from __future__ import annotations

from typing import Any

from contracts.v1.coverage import CoverageShortfall, ShiftCoverageJudgedV1
from mhg.event_fields import MOMENT, from_event, translated


def _shortfalls(shortfalls: Any) -> tuple[CoverageShortfall, ...]:
    return tuple(CoverageShortfall.model_validate(s) for s in shortfalls)


coverage_judged = translated(
    ShiftCoverageJudgedV1,
    *("shift_id", "site_id", "day", "start", "end", "label"),
    shortfalls=from_event("shortfalls", _shortfalls),
    judged_at=MOMENT,
)
"""A gap opened, changed or closed (no shortfalls): the shift's terms, never a patient."""
