"""KPI formulas and the month's readings of a site, against values computed by hand."""

from __future__ import annotations

import typing
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contracts.v1.performance import KpiName, KpiValue
from services.mso_ops.domain import kpi_catalogue as c
from services.mso_ops.domain import kpis
from services.mso_ops.domain.kpi_report import Facts, Level, site_readings

DAY = 86_400
T0 = datetime(2026, 10, 1, 8, 0, tzinfo=UTC)


def test_the_catalogue_names_exactly_the_kpis_of_the_contract() -> None:
    assert set(c.KPI_NAMES) == set(typing.get_args(KpiName))
    assert {k.direction for k in c.CATALOGUE} == {"higher_is_better", "lower_is_better"}
    assert c.BY_NAME["no_show_rate"].direction == "lower_is_better"
    assert c.BY_NAME["nps"].direction == "higher_is_better"
    for kpi in c.CATALOGUE:
        assert set(kpi.facts) <= set(c.COUNTS + c.DURATIONS + c.LEVELS), kpi.name


def test_median_and_nearest_rank_percentiles() -> None:
    assert kpis.median([5, 1, 3]) == 3
    assert kpis.median([4, 1, 3, 2]) == Decimal("2.5")
    assert kpis.median([]) is None
    assert kpis.percentile(list(range(1, 11)), 90) == 9
    assert kpis.percentile(list(range(1, 12)), 90) == 10
    assert kpis.percentile(list(range(1, 21)), 90) == 18
    assert kpis.percentile([7], 90) == 7
    assert kpis.percentile([], 90) is None
    assert kpis.percentile([3, 1, 2], 100) == 3
    with pytest.raises(kpis.InvalidFact):
        kpis.percentile([1], 0)


@given(st.lists(st.integers(0, 10**7), min_size=1, max_size=200))
def test_quantiles_lie_within_the_values_and_in_order(values: list[int]) -> None:
    median, p90 = kpis.median(values), kpis.percentile(values, 90)
    assert median is not None
    assert p90 is not None
    assert min(values) <= median <= max(values)
    assert p90 in values
    assert sum(1 for v in values if v <= p90) >= 0.9 * len(values)
    assert sum(1 for v in values if v < p90) < 0.9 * len(values)


def test_nps_is_promoters_minus_detractors_in_points() -> None:
    assert kpis.survey_counts([10, 9, 9, 8, 7, 6, 0, 3, 10, 5]) == (10, 4, 4)
    assert kpis.nps(*kpis.survey_counts([10, 9, 9, 8, 7, 6, 0, 3, 10, 5])) == 0
    assert kpis.nps(*kpis.survey_counts([10, 10, 9, 8, 2])) == Decimal("40.0")
    assert kpis.nps(*kpis.survey_counts([9, 7])) == Decimal("50.0")
    assert kpis.nps(*kpis.survey_counts([0, 10, 10])) == Decimal("33.3")
    assert kpis.nps(*kpis.survey_counts([0, 6])) == Decimal("-100.0")
    assert kpis.nps(0, 0, 0) is None
    with pytest.raises(kpis.InvalidFact):
        kpis.survey_counts([11])
    with pytest.raises(kpis.InvalidFact):
        kpis.nps(2, 2, 1)


@given(st.lists(st.integers(0, 10), min_size=1, max_size=300))
def test_nps_stays_within_its_range(scores: list[int]) -> None:
    value = kpis.nps(*kpis.survey_counts(scores))
    assert value is not None
    assert -100 <= value <= 100


def test_rates_and_shares() -> None:
    assert kpis.no_show_rate(1, 12) == Decimal("0.0833")
    assert kpis.no_show_rate(0, 0) is None
    assert kpis.site_reliability(570, 600) == Decimal("0.9500")
    assert kpis.audit_readiness(9, 10) == Decimal("0.9")
    assert kpis.expansion_readiness(5, 7) == Decimal("0.7143")
    assert kpis.clean_claim_rate(45, 50) == Decimal("0.9")
    assert kpis.initial_denial_rate(3, 50) == Decimal("0.06")
    assert kpis.share_within([DAY, 2 * DAY, 3 * DAY, 4 * DAY], 3 * DAY) == Decimal("0.75")
    with pytest.raises(kpis.InvalidFact):
        kpis.site_reliability(601, 600)
    with pytest.raises(kpis.InvalidFact):
        kpis.ratio(-1, 3)


def test_times_from_timestamps() -> None:
    slots = [
        T0 - timedelta(hours=1),  # before the request: not available to it
        T0 + timedelta(hours=1),
        T0 + timedelta(days=1, hours=1),
        T0 + timedelta(days=3),
        T0 + timedelta(days=4),
    ]
    seconds = kpis.third_next_available_seconds(T0, reversed(slots))
    assert seconds == 3 * DAY
    assert kpis.in_days(Decimal(3 * DAY)) == Decimal("3.00")
    assert kpis.third_next_available_seconds(T0, slots[:3]) is None

    cycle = kpis.results_cycle(
        T0 + timedelta(hours=2),
        T0 + timedelta(hours=8, minutes=30),
        T0 + timedelta(days=1, hours=2),
    )
    assert (cycle.to_received, cycle.to_released, cycle.total) == (23_400, 63_000, 86_400)
    assert kpis.in_hours(Decimal(cycle.total)) == Decimal("24.00")
    with pytest.raises(kpis.InvalidFact):
        kpis.results_cycle(T0, T0 - timedelta(minutes=1), T0)


