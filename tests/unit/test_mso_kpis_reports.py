"""Month reports, KPI targets and post-visit surveys: the rules their aggregates hold."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from mhg.meta import Meta
from services.mso_ops.domain import performance_errors as err
from services.mso_ops.domain.appointment import Appointment
from services.mso_ops.domain.kpi_target import KpiTarget
from services.mso_ops.domain.performance_report import (
    PerformanceReport,
    days_in,
    month_after,
    month_of,
)
from services.mso_ops.domain.service_line import AuthorizationInForce
from services.mso_ops.domain.survey import PostVisitSurvey

OCTOBER = date(2026, 10, 1)
AFTER_OCTOBER = datetime(2026, 11, 1, 0, 0, tzinfo=UTC)


def meta(actor: str = "ann") -> Meta:
    return Meta(actor, "mso_admin", "mso", uuid.uuid4().hex, "corr", "cause")


def sites(value: str | None) -> list[dict[str, Any]]:
    return [
        {
            "site_id": "00000000-0000-0000-0000-000000000001",
            "site_name": "North Campus",
            "kpis": [{"kpi": "nps", "service_line": None, "value": value}],
        }
    ]


def test_months_are_written_yyyy_mm() -> None:
    assert month_of("2026-10") == OCTOBER
    assert month_after(date(2026, 12, 1)) == date(2027, 1, 1)
    assert (days_in(date(2028, 2, 1)), days_in(date(2026, 2, 1)), days_in(OCTOBER)) == (29, 28, 31)
    for bad in ("2026-13", "2026-1", "26-10", "1999-12", "2026-10-01"):
        with pytest.raises(err.InvalidMonth):
            month_of(bad)


def test_a_month_closes_only_after_its_last_day() -> None:
    with pytest.raises(err.MonthNotOver):
        PerformanceReport.close(
            month=OCTOBER,
            report_id=uuid.uuid4(),
            sites=[],
            at=AFTER_OCTOBER - timedelta(seconds=1),
            meta=meta(),
        )
    report = PerformanceReport.close(
        month=OCTOBER, report_id=uuid.uuid4(), sites=sites("10.0"), at=AFTER_OCTOBER, meta=meta()
    )
    assert report.id == PerformanceReport.create_id(OCTOBER)
    assert (report.latest.revision, report.version) == (1, 1)


class ReportRevisions(RuleBasedStateMachine):
    """Closing again records the next revision only when the month's figures changed."""

    @initialize(value=st.sampled_from(["1.0", "2.0", None]))
    def close(self, value: str | None) -> None:
        self.report = PerformanceReport.close(
            month=OCTOBER, report_id=uuid.uuid4(), sites=sites(value), at=AFTER_OCTOBER, meta=meta()
        )
        self.published = [value]
        self.ids = [self.report.latest.report_id]

    @rule(value=st.sampled_from(["1.0", "2.0", "3.5", None]))
    def reclose(self, value: str | None) -> None:
        report_id = uuid.uuid4()
        version = self.report.version
        if value == self.published[-1]:
            with pytest.raises(err.ReportUnchanged):
                self.report.reclose(
                    report_id=report_id, sites=sites(value), at=AFTER_OCTOBER, meta=meta()
                )
            assert self.report.version == version
            return
        self.report.reclose(report_id=report_id, sites=sites(value), at=AFTER_OCTOBER, meta=meta())
        self.published.append(value)
        self.ids.append(report_id)

    @invariant()
    def revisions_count_up_and_keep_what_each_said(self) -> None:
        revisions = self.report.revisions
        assert [r.revision for r in revisions] == list(range(1, len(self.published) + 1))
        assert [r.sites[0]["kpis"][0]["value"] for r in revisions] == self.published
        assert [self.report.revision_with(i) for i in self.ids] == revisions
        assert self.report.numbered(None) == revisions[-1]
        assert self.report.version == len(revisions)


TestReportRevisions = ReportRevisions.TestCase
TestReportRevisions.settings = settings(max_examples=40, stateful_step_count=12, deadline=None)


