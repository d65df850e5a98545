"""The PC's monthly audit-readiness figures, received from its feed for the monthly report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import Tracking

from contracts.v1.audit_readiness import MonthFigure
from mhg.eventstore import ServiceApplication
from mhg.meta import Meta
from services.mso_ops.domain.pc_audit_readiness import PcAuditReadiness


@dataclass(eq=False)
class PcAuditReadinessCommands:
    store: ServiceApplication

    def record_pc_audit_readiness(
        self, *, month: date, revision: int, figure: MonthFigure, meta: Meta, tracking: Tracking
    ) -> PcAuditReadiness:
        """The month's first figure, or a newer revision, with the feed position consumed."""
        try:
            found: PcAuditReadiness = self.store.repository.get(PcAuditReadiness.create_id(month))
        except AggregateNotFoundError:
            found = PcAuditReadiness.receive(
                month=month, revision=revision, figure=figure, meta=meta
            )
        else:
            found.revise(revision=revision, figure=figure, meta=meta)
        self.store.record(found, tracking=tracking)
        return found
