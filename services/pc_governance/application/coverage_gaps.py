"""Coverage gaps of the MSO's clinical shifts, received from its feed for the meeting."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.persistence import Tracking

from mhg.meta import Meta
from services.pc_governance.application.capability import Capability
from services.pc_governance.domain.coverage_gap import ReportedCoverage


class CoverageGapCommands(Capability):
    def receive_shift_coverage(
        self, *, shift_id: UUID, meta: Meta, tracking: Tracking, **judgement: Any
    ) -> ReportedCoverage:
        """The shift's latest judgement (`judgement`: its terms, shortfalls and when it was
        judged), with the feed position consumed. The feed is in order: the latest wins."""
        record_id = ReportedCoverage.create_id(shift_id)
        held = self.recorded(ReportedCoverage, record_id)
        if held is None:
            held = ReportedCoverage(id=record_id, shift_id=shift_id, meta=meta)
        held.report(shift_id=shift_id, meta=meta, **judgement)
        self.store.record(held, tracking=tracking)
        return held
