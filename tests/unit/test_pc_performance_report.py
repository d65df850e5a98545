"""The performance report aggregate: revisions only move forward; variances read the right way."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mhg.meta import Meta
from services.pc_governance.domain.performance_report import PerformanceReport, unfavourable
from services.pc_governance.domain.performance_report_errors import (
    InvalidPerformanceReport,
    StaleReportRevision,
)

MONTH = date(2026, 10, 1)
NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def meta() -> Meta:
    return Meta("ops-ann", "mso_admin", "mso", uuid.uuid4().hex, "corr", "cause")


def site(*kpis: dict[str, Any], name: str = "North Campus") -> dict[str, Any]:
    return {"site_id": str(uuid.uuid4()), "site_name": name, "kpis": list(kpis)}


def kpi(
    value: str | None, target: str | None, direction: str, variance: str | None = None
) -> dict[str, Any]:
    return {
        "kpi": "no_show_rate",
        "service_line": None,
        "value": value,
        "target": target,
        "variance": variance,
        "direction": direction,
        "sample_size": 10,
    }


def received(revision: int = 1, sites: list[dict[str, Any]] | None = None) -> PerformanceReport:
    return PerformanceReport.receive(
        month=MONTH,
        report_id=uuid.uuid4(),
        revision=revision,
        sites=sites or [site(kpi("0.1", "0.1", "lower_is_better"))],
        published_at=NOW,
        meta=meta(),
    )


def test_the_month_is_the_identity() -> None:
    assert received().id == PerformanceReport.create_id(MONTH) == received(3).id
    assert PerformanceReport.create_id(date(2026, 9, 1)) != PerformanceReport.create_id(MONTH)


def test_a_stale_or_repeated_revision_is_refused_and_changes_nothing() -> None:
    report = received(2)
    report.collect_events()
    for revision in (1, 2):
        with pytest.raises(StaleReportRevision) as refused:
            report.revise(
                report_id=uuid.uuid4(), revision=revision, sites=[], published_at=NOW, meta=meta()
            )
        assert refused.value.extensions == {"current_revision": 2}
    assert report.collect_events() == []
    assert report.latest.revision == 2


@pytest.mark.parametrize(
    ("month", "revision", "sites"),
    [
        (date(2026, 10, 2), 1, []),
        (MONTH, 0, []),
        (MONTH, 1, [site(kpi("0.1", "0.1", "sideways"))]),
        (MONTH, 1, [site(kpi("lots", "0.1", "lower_is_better"))]),
        (MONTH, 1, [site(kpi("NaN", "0.1", "lower_is_better"))]),
    ],
)
def test_an_invalid_report_is_refused(
    month: date, revision: int, sites: list[dict[str, Any]]
) -> None:
    with pytest.raises(InvalidPerformanceReport):
        PerformanceReport.receive(
            month=month,
            report_id=uuid.uuid4(),
            revision=revision,
            sites=sites,
            published_at=NOW,
            meta=meta(),
        )


@given(st.lists(st.integers(1, 8), min_size=1, max_size=12))
def test_the_newest_revision_always_wins(offered: list[int]) -> None:
    """Whatever order revisions arrive in, each is taken only if newer than all before it."""
    report = received(offered[0])
    accepted = [offered[0]]
    for revision in offered[1:]:
        try:
            report.revise(
                report_id=uuid.uuid4(), revision=revision, sites=[], published_at=NOW, meta=meta()
            )
        except StaleReportRevision:
            assert revision <= max(accepted)
        else:
            assert revision > max(accepted)
            accepted.append(revision)
    assert [r.revision for r in report.revisions] == accepted
    assert report.latest.revision == max(offered)
    assert len(report.collect_events()) == len(accepted)


numbers = st.decimals(
    min_value=-1000, max_value=1000, places=2, allow_nan=False, allow_infinity=False
)


@given(
    value=st.none() | numbers,
    target=st.none() | numbers,
    given_variance=st.none() | numbers,
    direction=st.sampled_from(["higher_is_better", "lower_is_better"]),
)
def test_a_variance_is_unfavourable_exactly_when_it_points_the_wrong_way(
    value: Decimal | None, target: Decimal | None, given_variance: Decimal | None, direction: str
) -> None:
    def text(n: Decimal | None) -> str | None:
        return None if n is None else str(n)

    found = unfavourable([site(kpi(text(value), text(target), direction, text(given_variance)))])
    if value is None or target is None:
        assert found == []
        return
    variance = given_variance if given_variance is not None else value - target
    wrong = variance < 0 if direction == "higher_is_better" else variance > 0
    assert len(found) == int(wrong)
    if wrong:
        assert (found[0].value, found[0].target, found[0].variance) == (value, target, variance)


def test_variances_are_listed_in_report_order_across_sites() -> None:
    sites = [
        site(kpi("0.2", "0.1", "lower_is_better"), kpi("0.05", "0.1", "lower_is_better"), name="A"),
        site(kpi("40", "50", "higher_is_better"), kpi("60", "50", "higher_is_better"), name="B"),
    ]
    assert [(v.site_name, v.variance) for v in unfavourable(sites)] == [
        ("A", Decimal("0.1")),
        ("B", Decimal("-10")),
    ]