def test_an_unknown_revision_is_not_found() -> None:
    report = PerformanceReport.close(
        month=OCTOBER, report_id=uuid.uuid4(), sites=[], at=AFTER_OCTOBER, meta=meta()
    )
    for number in (0, 2):
        with pytest.raises(err.ReportNotFound):
            report.numbered(number)


@given(
    kpi=st.sampled_from(["no_show_rate", "nps", "days_in_ar", "clean_claim_rate"]),
    value=st.decimals(min_value=-200, max_value=200, places=2, allow_nan=False),
)
def test_a_target_stays_within_what_its_kpi_can_take(kpi: str, value: Decimal) -> None:
    bounds = {
        "no_show_rate": (0, 1),
        "clean_claim_rate": (0, 1),
        "nps": (-100, 100),
        "days_in_ar": (0, None),
    }[kpi]
    fits = value >= bounds[0] and (bounds[1] is None or value <= bounds[1])
    if not fits:
        with pytest.raises(err.InvalidKpiTarget):
            KpiTarget.define(kpi=kpi, site_id=None, value=value, meta=meta())
        return
    target = KpiTarget.define(kpi=kpi, site_id=None, value=value, meta=meta())
    assert (target.kpi, target.value, target.version) == (kpi, value, 1)


def test_targets_are_one_per_kpi_and_site_and_change_only_when_different() -> None:
    site = uuid.uuid4()
    default = KpiTarget.define(kpi="nps", site_id=None, value=Decimal(40), meta=meta())
    own = KpiTarget.define(kpi="nps", site_id=site, value=Decimal(50), meta=meta())
    assert default.id != own.id
    assert own.id == KpiTarget.create_id("nps", site)
    default.collect_events()
    default.change(Decimal(40), meta())
    assert list(default.collect_events()) == []
    default.change(Decimal("45.5"), meta())
    assert (default.value, default.version) == (Decimal("45.5"), 2)
    with pytest.raises(err.InvalidKpiTarget):
        default.change(Decimal(101), meta())
    with pytest.raises(err.InvalidKpiTarget):
        KpiTarget.define(kpi="nps", site_id=None, value=Decimal("1.00001"), meta=meta())
    with pytest.raises(err.UnknownKpi):
        KpiTarget.define(kpi="happiness", site_id=None, value=Decimal(1), meta=meta())


def visit(status: str = "fulfilled") -> Appointment:
    appointment = Appointment.book(
        appointment_id=uuid.uuid4(),
        site_id=uuid.uuid4(),
        service_line="sports_clearance",
        service_line_id=uuid.uuid4(),
        authorization=AuthorizationInForce(uuid.uuid4(), uuid.uuid4()),
        start=datetime(2026, 10, 31, 23, 30, tzinfo=UTC) - timedelta(hours=8),
        minutes=20,
        patient={"name": "Sam Doe", "date_of_birth": "2010-04-04", "contact": "555-0100"},
        requested_by=None,
        meta=meta(),
    )
    if status != "booked":
        appointment.record_outcome(status, AFTER_OCTOBER, meta())
    return appointment


def test_a_survey_scores_a_fulfilled_visit_once_and_keeps_no_patient_data() -> None:
    fulfilled = visit()
    survey = PostVisitSurvey.record(visit=fulfilled, score=9, meta=meta())
    assert survey.id == PostVisitSurvey.create_id(fulfilled.id)
    assert (survey.site_id, survey.service_line, survey.score) == (
        fulfilled.site_id,
        "sports_clearance",
        9,
    )
    assert survey.visit_on == date(2026, 10, 31)
    [recorded] = survey.collect_events()
    assert "patient" not in vars(recorded)
    for status in ("booked", "no_show"):
        with pytest.raises(err.VisitNotFulfilled):
            PostVisitSurvey.record(visit=visit(status), score=9, meta=meta())
    for score in (-1, 11, True):
        with pytest.raises(err.InvalidSurveyScore):
            PostVisitSurvey.record(visit=fulfilled, score=score, meta=meta())
