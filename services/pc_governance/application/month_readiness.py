"""Publishing a month's audit-readiness figure to the MSO (domain/month_readiness.py)."""

from __future__ import annotations

from datetime import date

from eventsourcing.application import AggregateNotFoundError

from contracts.v1.audit_readiness import MonthFigure
from mhg.meta import Meta
from services.pc_governance.application.capability import Capability
from services.pc_governance.domain.month_readiness import MonthReadiness


class MonthReadinessCommands(Capability):
    def publish_month(
        self, *, month: date, figure: MonthFigure, today: date, meta: Meta
    ) -> MonthReadiness:
        """The month's first figure, or its next revision; refused while the month runs."""
        MonthReadiness.check_over(month, today)
        try:
            found: MonthReadiness = self.store.repository.get(MonthReadiness.create_id(month))
        except AggregateNotFoundError:
            found = MonthReadiness.publish(month=month, figure=figure, meta=meta)
        else:
            found.publish_again(figure=figure, meta=meta)
        self.store.record(found)
        return found
