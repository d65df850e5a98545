"""The MSO's monthly performance reports, received from its feed for the governance meeting."""

from __future__ import annotations

from datetime import date
from typing import Any

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import Tracking

from mhg.meta import Meta
from services.pc_governance.application.capability import Capability
from services.pc_governance.domain.performance_report import PerformanceReport
from services.pc_governance.domain.performance_report_errors import PerformanceReportNotFound


class PerformanceReportCommands(Capability):
    def receive_performance_report(
        self, *, month: date, meta: Meta, tracking: Tracking, **report_fields: Any
    ) -> PerformanceReport:
        """The month's first report, or a newer revision of it, with the feed position consumed."""
        try:
            report: PerformanceReport = self.store.repository.get(
                PerformanceReport.create_id(month)
            )
        except AggregateNotFoundError:
            report = PerformanceReport.receive(month=month, meta=meta, **report_fields)
        else:
            report.revise(meta=meta, **report_fields)
        self.store.record(report, tracking=tracking)
        return report

    def performance_report(self, month: date) -> PerformanceReport:
        report = self.store.load(
            PerformanceReport.create_id(month),
            PerformanceReportNotFound,
            f"no performance report for {month:%Y-%m} has arrived",
        )
        if not isinstance(report, PerformanceReport):  # pragma: no cover - ids are month-derived
            raise PerformanceReportNotFound(f"no performance report for {month:%Y-%m}")
        return report
