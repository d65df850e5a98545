"""The MSO's monthly performance report, major version 1.

MSO Operations closes a month and publishes one report per month (a later report for
the same month supersedes the earlier one: a correction, never an edit). PC Governance
puts the latest report and its variances on the governance meeting's agenda. The
report carries aggregates only: no patient, claim or appointment appears in it.
"""

from datetime import date
from decimal import Decimal
from typing import ClassVar, Literal
from uuid import UUID

from pydantic import AwareDatetime, Field

from contracts.base import ContractMessage, ContractModel

KpiName = Literal[
    "form_turnaround_days_median",
    "form_turnaround_days_p90",
    "form_turnaround_within_target_share",
    "results_cycle_hours_median",
    "results_cycle_hours_p90",
    "nps",
    "no_show_rate",
    "third_next_available_days",
    "site_reliability",
    "audit_readiness",
    "expansion_readiness",
    "clean_claim_rate",
    "initial_denial_rate",
    "initial_denial_amount",
    "days_in_ar",
]


class KpiValue(ContractModel):
    """One KPI for one site (and service line, where the KPI is per service line).

    `direction` says which way is better, so that the sign of the variance can be read
    without knowing the KPI: variance = value - target.
    """

    kpi: KpiName
    service_line: str | None = Field(default=None, max_length=64)
    value: Decimal | None = Field(
        description="None when the month had no data for it. `audit_readiness` is the PC's "
        "figure for the month (`audit-readiness.published`), the same for every site: None "
        "while the PC has not published one (when a closed revision was closed, or yet)"
    )
    target: Decimal | None = None
    variance: Decimal | None = None
    direction: Literal["higher_is_better", "lower_is_better"]
    sample_size: int = Field(ge=0)


class SitePerformance(ContractModel):
    site_id: UUID
    site_name: str = Field(min_length=1, max_length=200)
    kpis: tuple[KpiValue, ...]


class PerformanceReportPublishedV1(ContractMessage):
    TYPE: ClassVar[str] = "performance-report.published"
    VERSION: ClassVar[int] = 1

    report_id: UUID
    month: date = Field(description="The first day of the reported month")
    revision: int = Field(
        ge=1, description="1 for the first report of the month; a correction counts up"
    )
    status: Literal["final"] = "final"
    sites: tuple[SitePerformance, ...]
    published_at: AwareDatetime
