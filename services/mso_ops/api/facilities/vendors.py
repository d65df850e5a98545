"""Vendors and their contracts: term, renewal date, what they supply, which sites."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Query
from pydantic import BaseModel

from mhg.auth import Principal
from mhg.bounded import Day
from mhg.changes import Change, VersionedChange
from mhg.creation import recorded
from mhg.declared import listed
from mhg.listing import Listing
from mhg.paged import Pages, paged
from mhg.pagination import Page
from mhg.steps import Steps, changing
from services.mso_ops.api.dependencies import Facilities, MsoAdmin, MsoReader, VendorContracts
from services.mso_ops.api.facilities.schemas import (
    ContractIn,
    ContractOut,
    ContractRow,
    PcApprovalFilter,
    RenewIn,
    TerminateIn,
    VendorIn,
    VendorOut,
    VendorRow,
    VendorSupply,
)
from services.mso_ops.application import clock
from services.mso_ops.application.vendor_contracts import ContractStanding
from services.mso_ops.projections import facilities as facility_rows

router = APIRouter(tags=["facilities and vendors"])

VENDORS = Listing(facility_rows.VENDORS, VendorRow)
CONTRACTS = Listing(facility_rows.CONTRACTS, ContractRow)


VENDOR = Steps(router, "/vendors/{vendor_id}", Facilities, VendorOut.of)
VENDOR.created(
    "registerVendor",
    "Register a vendor",
    VendorIn,
    MsoAdmin,
    lambda facilities: facilities.register_vendor,
    (401, 403, 422),
    find=lambda facilities: recorded(facilities.facility_record_exists, facilities.vendor),
)


@listed(router, "/vendors", "listVendors", VENDORS, MsoReader)
def list_vendors() -> None:
    """Vendors, oldest first"""


VENDOR.shown("getVendor", "One vendor", MsoReader, lambda facilities: facilities.vendor)


CONTRACT = Steps(router, "/vendor-contracts/{contract_id}", VendorContracts, ContractOut.of)
CONTRACT.created(
    "signVendorContract",
    "Record a vendor contract: term, renewal date, what it supplies; a clinical supply on the PC's approved material changes",
    ContractIn,
    MsoAdmin,
    lambda vendor_contracts: vendor_contracts.sign_vendor_contract,
    (401, 403, 404, 409, 422),
    find=lambda vendor_contracts: recorded(
        vendor_contracts.facilities.facility_record_exists, vendor_contracts.vendor_contract
    ),
)


@paged(router, "/vendor-contracts", "listVendorContracts", MsoReader)
def list_contracts(
    pages: Pages,
    vendor_id: UUID | None = None,
    site: Annotated[UUID | None, Query(description="Contracts covering this site")] = None,
    supplies: VendorSupply | None = None,
    status: Literal["active", "terminated"] | None = None,
    renewing_within: Annotated[
        int | None,
        Query(ge=0, le=3650, description="Active contracts whose renewal date is within N days"),
    ] = None,
    as_of: Annotated[
        Day | None, Query(description="The day `renewing_within` counts from (default today)")
    ] = None,
    pc_approval_status: Annotated[
        PcApprovalFilter | None,
        Query(description="not_in_force: revoked, suspended or superseded, whichever it is"),
    ] = None,
) -> Page[ContractRow]:
    """Vendor contracts, oldest first; `renewing_within` lists those due for renewal, `pc_approval_status=not_in_force` those whose PC approval is revoked, suspended or superseded at its site"""
    return pages(
        CONTRACTS,
        vendor_id=vendor_id,
        site=site,
        supplies=supplies,
        status=status,
        renewing=None if renewing_within is None else (as_of or clock.today(), renewing_within),
        pc_approval_status=pc_approval_status,
    )


CONTRACT.shown(
    "getVendorContract",
    "One vendor contract",
    MsoReader,
    lambda vendor_contracts: vendor_contracts.vendor_contract,
)


@changing(router, "/vendor-contracts/{contract_id}/renewals", "renewVendorContract")
def renew_contract(
    contract_id: UUID,
    body: RenewIn,
    vendor_contracts: VendorContracts,
    caller: MsoAdmin,
    change: Change,
) -> ContractOut:
    """Renew a contract: a later end of term and the next renewal date; refused while a PC approval it rests on is suspended, revoked or superseded"""
    return _contract_step(vendor_contracts.renew_vendor_contract, contract_id, body, caller, change)


@changing(router, "/vendor-contracts/{contract_id}/terminate", "terminateVendorContract")
def terminate_contract(
    contract_id: UUID,
    body: TerminateIn,
    vendor_contracts: VendorContracts,
    caller: MsoAdmin,
    change: Change,
) -> ContractOut:
    """End a contract on a day within its term, with a reason"""
    return _contract_step(
        vendor_contracts.terminate_vendor_contract, contract_id, body, caller, change
    )


def _contract_step(
    command: Callable[..., ContractStanding],
    contract_id: UUID,
    body: BaseModel,
    caller: Principal,
    change: VersionedChange,
) -> ContractOut:
    """A step of a contract at the version read: the contract's version is the ETag, the
    answer the contract with the standing of the PC approvals it rests on."""
    standing = command(
        contract_id=contract_id,
        **body.model_dump(),
        expected_version=change.expected_version(),
        meta=change.meta(caller),
    )
    change.answered(standing.contract)
    return ContractOut.of(standing)
