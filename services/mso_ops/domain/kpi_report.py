"""A month's KPIs for one site, from the facts the KPI projection kept for that month.

Each KPI is reported for the whole site (service_line None) and, where it is per
service line, once per line. A reading is plain data (strings for decimals), as it is
stored in the report's events and published in `performance-report.published` v1.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from services.mso_ops.domain import kpi_catalogue as c
from services.mso_ops.domain import kpis

Measure = tuple[Decimal | None, int]
Measurer = Callable[["Facts", int], Measure]
TargetOf = Callable[[str], Decimal | None]


@dataclass(frozen=True)
class Level:
    numerator: int
    denominator: int = 0
    flag: bool = False


@dataclass
class Facts:
    """What the KPI projection holds for one site (and line) and month."""

    counts: dict[str, int] = field(default_factory=dict)
    durations: dict[str, list[int]] = field(default_factory=dict)
    levels: dict[str, Level] = field(default_factory=dict)

    def count(self, fact: str) -> int:
        return self.counts.get(fact, 0)

    def seconds(self, fact: str) -> list[int]:
        return self.durations.get(fact, [])

    @classmethod
    def merged(cls, parts: Iterable[Facts]) -> Facts:
        total = cls()
        for part in parts:
            for fact, value in part.counts.items():
                total.counts[fact] = total.count(fact) + value
            for fact, values in part.durations.items():
                total.durations[fact] = total.seconds(fact) + values
            for fact, level in part.levels.items():
                seen = total.levels.get(fact)
                total.levels[fact] = (
                    level
                    if seen is None
                    else Level(
                        seen.numerator + level.numerator,
                        seen.denominator + level.denominator,
                        seen.flag and level.flag,
                    )
                )
        return total


def _quantiles(
    fact: str, p: int | None, unit: Callable[[Decimal | None], Decimal | None]
) -> Measurer:
    def measure(facts: Facts, _days: int) -> Measure:
        values = facts.seconds(fact)
        seconds = kpis.median(values) if p is None else kpis.percentile(values, p)
        return unit(seconds), len(values)

    return measure


def _within_target(facts: Facts, _days: int) -> Measure:
    values = facts.seconds(c.FORM_TURNAROUND)
    limit = int(c.FORM_TURNAROUND_STANDARD_DAYS * kpis.DAY_SECONDS)
    return kpis.share_within(values, limit), len(values)


def _nps(facts: Facts, _days: int) -> Measure:
    responses = facts.count(c.SURVEY_RESPONSES)
    promoters, detractors = facts.count(c.SURVEY_PROMOTERS), facts.count(c.SURVEY_DETRACTORS)
    return kpis.nps(responses, promoters, detractors), responses


def _ratio(formula: Callable[[int, int], Decimal | None], part: str, whole: str) -> Measurer:
    def measure(facts: Facts, _days: int) -> Measure:
        return formula(facts.count(part), facts.count(whole)), facts.count(whole)

    return measure


def _level(formula: Callable[[int, int], Decimal | None], fact: str) -> Measurer:
    def measure(facts: Facts, _days: int) -> Measure:
        level = facts.levels.get(fact)
        if level is None:
            return None, 0
        return formula(level.numerator, level.denominator), level.denominator

    return measure


def _denied_amount(facts: Facts, _days: int) -> Measure:
    adjudicated = facts.count(c.CLAIMS_ADJUDICATED)
    cents = facts.count(c.CLAIMS_INITIALLY_DENIED_CENTS)
    return (kpis.amount(cents) if adjudicated else None), facts.count(c.CLAIMS_INITIALLY_DENIED)


def _days_in_ar(facts: Facts, days: int) -> Measure:
    balance = facts.levels.get(c.AR_BALANCE_CENTS)
    charges = facts.count(c.CHARGES_BILLED_CENTS)
    if balance is None or charges == 0:
        return None, 0
    return kpis.days_in_ar(balance.numerator, charges, days), days


MEASURES: Mapping[str, Measurer] = {
    "form_turnaround_days_median": _quantiles(c.FORM_TURNAROUND, None, kpis.in_days),
    "form_turnaround_days_p90": _quantiles(c.FORM_TURNAROUND, 90, kpis.in_days),
    "form_turnaround_within_target_share": _within_target,
    "results_cycle_hours_median": _quantiles(c.RESULTS_CYCLE, None, kpis.in_hours),
    "results_cycle_hours_p90": _quantiles(c.RESULTS_CYCLE, 90, kpis.in_hours),
    "nps": _nps,
    "no_show_rate": _ratio(kpis.no_show_rate, c.APPOINTMENTS_NO_SHOW, c.APPOINTMENTS_CAME_DUE),
    "third_next_available_days": _quantiles(c.THIRD_NEXT_AVAILABLE, None, kpis.in_days),
    "site_reliability": _ratio(
        kpis.site_reliability, c.ACTUAL_OPEN_MINUTES, c.SCHEDULED_OPEN_MINUTES
    ),
    "audit_readiness": _level(kpis.audit_readiness, c.AUDIT_ITEMS),
    "expansion_readiness": _level(kpis.expansion_readiness, c.READINESS_CHECKLIST),
    "clean_claim_rate": _ratio(kpis.clean_claim_rate, c.CLAIMS_CLEAN, c.CLAIMS_RESPONDED),
    "initial_denial_rate": _ratio(
        kpis.initial_denial_rate, c.CLAIMS_INITIALLY_DENIED, c.CLAIMS_ADJUDICATED
    ),
    "initial_denial_amount": _denied_amount,
    "days_in_ar": _days_in_ar,
}


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def reading(
    kpi: c.Kpi, service_line: str | None, facts: Facts, target: Decimal | None, days: int
) -> dict[str, Any]:
    value, sample_size = MEASURES[kpi.name](facts, days)
    return {
        "kpi": kpi.name,
        "service_line": service_line,
        "value": _text(value),
        "target": _text(target),
        "variance": _text(c.variance(value, target)),
        "direction": kpi.direction,
        "sample_size": sample_size,
    }


def site_readings(
    lines: Mapping[str, Facts], target_of: TargetOf, days: int
) -> list[dict[str, Any]]:
    """Every KPI for the site as a whole, then per service line ('' holds site-wide facts)."""
    site = Facts.merged(lines.values())
    named = sorted(line for line in lines if line)
    readings = []
    for kpi in c.CATALOGUE:
        target = target_of(kpi.name)
        readings.append(reading(kpi, None, site, target, days))
        if kpi.per_service_line:
            readings.extend(reading(kpi, line, lines[line], target, days) for line in named)
    return readings
