"""The contract messages MSO Operations publishes, mapped from its domain events."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from contracts.v1.authorization import AuthorizationRequestedV1, ReadinessEvidence
from contracts.v1.site import SiteTimeZoneSetV1
from mhg.event_fields import MOMENT, from_event, translated
from mhg.feed import Translator
from services.mso_ops.domain.corrective_action import CorrectiveAction
from services.mso_ops.domain.fee_schedule import FeeSchedule
from services.mso_ops.domain.invoice import Invoice
from services.mso_ops.domain.performance_report import PerformanceReport
from services.mso_ops.domain.service_line import ServiceLine
from services.mso_ops.domain.shift_coverage import ShiftCoverageRecord
from services.mso_ops.domain.site import Site
from services.mso_ops.domain.site_change import SiteChange
from services.mso_ops.outbound.billing import fee_schedule_proposed, invoice_issued
from services.mso_ops.outbound.coverage import coverage_judged
from services.mso_ops.outbound.performance import progress_reported, report_published
from services.mso_ops.outbound.sites import change_requested, go_live_requested

PRODUCER = "mso-ops"


authorization_requested = translated(
    AuthorizationRequestedV1,
    *("request_id", "site_id", "site_name"),
    kind="service_line",
    service_line=from_event("code"),
    readiness=from_event("readiness", ReadinessEvidence.model_validate),
    requested_at=MOMENT,
)

time_zone_set = translated(
    SiteTimeZoneSetV1, "time_zone", site_id=from_event("originator_id"), set_at=MOMENT
)
"""The site's zone, as set, changed or removed: the PC judges the site's days by it."""


OUTBOUND: Mapping[type[Any], Translator] = {
    ServiceLine.AuthorizationRequested: authorization_requested,
    Site.GoLiveRequested: go_live_requested,
    SiteChange.Requested: change_requested,
    PerformanceReport.Published: report_published,
    PerformanceReport.Revised: report_published,
    CorrectiveAction.ProgressReported: progress_reported,
    Invoice.Issued: invoice_issued,
    FeeSchedule.VersionAdded: fee_schedule_proposed,
    FeeSchedule.ProposalResent: fee_schedule_proposed,
    ShiftCoverageRecord.Judged: coverage_judged,
    Site.TimeZoneSet: time_zone_set,
}
