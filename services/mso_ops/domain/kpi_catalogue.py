"""The monthly report's KPIs, defined once (docs/domain.md#kpis), and the facts they read.

A fact is the narrow input the KPI projection keeps per (fact, site, service line, month):
a count (or an amount in cents), a duration in seconds per subject, or a level (a
snapshot that holds until the next one). Each KPI names the facts it reads, so that a
capability that starts emitting events only has to feed those facts.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

Direction = Literal["higher_is_better", "lower_is_better"]

# Counts per month (amounts in cents).
APPOINTMENTS_CAME_DUE = "appointments_came_due"
APPOINTMENTS_NO_SHOW = "appointments_no_show"
SURVEY_RESPONSES = "survey_responses"
SURVEY_PROMOTERS = "survey_promoters"
SURVEY_DETRACTORS = "survey_detractors"
SCHEDULED_OPEN_MINUTES = "scheduled_open_minutes"
ACTUAL_OPEN_MINUTES = "actual_open_minutes"
CLAIMS_RESPONDED = "claims_responded"  # a first payer response (by submission month)
CLAIMS_CLEAN = "claims_clean"  # ... that was not a denial
CLAIMS_ADJUDICATED = "claims_adjudicated"  # a first adjudication: paid or denied
CLAIMS_INITIALLY_DENIED = "claims_initially_denied"  # ... that was a denial
CLAIMS_INITIALLY_DENIED_CENTS = "claims_initially_denied_cents"
CHARGES_BILLED_CENTS = "charges_billed_cents"
COUNTS = (
    APPOINTMENTS_CAME_DUE,
    APPOINTMENTS_NO_SHOW,
    SURVEY_RESPONSES,
    SURVEY_PROMOTERS,
    SURVEY_DETRACTORS,
    SCHEDULED_OPEN_MINUTES,
    ACTUAL_OPEN_MINUTES,
    CLAIMS_RESPONDED,
    CLAIMS_CLEAN,
    CLAIMS_ADJUDICATED,
    CLAIMS_INITIALLY_DENIED,
    CLAIMS_INITIALLY_DENIED_CENTS,
    CHARGES_BILLED_CENTS,
)

# Durations in seconds, one per subject (form, specimen, slot request), in the month it ended.
FORM_TURNAROUND = "form_turnaround"
RESULTS_CYCLE = "results_cycle"
THIRD_NEXT_AVAILABLE = "third_next_available"
DURATIONS = (FORM_TURNAROUND, RESULTS_CYCLE, THIRD_NEXT_AVAILABLE)

# Levels: (numerator, denominator, flag) as last recorded on or before the month's end.
READINESS_CHECKLIST = "readiness_checklist"  # a site's items met / items, flag: PC approved
AUDIT_ITEMS = "audit_items"  # items current / items required
AR_BALANCE_CENTS = "ar_balance_cents"  # open receivables, numerator only
LEVELS = (READINESS_CHECKLIST, AUDIT_ITEMS, AR_BALANCE_CENTS)

FORM_TURNAROUND_STANDARD_DAYS = Decimal(3)  # what "within target" means for a form


@dataclass(frozen=True)
class Kpi:
    name: str
    direction: Direction
    per_service_line: bool
    facts: tuple[str, ...]
    lowest: Decimal | None = Decimal(0)
    highest: Decimal | None = None


RATE = {"lowest": Decimal(0), "highest": Decimal(1)}

CATALOGUE: tuple[Kpi, ...] = (
    Kpi("form_turnaround_days_median", "lower_is_better", True, (FORM_TURNAROUND,)),
    Kpi("form_turnaround_days_p90", "lower_is_better", True, (FORM_TURNAROUND,)),
    Kpi(
        "form_turnaround_within_target_share", "higher_is_better", True, (FORM_TURNAROUND,), **RATE
    ),
    Kpi("results_cycle_hours_median", "lower_is_better", False, (RESULTS_CYCLE,)),
    Kpi("results_cycle_hours_p90", "lower_is_better", False, (RESULTS_CYCLE,)),
    Kpi(
        "nps",
        "higher_is_better",
        True,
        (SURVEY_RESPONSES, SURVEY_PROMOTERS, SURVEY_DETRACTORS),
        lowest=Decimal(-100),
        highest=Decimal(100),
    ),
    Kpi(
        "no_show_rate",
        "lower_is_better",
        True,
        (APPOINTMENTS_CAME_DUE, APPOINTMENTS_NO_SHOW),
        **RATE,
    ),
    Kpi("third_next_available_days", "lower_is_better", True, (THIRD_NEXT_AVAILABLE,)),
    Kpi(
        "site_reliability",
        "higher_is_better",
        False,
        (SCHEDULED_OPEN_MINUTES, ACTUAL_OPEN_MINUTES),
        **RATE,
    ),
    Kpi("audit_readiness", "higher_is_better", False, (AUDIT_ITEMS,), **RATE),
    Kpi("expansion_readiness", "higher_is_better", False, (READINESS_CHECKLIST,), **RATE),
    Kpi("clean_claim_rate", "higher_is_better", False, (CLAIMS_RESPONDED, CLAIMS_CLEAN), **RATE),
    Kpi(
        "initial_denial_rate",
        "lower_is_better",
        False,
        (CLAIMS_ADJUDICATED, CLAIMS_INITIALLY_DENIED),
        **RATE,
    ),
    Kpi(
        "initial_denial_amount",
        "lower_is_better",
        False,
        (CLAIMS_ADJUDICATED, CLAIMS_INITIALLY_DENIED_CENTS),
    ),
    Kpi("days_in_ar", "lower_is_better", False, (AR_BALANCE_CENTS, CHARGES_BILLED_CENTS)),
)

BY_NAME = {kpi.name: kpi for kpi in CATALOGUE}
KPI_NAMES = tuple(BY_NAME)


def variance(value: Decimal | None, target: Decimal | None) -> Decimal | None:
    """value - target; read its sign with the KPI's direction."""
    if value is None or target is None:
        return None
    return value - target
