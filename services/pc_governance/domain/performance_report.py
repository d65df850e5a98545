"""The MSO's monthly performance report, as PC Governance received it.

One aggregate per month. The MSO corrects a month by publishing a later revision;
each revision received is recorded, and the newest one is the month's report. A
revision no newer than the one held (a replay, or a correction overtaken by a later
one) is refused. The report carries aggregates per site only, never a patient.

A variance is unfavourable when it points the wrong way for its KPI: below target
where higher is better, above target where lower is better.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from mhg.meta import Meta
from services.pc_governance.domain.performance_report_errors import (
    InvalidPerformanceReport,
    StaleReportRevision,
)

_NAMESPACE = uuid.UUID("2d7c59a4-0b8e-4f0e-9a53-61c8f1e6b0d2")
DIRECTIONS = ("higher_is_better", "lower_is_better")


@dataclass(frozen=True)
class Revision:
    """One revision of the month as the MSO published it; both events carry one."""

    report_id: UUID
    revision: int
    sites: list[dict[str, Any]]
    published_at: datetime


@dataclass(frozen=True)
class Variance:
    """One KPI of one site (and service line) that missed its target the wrong way."""

    site_id: str
    site_name: str
    kpi: str
    service_line: str | None
    value: Decimal
    target: Decimal
    variance: Decimal
    direction: str


def _number(value: Any) -> Decimal | None:
    if value is None:
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise InvalidPerformanceReport(f"{value!r} is not a number") from None
    if not number.is_finite():
        raise InvalidPerformanceReport(f"{value!r} is not a finite number")
    return number


def unfavourable(sites: list[dict[str, Any]]) -> list[Variance]:
    """The KPIs whose variance (given, or value - target) points the wrong way, in report order."""
    found = []
    for site in sites:
        for kpi in site["kpis"]:
            value, target = _number(kpi.get("value")), _number(kpi.get("target"))
            variance = _number(kpi.get("variance"))
            if variance is None and value is not None and target is not None:
                variance = value - target
            if variance is None or value is None or target is None:
                continue
            higher = kpi["direction"] == "higher_is_better"
            if (higher and variance < 0) or (not higher and variance > 0):
                found.append(
                    Variance(
                        site_id=str(site["site_id"]),
                        site_name=str(site["site_name"]),
                        kpi=str(kpi["kpi"]),
                        service_line=kpi.get("service_line"),
                        value=value,
                        target=target,
                        variance=variance,
                        direction=str(kpi["direction"]),
                    )
                )
    return found


def _check(month: date, revision: int, sites: list[dict[str, Any]]) -> None:
    if month.day != 1:
        raise InvalidPerformanceReport(f"month {month} is not the first day of a month")
    if revision < 1:
        raise InvalidPerformanceReport("a revision counts from 1")
    for site in sites:
        for kpi in site.get("kpis", ()):
            if kpi.get("direction") not in DIRECTIONS:
                raise InvalidPerformanceReport(f"unknown direction {kpi.get('direction')!r}")
    unfavourable(sites)  # every number must read as one


class PerformanceReport(Aggregate):
    @staticmethod
    def create_id(month: date) -> UUID:
        return uuid.uuid5(_NAMESPACE, month.isoformat())

    @classmethod
    def receive(
        cls,
        *,
        month: date,
        report_id: UUID,
        revision: int,
        sites: list[dict[str, Any]],
        published_at: datetime,
        meta: Meta,
    ) -> PerformanceReport:
        _check(month, revision, sites)
        first = Revision(report_id, revision, sites, published_at)
        return cls._create(
            cls.Received, id=cls.create_id(month), month=month, meta=meta, **asdict(first)
        )

    class Received(Revision, Aggregate.Created):
        month: date
        meta: Meta

    @event(Received)
    def __init__(
        self,
        month: date,
        report_id: UUID,
        revision: int,
        sites: list[dict[str, Any]],
        published_at: datetime,
    ) -> None:
        self.month = month
        self.revisions = [Revision(report_id, revision, sites, published_at)]

    @property
    def latest(self) -> Revision:
        return self.revisions[-1]

    @property
    def sites(self) -> list[dict[str, Any]]:
        return self.latest.sites

    @property
    def unfavourable(self) -> list[Variance]:
        return unfavourable(self.sites)

    def revise(
        self,
        *,
        report_id: UUID,
        revision: int,
        sites: list[dict[str, Any]],
        published_at: datetime,
        meta: Meta,
    ) -> None:
        """A correction of the month: recorded only if newer than the revision held."""
        if revision <= self.latest.revision:
            raise StaleReportRevision(
                f"revision {self.latest.revision} of {self.month:%Y-%m} is held; "
                f"revision {revision} is not newer",
                current_revision=self.latest.revision,
            )
        _check(self.month, revision, sites)
        later = Revision(report_id, revision, sites, published_at)
        self.trigger_event(self.Revised, meta=meta, **asdict(later))

    class Revised(Revision, Aggregate.Event):
        meta: Meta

    @event(Revised)
    def _revised(
        self, report_id: UUID, revision: int, sites: list[dict[str, Any]], published_at: datetime
    ) -> None:
        self.revisions.append(Revision(report_id, revision, sites, published_at))