def test_minutes_down_counts_overlapping_windows_once() -> None:
    def t(minutes: int) -> datetime:
        return T0 + timedelta(minutes=minutes)

    # a 60-minute slot from T0; windows -30..10, 5..20 (5..10 counted once), 50..90 and
    # 70..80 (after the slot): 0..10, 10..20 and 50..60 -> 30 minutes down
    windows = [(t(50), t(90)), (t(-30), t(10)), (t(5), t(20)), (t(70), t(80))]
    assert kpis.minutes_down(t(0), t(60), windows) == 30
    assert kpis.minutes_down(t(0), t(60), []) == 0
    assert kpis.minutes_down(t(0), t(60), [(t(-60), t(120))]) == 60
    assert kpis.minutes_down(t(0), t(60), [(t(0), t(0) + timedelta(seconds=119))]) == 1


def test_billing_figures() -> None:
    assert kpis.days_in_ar(4_500_000, 3_000_000, 30) == Decimal("45.00")
    assert kpis.days_in_ar(1_000, 0, 30) is None
    assert kpis.amount(123_456) == Decimal("1234.56")
    with pytest.raises(kpis.InvalidFact):
        kpis.days_in_ar(-1, 10, 30)


def by_key(readings: list[dict[str, object]]) -> dict[tuple[object, object], dict[str, object]]:
    return {(r["kpi"], r["service_line"]): r for r in readings}


def test_a_site_month_reads_every_kpi_for_the_site_and_per_service_line() -> None:
    sports = Facts(
        counts={
            c.APPOINTMENTS_CAME_DUE: 8,
            c.APPOINTMENTS_NO_SHOW: 1,
            c.SURVEY_RESPONSES: 5,
            c.SURVEY_PROMOTERS: 3,
            c.SURVEY_DETRACTORS: 1,
        },
        durations={c.FORM_TURNAROUND: [DAY, 2 * DAY, 5 * DAY]},
    )
    school = Facts(
        counts={c.APPOINTMENTS_CAME_DUE: 4},
        durations={c.FORM_TURNAROUND: [DAY // 2]},
    )
    site_wide = Facts(
        counts={
            c.SCHEDULED_OPEN_MINUTES: 600,
            c.ACTUAL_OPEN_MINUTES: 570,
            c.CLAIMS_RESPONDED: 50,
            c.CLAIMS_CLEAN: 45,
            c.CLAIMS_ADJUDICATED: 40,
            c.CLAIMS_INITIALLY_DENIED: 3,
            c.CLAIMS_INITIALLY_DENIED_CENTS: 45_000,
            c.CHARGES_BILLED_CENTS: 3_000_000,
        },
        durations={c.RESULTS_CYCLE: [3_600, 7_200, 36_000]},
        levels={
            c.AUDIT_ITEMS: Level(9, 10),
            c.AR_BALANCE_CENTS: Level(4_500_000),
            c.READINESS_CHECKLIST: Level(5, 7, True),
        },
    )
    targets = {"no_show_rate": Decimal("0.10"), "nps": Decimal(50)}
    readings = site_readings(
        {"sports_clearance": sports, "school_physical": school, "": site_wide},
        targets.get,
        30,
    )
    for reading in readings:
        KpiValue.model_validate(reading)  # the shape the contract carries
    got = by_key(readings)
    assert len(readings) == len(c.CATALOGUE) + 2 * sum(k.per_service_line for k in c.CATALOGUE)
    expected = {
        ("no_show_rate", None): ("0.0833", 12, "0.10", "-0.0167"),
        ("no_show_rate", "sports_clearance"): ("0.1250", 8, "0.10", "0.0250"),
        ("no_show_rate", "school_physical"): ("0.0000", 4, "0.10", "-0.1000"),
        ("nps", None): ("40.0", 5, "50", "-10.0"),
        ("nps", "school_physical"): (None, 0, "50", None),
        ("form_turnaround_days_median", None): ("1.50", 4, None, None),
        ("form_turnaround_days_p90", None): ("5.00", 4, None, None),
        ("form_turnaround_days_median", "sports_clearance"): ("2.00", 3, None, None),
        ("form_turnaround_within_target_share", None): ("0.7500", 4, None, None),
        ("results_cycle_hours_median", None): ("2.00", 3, None, None),
        ("results_cycle_hours_p90", None): ("10.00", 3, None, None),
        ("site_reliability", None): ("0.9500", 600, None, None),
        ("audit_readiness", None): ("0.9000", 10, None, None),
        ("expansion_readiness", None): ("0.7143", 7, None, None),
        ("clean_claim_rate", None): ("0.9000", 50, None, None),
        ("initial_denial_rate", None): ("0.0750", 40, None, None),
        ("initial_denial_amount", None): ("450.00", 3, None, None),
        ("days_in_ar", None): ("45.00", 30, None, None),
        ("third_next_available_days", None): (None, 0, None, None),
    }
    for key, (value, sample, target, variance) in expected.items():
        reading = got[key]
        assert (reading["value"], reading["sample_size"]) == (value, sample), key
        assert (reading["target"], reading["variance"]) == (target, variance), key
    assert got[("no_show_rate", None)]["direction"] == "lower_is_better"
    assert ("site_reliability", "sports_clearance") not in got, "a site-wide KPI has no lines"
    assert ("expansion_readiness", "sports_clearance") not in got


def test_an_empty_month_reads_none_everywhere() -> None:
    readings = site_readings({}, lambda _kpi: None, 31)
    assert [r["kpi"] for r in readings] == list(c.KPI_NAMES)
    assert {r["value"] for r in readings} == {None}
    assert {r["sample_size"] for r in readings} == {0}
