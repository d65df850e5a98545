"""Errors of the MSO performance reports PC Governance receives."""

from __future__ import annotations

from mhg.errors import Conflict, NotFound, RuleViolation


class PerformanceReportNotFound(NotFound):
    code = "performance-report-not-found"
    title = "No performance report for this month has arrived"


class StaleReportRevision(Conflict):
    code = "stale-report-revision"
    title = "A revision as new or newer of this month's report is held already"


class InvalidPerformanceReport(RuleViolation):
    code = "invalid-performance-report"
    title = "The performance report breaks a rule of reporting"
