"""Vendor contracts: a clinical supply only on the PC approvals it names (ADR 0012).

A contract's standing (`pc_approval_status`) is derived, whenever it is read, from the
material changes it rests on and the terms in force at their sites: the PC may have
suspended or revoked one since, or approved a later change that superseded it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from mhg.eventstore import ServiceApplication
from mhg.meta import Meta
from services.mso_ops.application.facilities import FacilityCommands
from services.mso_ops.application.records import known_site
from services.mso_ops.domain.contract_approval import approval_status, standing
from services.mso_ops.domain.site_change import SiteChange
from services.mso_ops.domain.site_errors import SiteChangeNotFound
from services.mso_ops.domain.vendor import VendorContract


@dataclass(frozen=True)
class ContractStanding:
    """A contract with the standing of the PC approvals it rests on, as of now."""

    contract: VendorContract
    pc_approval_status: str


@dataclass(eq=False)
class VendorContractCommands:
    store: ServiceApplication
    facilities: FacilityCommands

    def sign_vendor_contract(
        self,
        *,
        vendor_id: UUID,
        site_ids: list[UUID],
        site_change_ids: list[UUID],
        meta: Meta,
        **terms: Any,
    ) -> ContractStanding:
        """Record the contract; a clinical supply only on the PC approvals it names."""
        vendor = self.facilities.vendor(vendor_id)
        sites = [known_site(self.store, site_id) for site_id in site_ids]
        contract = VendorContract.sign(
            vendor=vendor,
            site_ids=site_ids,
            site_changes=[self._site_change(change_id) for change_id in site_change_ids],
            operating_terms={site.id: site.operations for site in sites},
            meta=meta,
            **terms,
        )
        self.store.record(contract)
        return self._standing(contract)

    def vendor_contract(self, contract_id: UUID) -> ContractStanding:
        return self._standing(self.facilities.facility_record(VendorContract, contract_id))

    def renew_vendor_contract(
        self,
        *,
        contract_id: UUID,
        term_end: date,
        renewal_date: date,
        expected_version: int | None,
        meta: Meta,
    ) -> ContractStanding:
        """Renew, unless an approval it rests on is suspended, revoked or superseded now."""
        contract = self.facilities.facility_record(VendorContract, contract_id, expected_version)
        contract.renew(
            term_end=term_end,
            renewal_date=renewal_date,
            pc_approval_status=self._standing(contract).pc_approval_status,
            meta=meta,
        )
        self.store.record(contract)
        return self._standing(contract)

    def terminate_vendor_contract(
        self,
        *,
        contract_id: UUID,
        last_day: date,
        reason: str,
        expected_version: int | None,
        meta: Meta,
    ) -> ContractStanding:
        return self._standing(
            self.facilities._update(
                VendorContract,
                contract_id,
                expected_version,
                lambda c: c.terminate(last_day=last_day, reason=reason, meta=meta),
            )
        )

    def _site_change(self, change_id: UUID) -> SiteChange:
        return self.store.load_as(
            SiteChange, change_id, SiteChangeNotFound, f"no change {change_id}"
        )

    def rests_on(self, contract: VendorContract) -> list[tuple[SiteChange, str]]:
        """Each change the contract rests on, in site order, with its standing now."""
        changes = [self._site_change(change_id) for change_id in contract.site_change_ids]
        terms = {c.site_id: known_site(self.store, c.site_id).operations for c in changes}
        return [(change, standing(change, terms)) for change in changes]

    def _standing(self, contract: VendorContract) -> ContractStanding:
        standings = (change_standing for _, change_standing in self.rests_on(contract))
        return ContractStanding(contract, approval_status(standings))
