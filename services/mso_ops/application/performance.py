"""Month close: the month's KPIs recorded as a report revision, published to the PC."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from mhg.errors import StaleVersion
from mhg.eventstore import ServiceApplication
from mhg.meta import Meta
from services.mso_ops.application import clock
from services.mso_ops.domain.performance_errors import ReportNotFound
from services.mso_ops.domain.performance_report import PerformanceReport

Sites = list[dict[str, Any]]


def earliest_today(zones: Iterable[str]) -> date:
    """The earliest of UTC's today and each zone's: the day the last site to reach a
    month's end is on."""
    return min([clock.today(), *(clock.today_at(zone) for zone in zones)])


@dataclass(eq=False)
class PerformanceCommands:
    store: ServiceApplication

    def close_month(
        self,
        *,
        month: date,
        report_id: UUID,
        sites: Callable[[], Sites],
        expected_version: int | None,
        meta: Meta,
        zones: Iterable[str] = (),
    ) -> PerformanceReport:
        """Revision 1 of the month's report, or the next one when late data changed it.

        `sites` computes the month's KPIs; it runs only once the month may be closed: once
        it is over in UTC and in each of the sites' `zones`.
        """
        at = clock.now()
        PerformanceReport.check_month_over(month, earliest_today(zones))
        if self.month_closed(month):
            report = self.performance_report(month)
            self.store.check_version(report, expected_version)
            report.reclose(report_id=report_id, sites=sites(), at=at, meta=meta)
        else:
            if expected_version is not None:
                raise StaleVersion(
                    f"you sent version {expected_version}; {month:%Y-%m} was never closed",
                    current_version=0,
                )
            report = PerformanceReport.close(
                month=month, report_id=report_id, sites=sites(), at=at, meta=meta
            )
        self.store.record(report)
        return report

    def month_closed(self, month: date) -> bool:
        return PerformanceReport.create_id(month) in self.store.repository

    def performance_report(self, month: date) -> PerformanceReport:
        return self.store.load_as(
            PerformanceReport,
            PerformanceReport.create_id(month),
            ReportNotFound,
            f"{month:%Y-%m} is not closed",
        )
