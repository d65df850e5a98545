"""Vendors and their contracts, facility incidents, and site downtime windows."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from mhg.meta import Meta
from services.mso_ops.application.records import known_site, load_as
from services.mso_ops.application.sites import SiteCommands
from services.mso_ops.domain.facilities_errors import (
    DowntimeNotFound,
    IncidentNotFound,
    VendorContractNotFound,
    VendorNotFound,
)
from services.mso_ops.domain.facility import DowntimeWindow, FacilityIncident
from services.mso_ops.domain.vendor import Vendor, VendorContract


class FacilityCommands(SiteCommands):
    # vendors and contracts
    def register_vendor(self, *, vendor_id: UUID, name: str, contact: str, meta: Meta) -> Vendor:
        vendor = Vendor.register(vendor_id=vendor_id, name=name, contact=contact, meta=meta)
        self.record(vendor)
        return vendor

    def vendor(self, vendor_id: UUID) -> Vendor:
        return load_as(self, Vendor, vendor_id, VendorNotFound, f"no vendor {vendor_id}")

    def sign_vendor_contract(
        self,
        *,
        contract_id: UUID,
        vendor_id: UUID,
        supplies: str,
        description: str,
        term_start: date,
        term_end: date,
        renewal_date: date,
        site_ids: list[UUID],
        meta: Meta,
    ) -> VendorContract:
        vendor = self.vendor(vendor_id)
        for site_id in site_ids:
            known_site(self, site_id)
        contract = VendorContract.sign(
            contract_id=contract_id,
            vendor=vendor,
            supplies=supplies,
            description=description,
            term_start=term_start,
            term_end=term_end,
            renewal_date=renewal_date,
            site_ids=site_ids,
            meta=meta,
        )
        self.record(contract)
        return contract

    def vendor_contract(self, contract_id: UUID) -> VendorContract:
        return load_as(
            self, VendorContract, contract_id, VendorContractNotFound, f"no contract {contract_id}"
        )

    def renew_vendor_contract(
        self,
        *,
        contract_id: UUID,
        term_end: date,
        renewal_date: date,
        expected_version: int | None,
        meta: Meta,
    ) -> VendorContract:
        contract = self.vendor_contract(contract_id)
        self.check_version(contract, expected_version)
        contract.renew(term_end=term_end, renewal_date=renewal_date, meta=meta)
        self.record(contract)
        return contract

    def terminate_vendor_contract(
        self,
        *,
        contract_id: UUID,
        last_day: date,
        reason: str,
        expected_version: int | None,
        meta: Meta,
    ) -> VendorContract:
        contract = self.vendor_contract(contract_id)
        self.check_version(contract, expected_version)
        contract.terminate(last_day=last_day, reason=reason, meta=meta)
        self.record(contract)
        return contract

    # incidents
    def report_incident(
        self,
        *,
        incident_id: UUID,
        site_id: UUID,
        occurred_at: datetime,
        category: str,
        description: str,
        meta: Meta,
    ) -> FacilityIncident:
        known_site(self, site_id)
        incident = FacilityIncident.report(
            incident_id=incident_id,
            site_id=site_id,
            occurred_at=occurred_at,
            category=category,
            description=description,
            meta=meta,
        )
        self.record(incident)
        return incident

    def incident(self, incident_id: UUID) -> FacilityIncident:
        return load_as(
            self, FacilityIncident, incident_id, IncidentNotFound, f"no incident {incident_id}"
        )

    def resolve_incident(
        self,
        *,
        incident_id: UUID,
        resolved_at: datetime,
        resolution: str,
        expected_version: int | None,
        meta: Meta,
    ) -> FacilityIncident:
        incident = self.incident(incident_id)
        self.check_version(incident, expected_version)
        incident.resolve(resolved_at=resolved_at, resolution=resolution, meta=meta)
        self.record(incident)
        return incident

    # downtime
    def record_downtime(
        self,
        *,
        window_id: UUID,
        site_id: UUID,
        start: datetime,
        end: datetime | None,
        cause: str,
        incident_id: UUID | None,
        meta: Meta,
    ) -> DowntimeWindow:
        known_site(self, site_id)
        if incident_id is not None:
            self.incident(incident_id)
        window = DowntimeWindow.record(
            window_id=window_id,
            site_id=site_id,
            start=start,
            end=end,
            cause=cause,
            incident_id=incident_id,
            meta=meta,
        )
        self.record(window)
        return window

    def downtime(self, window_id: UUID) -> DowntimeWindow:
        return load_as(
            self, DowntimeWindow, window_id, DowntimeNotFound, f"no downtime window {window_id}"
        )

    def end_downtime(
        self, *, window_id: UUID, end: datetime, expected_version: int | None, meta: Meta
    ) -> DowntimeWindow:
        window = self.downtime(window_id)
        self.check_version(window, expected_version)
        window.close(end=end, meta=meta)
        self.record(window)
        return window

    def withdraw_downtime(
        self, *, window_id: UUID, reason: str, expected_version: int | None, meta: Meta
    ) -> DowntimeWindow:
        window = self.downtime(window_id)
        self.check_version(window, expected_version)
        window.withdraw(reason=reason, meta=meta)
        self.record(window)
        return window

    def facility_record_exists(self, aggregate_id: UUID) -> bool:
        return aggregate_id in self.repository
