"""Vendors, facility incidents and site downtime windows (contracts: `vendor_contracts`).

Every record here is loaded the same way (`facility_record`): by kind, with the kind's
own not-found error, and checked against the version the caller holds when updating.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate

from mhg.aggregate_command import is_recorded, new
from mhg.errors import NotFound
from mhg.eventstore import ServiceApplication
from mhg.meta import Meta
from services.mso_ops.application.records import known_site, load_current
from services.mso_ops.domain.facilities_errors import (
    DowntimeNotFound,
    IncidentNotFound,
    VendorContractNotFound,
    VendorNotFound,
)
from services.mso_ops.domain.facility import DowntimeWindow, FacilityIncident
from services.mso_ops.domain.vendor import Vendor, VendorContract

R = TypeVar("R", bound=Aggregate)

_KINDS: dict[type[Aggregate], tuple[type[NotFound], str]] = {
    Vendor: (VendorNotFound, "vendor"),
    VendorContract: (VendorContractNotFound, "contract"),
    FacilityIncident: (IncidentNotFound, "incident"),
    DowntimeWindow: (DowntimeNotFound, "downtime window"),
}


@dataclass(eq=False)
class FacilityCommands:
    store: ServiceApplication

    def facility_record(
        self, kind: type[R], record_id: UUID, expected_version: int | None = None
    ) -> R:
        """The vendor, contract, incident or downtime window; another id is not found."""
        missing, noun = _KINDS[kind]
        return load_current(
            self.store, kind, record_id, missing, f"no {noun} {record_id}", expected_version
        )

    def _update(
        self, kind: type[R], record_id: UUID, expected_version: int | None, act: Callable[[R], Any]
    ) -> R:
        record = self.facility_record(kind, record_id, expected_version)
        act(record)
        self.store.record(record)
        return record

    facility_record_exists = is_recorded

    # vendors
    register_vendor = new(Vendor.register)

    def vendor(self, vendor_id: UUID) -> Vendor:
        return self.facility_record(Vendor, vendor_id)

    # incidents
    def report_incident(self, *, site_id: UUID, meta: Meta, **report: Any) -> FacilityIncident:
        """An incident at the site (`report`: as `FacilityIncident.report` names it)."""
        known_site(self.store, site_id)
        incident = FacilityIncident.report(site_id=site_id, meta=meta, **report)
        self.store.record(incident)
        return incident

    def incident(self, incident_id: UUID) -> FacilityIncident:
        return self.facility_record(FacilityIncident, incident_id)

    def resolve_incident(
        self,
        *,
        incident_id: UUID,
        resolved_at: datetime,
        resolution: str,
        expected_version: int | None,
        meta: Meta,
    ) -> FacilityIncident:
        return self._update(
            FacilityIncident,
            incident_id,
            expected_version,
            lambda i: i.resolve(resolved_at=resolved_at, resolution=resolution, meta=meta),
        )

    # downtime
    def record_downtime(
        self, *, site_id: UUID, incident_id: UUID | None, meta: Meta, **window_fields: Any
    ) -> DowntimeWindow:
        """Downtime at the site, of an incident if it names one (`window_fields`: as
        `DowntimeWindow.record` names them)."""
        known_site(self.store, site_id)
        if incident_id is not None:
            self.incident(incident_id)
        window = DowntimeWindow.record(
            site_id=site_id, incident_id=incident_id, meta=meta, **window_fields
        )
        self.store.record(window)
        return window

    def downtime(self, window_id: UUID) -> DowntimeWindow:
        return self.facility_record(DowntimeWindow, window_id)

    def end_downtime(
        self, *, window_id: UUID, end: datetime, expected_version: int | None, meta: Meta
    ) -> DowntimeWindow:
        return self._update(
            DowntimeWindow, window_id, expected_version, lambda w: w.close(end=end, meta=meta)
        )

    def withdraw_downtime(
        self, *, window_id: UUID, reason: str, expected_version: int | None, meta: Meta
    ) -> DowntimeWindow:
        return self._update(
            DowntimeWindow,
            window_id,
            expected_version,
            lambda w: w.withdraw(reason=reason, meta=meta),
        )
