"""A candidate site's pro forma: expected demand, revenue and costs, and what they imply.

The MSO enters, per service line, the visits it expects in a month, the revenue of a
visit and its variable cost; for the site, the fixed cost of a month and the one-off
start-up cost. The platform computes the monthly margin and the payback period, in
`Decimal` (money is never a float), so the same figures reach the PC with a request.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from contracts.v1.service_lines import SERVICE_LINES
from services.mso_ops.domain.site_errors import InvalidProForma

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("1000000000")  # a billion per figure: anything above is a typo
MAX_VISITS = 1_000_000


def _money(value: Any, name: str) -> Decimal:
    amount = Decimal(str(value))
    if not amount.is_finite() or amount < 0 or amount >= MAX_AMOUNT:
        raise InvalidProForma(f"{name} must be an amount from 0 to under {MAX_AMOUNT}")
    if amount != amount.quantize(CENT):
        raise InvalidProForma(f"{name} has more than two decimal places")
    return amount.quantize(CENT)


@dataclass(frozen=True)
class ProFormaLine:
    service_line: str
    monthly_visits: int
    revenue_per_visit: Decimal
    variable_cost_per_visit: Decimal

    @property
    def monthly_revenue(self) -> Decimal:
        return self.revenue_per_visit * self.monthly_visits

    @property
    def monthly_variable_cost(self) -> Decimal:
        return self.variable_cost_per_visit * self.monthly_visits


def payback_months(startup_cost: Decimal, monthly_margin: Decimal) -> int | None:
    """Whole months until the margin has repaid the start-up cost; None if it never does."""
    if startup_cost <= 0:
        return 0
    if monthly_margin <= 0:
        return None
    months, rest = divmod(startup_cost, monthly_margin)
    return int(months) + (1 if rest else 0)


@dataclass(frozen=True)
class ProForma:
    lines: tuple[ProFormaLine, ...]
    fixed_monthly_cost: Decimal
    startup_cost: Decimal

    @classmethod
    def of(
        cls,
        *,
        lines: list[dict[str, Any]],
        fixed_monthly_cost: Any,
        startup_cost: Any,
    ) -> ProForma:
        """Validated figures: one line per service line, amounts in cents, no negatives."""
        if not lines:
            raise InvalidProForma("a pro forma needs the expected demand of at least one line")
        codes = [str(line["service_line"]) for line in lines]
        if len(set(codes)) != len(codes):
            raise InvalidProForma("each service line appears once in a pro forma")
        parsed = []
        for line in lines:
            visits = int(line["monthly_visits"])
            if not 0 <= visits <= MAX_VISITS:
                raise InvalidProForma(f"monthly_visits must be 0 to {MAX_VISITS}")
            code = str(line["service_line"])
            if code not in SERVICE_LINES:
                raise InvalidProForma(f"{code} is not a service line the MSO runs")
            parsed.append(
                ProFormaLine(
                    service_line=code,
                    monthly_visits=visits,
                    revenue_per_visit=_money(
                        line["revenue_per_visit"], f"{code}: revenue_per_visit"
                    ),
                    variable_cost_per_visit=_money(
                        line["variable_cost_per_visit"], f"{code}: variable_cost_per_visit"
                    ),
                )
            )
        return cls(
            lines=tuple(parsed),
            fixed_monthly_cost=_money(fixed_monthly_cost, "fixed_monthly_cost"),
            startup_cost=_money(startup_cost, "startup_cost"),
        )

    @property
    def monthly_visits(self) -> int:
        return sum(line.monthly_visits for line in self.lines)

    @property
    def monthly_revenue(self) -> Decimal:
        return sum((line.monthly_revenue for line in self.lines), Decimal("0.00"))

    @property
    def monthly_variable_cost(self) -> Decimal:
        return sum((line.monthly_variable_cost for line in self.lines), Decimal("0.00"))

    @property
    def monthly_margin(self) -> Decimal:
        """Revenue less variable and fixed costs, for one month at the expected demand."""
        return self.monthly_revenue - self.monthly_variable_cost - self.fixed_monthly_cost

    @property
    def payback_months(self) -> int | None:
        return payback_months(self.startup_cost, self.monthly_margin)

    def as_dict(self) -> dict[str, Any]:
        """The figures as entered (amounts as strings), for events and messages."""
        return {
            "lines": [
                {
                    "service_line": line.service_line,
                    "monthly_visits": line.monthly_visits,
                    "revenue_per_visit": str(line.revenue_per_visit),
                    "variable_cost_per_visit": str(line.variable_cost_per_visit),
                }
                for line in self.lines
            ],
            "fixed_monthly_cost": str(self.fixed_monthly_cost),
            "startup_cost": str(self.startup_cost),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ProForma:
        return cls.of(
            lines=list(data["lines"]),
            fixed_monthly_cost=data["fixed_monthly_cost"],
            startup_cost=data["startup_cost"],
        )

    def summary(self) -> dict[str, Any]:
        """The figures with what the platform computes from them."""
        return {
            **self.as_dict(),
            "monthly_revenue": str(self.monthly_revenue),
            "monthly_variable_cost": str(self.monthly_variable_cost),
            "monthly_margin": str(self.monthly_margin),
            "payback_months": self.payback_months,
        }
