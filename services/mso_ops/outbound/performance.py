"""The messages performance reporting and corrective actions publish to the PC."""

from __future__ import annotations

from typing import Any

from contracts.v1.corrective_action import CorrectiveActionProgressReportedV1
from contracts.v1.performance import PerformanceReportPublishedV1, SitePerformance


def report_published(event: Any) -> PerformanceReportPublishedV1:
    """A revision of a month's report: aggregates only, never a patient or an appointment."""
    return PerformanceReportPublishedV1(
        report_id=event.report_id,
        month=event.month,
        revision=event.revision,
        sites=tuple(SitePerformance.model_validate(site) for site in event.sites),
        published_at=event.published_at,
    )


def progress_reported(event: Any) -> CorrectiveActionProgressReportedV1:
    return CorrectiveActionProgressReportedV1(
        action_id=event.originator_id,
        status=event.status,
        evidence=event.evidence,
        document_ref=event.document_ref,
        reported_at=event.reported_at,
    )
