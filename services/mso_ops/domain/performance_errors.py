"""What performance reporting refuses: KPI targets, post-visit surveys, month close."""

from __future__ import annotations

from mhg.errors import AlreadyExists, Conflict, NotFound, RuleViolation


class UnknownKpi(NotFound):
    code = "unknown-kpi"
    title = "No such KPI"


class InvalidKpiTarget(RuleViolation):
    code = "invalid-kpi-target"
    title = "The target is outside what the KPI can take"


class KpiTargetNotFound(NotFound):
    code = "kpi-target-not-found"
    title = "No target is set for this KPI"


class InvalidSurveyScore(RuleViolation):
    code = "invalid-survey-score"
    title = "A survey score is a whole number from 0 to 10"


class SurveyAlreadyRecorded(AlreadyExists):
    code = "survey-already-recorded"
    title = "This visit's survey is recorded already"


class VisitNotFulfilled(Conflict):
    code = "visit-not-fulfilled"
    title = "A post-visit survey needs a fulfilled appointment"


class SurveyNotFound(NotFound):
    code = "survey-not-found"
    title = "No such survey"


class InvalidMonth(RuleViolation):
    code = "invalid-month"
    title = "A month is written YYYY-MM"


class MonthNotOver(Conflict):
    code = "month-not-over"
    title = "A month is closed only after its last day"


class ReportUnchanged(Conflict):
    code = "report-unchanged"
    title = "Nothing changed since the last revision of this month's report"


class ReportNotFound(NotFound):
    code = "performance-report-not-found"
    title = "This month is not closed"
