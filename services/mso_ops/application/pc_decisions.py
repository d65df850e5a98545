"""PC decisions, applied as they arrive through PC Governance's contract feed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from eventsourcing.persistence import Tracking

from mhg.eventstore import ServiceApplication
from mhg.meta import Meta
from services.mso_ops.application.sites import SiteCommands
from services.mso_ops.domain.pc_answer import PcApproval, PcReinstatement, PcWithdrawal
from services.mso_ops.domain.service_line import ServiceLine


@dataclass(frozen=True)
class PcDecision:
    """What every PC decision on a request carries: the site and request it answers, the
    authorization and decision it is, and the feed position (`tracking`) it arrived at; from
    it the answer each aggregate records (pc_answer.py)."""

    site_id: UUID
    request_id: UUID
    authorization_id: UUID
    decision_id: UUID
    meta: Meta
    tracking: Tracking

    def approval(self, effective_date: date, conditions: list[str]) -> PcApproval:
        return PcApproval(self.authorization_id, self.decision_id, effective_date, conditions)

    def withdrawal(self, outcome: str, reason: str) -> PcWithdrawal:
        return PcWithdrawal(outcome, self.authorization_id, self.decision_id, reason)

    def reinstatement(self, reason: str) -> PcReinstatement:
        return PcReinstatement(self.authorization_id, self.decision_id, reason)


@dataclass(eq=False)
class PcDecisionCommands:
    store: ServiceApplication
    sites: SiteCommands

    def _record_on_line(
        self, decision: PcDecision, code: str, apply: Callable[[ServiceLine], object]
    ) -> ServiceLine:
        """Apply a PC decision to the service line it names; the line's new events are
        saved in one transaction with the position of the feed message that carried it."""
        line = self.sites.service_line(decision.site_id, code)
        apply(line)
        self.store.record(line, tracking=decision.tracking)
        return line

    def record_pc_approval(
        self,
        *,
        decision: PcDecision,
        code: str,
        effective_date: date,
        conditions: list[str],
        protocol_refs: list[str],
    ) -> ServiceLine:
        return self._record_on_line(
            decision,
            code,
            lambda line: line.record_approval(
                decision.request_id,
                decision.approval(effective_date, conditions),
                protocol_refs=protocol_refs,
                meta=decision.meta,
            ),
        )

    def record_pc_reinstatement(
        self, *, decision: PcDecision, code: str, reason: str
    ) -> ServiceLine:
        return self._record_on_line(
            decision,
            code,
            lambda line: line.record_reinstatement(
                decision.request_id, decision.reinstatement(reason), decision.meta
            ),
        )

    def record_pc_withdrawal(
        self, *, decision: PcDecision, code: str, outcome: str, reason: str
    ) -> ServiceLine:
        return self._record_on_line(
            decision,
            code,
            lambda line: line.record_withdrawal(
                decision.request_id, decision.withdrawal(outcome, reason), decision.meta
            ),
        )
