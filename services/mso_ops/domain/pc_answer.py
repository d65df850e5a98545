"""The PC's answer to a request of the MSO, as the aggregate that asked records it.

A service line's authorization, a material change at a site and a site's go-live are
each asked of the PC, and each records the PC's approval, its withdrawal (a denial, a
suspension, a revocation) and its lifting of a suspension (a reinstatement) with the
same facts: the application builds each answer once from the PC's decision and hands
it to the aggregate's command. The aggregates declare their own events on these field
groups (an event's class is its stored topic); applying such an event sets the facts it
carries (`apply` below), and the aggregate's event method sets what is its own (its
status after an approval, the reason it keeps).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

# A withdrawal's outcomes, each the status it leaves the request in.
DENIED = "denied"
SUSPENDED = "suspended"
REVOKED = "revoked"


@dataclass(frozen=True)
class PcApproval:
    """The authorization and decision of an approval, the day it takes effect, its
    conditions."""

    authorization_id: UUID
    decision_id: UUID
    effective_date: date
    conditions: list[str]

    def apply(self, aggregate: Any) -> None:
        aggregate.authorization_id = self.authorization_id
        aggregate.decision_id = self.decision_id
        aggregate.effective_date = self.effective_date
        aggregate.conditions = list(self.conditions)


@dataclass(frozen=True)
class PcWithdrawal:
    """A denial, suspension or revocation (`outcome`: the status it leaves the request
    in) of the authorization, by a decision, and why."""

    outcome: str
    authorization_id: UUID
    decision_id: UUID
    reason: str

    def apply(self, aggregate: Any) -> None:
        aggregate.status = self.outcome
        aggregate.authorization_id = self.authorization_id
        aggregate.decision_id = self.decision_id


@dataclass(frozen=True)
class PcReinstatement:
    """The PC lifted its suspension of the authorization, by a decision, and why."""

    authorization_id: UUID
    decision_id: UUID
    reason: str
