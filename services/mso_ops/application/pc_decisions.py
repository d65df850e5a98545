"""PC decisions, applied as they arrive through PC Governance's contract feed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Tracking

from mhg.eventstore import ServiceApplication
from mhg.meta import Meta
from services.mso_ops.application.sites import SiteCommands
from services.mso_ops.domain.service_line import ServiceLine


class PcDecisionCommands:
    def __init__(self, store: ServiceApplication, sites: SiteCommands) -> None:
        self.store = store
        self.sites = sites

    def _record_on_line(
        self,
        site_id: UUID,
        code: str,
        decision: Callable[[ServiceLine], object],
        tracking: Tracking,
    ) -> ServiceLine:
        """Apply a PC decision to the service line it names; the line's new events are
        saved in one transaction with the position of the feed message that carried it."""
        line = self.sites.service_line(site_id, code)
        decision(line)
        self.store.record(line, tracking=tracking)
        return line

    def record_pc_approval(
        self,
        *,
        site_id: UUID,
        code: str,
        request_id: UUID,
        authorization_id: UUID,
        decision_id: UUID,
        effective_date: Any,
        conditions: list[str],
        protocol_refs: list[str],
        meta: Meta,
        tracking: Tracking,
    ) -> ServiceLine:
        return self._record_on_line(
            site_id,
            code,
            lambda line: line.record_approval(
                request_id=request_id,
                authorization_id=authorization_id,
                decision_id=decision_id,
                effective_date=effective_date,
                conditions=conditions,
                protocol_refs=protocol_refs,
                meta=meta,
            ),
            tracking,
        )

    def record_pc_reinstatement(
        self,
        *,
        site_id: UUID,
        code: str,
        request_id: UUID,
        authorization_id: UUID,
        decision_id: UUID,
        reason: str,
        meta: Meta,
        tracking: Tracking,
    ) -> ServiceLine:
        return self._record_on_line(
            site_id,
            code,
            lambda line: line.record_reinstatement(
                request_id=request_id,
                authorization_id=authorization_id,
                decision_id=decision_id,
                reason=reason,
                meta=meta,
            ),
            tracking,
        )

    def record_pc_withdrawal(
        self,
        *,
        outcome: str,
        site_id: UUID,
        code: str,
        request_id: UUID,
        authorization_id: UUID,
        decision_id: UUID,
        reason: str,
        meta: Meta,
        tracking: Tracking,
    ) -> ServiceLine:
        return self._record_on_line(
            site_id,
            code,
            lambda line: line.record_withdrawal(
                outcome=outcome,
                request_id=request_id,
                authorization_id=authorization_id,
                decision_id=decision_id,
                reason=reason,
                meta=meta,
            ),
            tracking,
        )
