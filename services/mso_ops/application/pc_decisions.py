"""PC decisions, applied as they arrive through PC Governance's contract feed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TypedDict
from uuid import UUID

from eventsourcing.persistence import Tracking

from mhg.eventstore import ServiceApplication
from mhg.meta import Meta
from services.mso_ops.application.sites import SiteCommands
from services.mso_ops.domain.service_line import ServiceLine


class DecisionIds(TypedDict):
    """The ids by which a service line or a site checks a decision against its request."""

    request_id: UUID
    authorization_id: UUID
    decision_id: UUID


class RequestAnswer(TypedDict):
    """The ids by which a site's go-live checks a decision against its request."""

    request_id: UUID
    decision_id: UUID


class ChangeAnswer(TypedDict):
    """The ids by which a site change checks a decision against its authorization."""

    authorization_id: UUID
    decision_id: UUID


@dataclass(frozen=True)
class PcDecision:
    """What every PC decision on a request carries: the site and request it answers, the
    authorization and decision it is, and the feed position (`tracking`) it arrived at."""

    site_id: UUID
    request_id: UUID
    authorization_id: UUID
    decision_id: UUID
    meta: Meta
    tracking: Tracking

    @property
    def ids(self) -> DecisionIds:
        return DecisionIds(
            request_id=self.request_id,
            authorization_id=self.authorization_id,
            decision_id=self.decision_id,
        )

    @property
    def request_answer(self) -> RequestAnswer:
        return RequestAnswer(request_id=self.request_id, decision_id=self.decision_id)

    @property
    def change_answer(self) -> ChangeAnswer:
        return ChangeAnswer(authorization_id=self.authorization_id, decision_id=self.decision_id)


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
                **decision.ids,
                effective_date=effective_date,
                conditions=conditions,
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
                **decision.ids, reason=reason, meta=decision.meta
            ),
        )

    def record_pc_withdrawal(
        self, *, decision: PcDecision, code: str, outcome: str, reason: str
    ) -> ServiceLine:
        return self._record_on_line(
            decision,
            code,
            lambda line: line.record_withdrawal(
                outcome=outcome, **decision.ids, reason=reason, meta=decision.meta
            ),
        )
