"""The APPs' chart counts per month, which the chart-review share is measured against."""

from __future__ import annotations

from uuid import UUID

from mhg.eventstore import ServiceApplication
from mhg.meta import Meta
from services.pc_governance.application.capability import Capability
from services.pc_governance.application.clinicians import ClinicianCommands
from services.pc_governance.domain.chart_volume import ChartVolume
from services.pc_governance.domain.clinician_errors import InvalidChartVolume


class ChartReviewCommands(Capability):
    def __init__(self, store: ServiceApplication, clinicians: ClinicianCommands) -> None:
        super().__init__(store)
        self.clinicians = clinicians

    def count_charts(self, *, app_id: UUID, month: str, charts: int, meta: Meta) -> ChartVolume:
        """The APP's charts in the month (a recount replaces the count held)."""
        ChartVolume.check(month, charts)
        if not self.clinicians.clinician(app_id).is_app:
            raise InvalidChartVolume(f"clinician {app_id} is not an NP or PA", field="app_id")
        held = self.recorded(ChartVolume, ChartVolume.create_id(app_id, month))
        if held is None:
            held = ChartVolume(
                id=ChartVolume.create_id(app_id, month),
                app_id=app_id,
                month=month,
                charts=charts,
                meta=meta,
            )
        elif held.charts != charts:
            held.recount(charts=charts, meta=meta)
        self.store.record(held)
        return held
