"""Chart review: a sample of one clinician's charts for a period, its findings and its score.

A sample names charts only by opaque references (EHR chart ids); the reviewer's note on a
finding is the only free text kept. Lifecycle: open -> completed. A sample is completed
once every chart in it has at least one finding (severity `none` records a clean chart);
its score is the share of charts without a moderate-or-worse finding, as a percentage.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from mhg.meta import Meta
from services.pc_governance.domain.errors import (
    FindingNotFound,
    InvalidReviewSample,
    ReviewSampleClosed,
)

OPEN = "open"
COMPLETED = "completed"

SEVERITIES = ("none", "minor", "moderate", "major", "critical")
SERIOUS = frozenset({"moderate", "major", "critical"})
CATEGORIES = ("documentation", "protocol_adherence", "clinical_judgment", "other")
PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
MAX_CHARTS = 200
MAX_NOTE = 2000


@dataclass(frozen=True)
class Finding:
    finding_id: UUID
    chart_ref: str
    severity: str
    category: str
    note: str | None
    reviewer: str
    recorded_at: datetime


def score_of(clear: int, total: int) -> Decimal:
    """Percentage of `total` charts that are clear, to one decimal place."""
    if total == 0:
        return Decimal("0.0")
    return (Decimal(clear) * 100 / Decimal(total)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _invalid(field: str, detail: str) -> InvalidReviewSample:
    return InvalidReviewSample(detail, field=field)


class ReviewSample(Aggregate):
    @classmethod
    def open(
        cls,
        *,
        id: UUID,
        clinician_id: UUID,
        period: str,
        service_line: str,
        chart_refs: list[str],
        meta: Meta,
    ) -> ReviewSample:
        if not PERIOD.match(period):
            raise _invalid("period", f"period {period!r} is not a month like 2026-11")
        refs = [ref.strip() for ref in chart_refs]
        if not refs or len(refs) > MAX_CHARTS or not all(refs):
            raise _invalid("chart_refs", f"a sample names 1 to {MAX_CHARTS} chart references")
        if len(set(refs)) != len(refs):
            raise _invalid("chart_refs", "a chart reference appears more than once")
        return cls(
            id=id,
            clinician_id=clinician_id,
            period=period,
            service_line=service_line,
            chart_refs=refs,
            opened_at=datetime.now(UTC),
            meta=meta,
        )

    class Opened(Aggregate.Created):
        clinician_id: UUID
        period: str
        service_line: str
        chart_refs: list[str]
        opened_at: datetime
        meta: Meta

    @event(Opened)
    def __init__(
        self,
        id: UUID,
        clinician_id: UUID,
        period: str,
        service_line: str,
        chart_refs: list[str],
        opened_at: datetime,
        meta: Meta,
    ) -> None:
        self.clinician_id = clinician_id
        self.period = period
        self.service_line = service_line
        self.chart_refs = chart_refs
        self.opened_at = opened_at
        self.opened_by = meta.actor_id
        self.status = OPEN
        self.findings: list[Finding] = []
        self.completed_at: datetime | None = None
        self.completed_by: str | None = None

    def record_finding(
        self,
        *,
        chart_ref: str,
        severity: str,
        category: str,
        note: str | None,
        meta: Meta,
        finding_id: UUID | None = None,
    ) -> UUID:
        self._check_open("record a finding on")
        if chart_ref not in self.chart_refs:
            raise _invalid("chart_ref", f"chart {chart_ref!r} is not in this sample")
        if severity not in SEVERITIES:
            raise _invalid("severity", f"severity must be one of {', '.join(SEVERITIES)}")
        if category not in CATEGORIES:
            raise _invalid("category", f"category must be one of {', '.join(CATEGORIES)}")
        if note is not None and len(note) > MAX_NOTE:
            raise _invalid("note", f"a note is at most {MAX_NOTE} characters")
        new_id = finding_id or uuid.uuid4()
        if any(f.finding_id == new_id for f in self.findings):
            raise _invalid("finding_id", f"finding {new_id} is recorded already")
        self._finding_recorded(
            finding_id=new_id,
            chart_ref=chart_ref,
            severity=severity,
            category=category,
            note=note,
            recorded_at=datetime.now(UTC),
            meta=meta,
        )
        return new_id

    class FindingRecorded(Aggregate.Event):
        finding_id: UUID
        chart_ref: str
        severity: str
        category: str
        note: str | None
        recorded_at: datetime
        meta: Meta

    @event(FindingRecorded)
    def _finding_recorded(
        self,
        finding_id: UUID,
        chart_ref: str,
        severity: str,
        category: str,
        note: str | None,
        recorded_at: datetime,
        meta: Meta,
    ) -> None:
        self.findings.append(
            Finding(finding_id, chart_ref, severity, category, note, meta.actor_id, recorded_at)
        )

    def complete(self, *, charts_reviewed: int, meta: Meta) -> None:
        """`charts_reviewed` is the reviewer's count, which must be the whole sample."""
        self._check_open("complete")
        if charts_reviewed != len(self.chart_refs):
            raise _invalid(
                "charts_reviewed",
                f"the sample has {len(self.chart_refs)} charts; you reviewed {charts_reviewed}",
            )
        unreviewed = self.unreviewed
        if unreviewed:
            raise InvalidReviewSample(
                f"{len(unreviewed)} chart(s) have no finding yet; record severity none for a clean chart",
                field="findings",
                unreviewed=unreviewed,
            )
        self._completed(
            completed_at=datetime.now(UTC),
            charts_total=len(self.chart_refs),
            charts_clear=self.charts_clear,
            score=self.score,
            subject=self.subject,
            meta=meta,
        )

    class Completed(Aggregate.Event):
        completed_at: datetime
        charts_total: int
        charts_clear: int
        score: Decimal
        subject: dict[str, Any]
        meta: Meta

    @event(Completed)
    def _completed(
        self,
        completed_at: datetime,
        charts_total: int,
        charts_clear: int,
        score: Decimal,
        subject: dict[str, Any],
        meta: Meta,
    ) -> None:
        self.status = COMPLETED
        self.completed_at = completed_at
        self.completed_by = meta.actor_id

    def _check_open(self, action: str) -> None:
        if self.status != OPEN:
            raise ReviewSampleClosed(
                f"cannot {action} a review sample that is {self.status}",
                current_status=self.status,
            )

    def finding(self, finding_id: UUID) -> Finding:
        for finding in self.findings:
            if finding.finding_id == finding_id:
                return finding
        raise FindingNotFound(f"no finding {finding_id} in review sample {self.id}")

    @property
    def unreviewed(self) -> list[str]:
        reviewed = {f.chart_ref for f in self.findings}
        return [ref for ref in self.chart_refs if ref not in reviewed]

    @property
    def charts_clear(self) -> int:
        serious = {f.chart_ref for f in self.findings if f.severity in SERIOUS}
        return len([ref for ref in self.chart_refs if ref not in serious])

    @property
    def score(self) -> Decimal:
        return score_of(self.charts_clear, len(self.chart_refs))

    @property
    def subject(self) -> dict[str, Any]:
        """Whose charts, for when: carried on the completion so the event alone tells it."""
        return {
            "clinician_id": self.clinician_id,
            "period": self.period,
            "service_line": self.service_line,
        }
