"""The messages performance reporting and corrective actions publish to the PC."""

from __future__ import annotations

from typing import Any

from contracts.v1.corrective_action import CorrectiveActionProgressReportedV1
from contracts.v1.performance import PerformanceReportPublishedV1, SitePerformance
from mhg.event_fields import ORIGINATOR, from_event, translated


def _sites(sites: Any) -> tuple[SitePerformance, ...]:
    return tuple(SitePerformance.model_validate(site) for site in sites)


report_published = translated(
    PerformanceReportPublishedV1,
    *("report_id", "month", "revision", "published_at"),
    sites=from_event("sites", _sites),
)
"""A revision of a month's report: aggregates only, never a patient or an appointment."""

progress_reported = translated(
    CorrectiveActionProgressReportedV1,
    *("status", "evidence", "document_ref", "reported_at"),
    action_id=ORIGINATOR,
)
