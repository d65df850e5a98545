"""Vendors and their contracts: term, renewal date, what they supply, which sites."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy import ColumnElement, select

from mhg import problems
from mhg.bounded import Day
from mhg.idempotency import IdempotencyKey
from mhg.pagination import CursorParam, LimitParam, Page, read_page
from mhg.routes import Runtime, create_idempotently
from mhg.web import IfMatch, command_meta, expected_version, set_etag
from services.mso_ops.api.dependencies import Facilities, MsoAdmin, MsoReader, VendorContracts
from services.mso_ops.api.facilities_schemas import (
    ContractIn,
    ContractOut,
    ContractRow,
    PcApprovalFilter,
    RenewIn,
    Supplies,
    TerminateIn,
    VendorIn,
    VendorOut,
    VendorRow,
)
from services.mso_ops.application import clock
from services.mso_ops.domain.contract_approval import NOT_IN_FORCE

router = APIRouter(tags=["facilities and vendors"])

UPDATING = problems.responses(401, 403, 404, 409, 412, 422)


@router.post(
    "/vendors",
    operation_id="registerVendor",
    summary="Register a vendor",
    status_code=201,
    response_model=VendorOut,
    responses=problems.responses(401, 403, 422),
)
def register_vendor(
    body: VendorIn,
    request: Request,
    rt: Runtime,
    facilities: Facilities,
    caller: MsoAdmin,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    meta = command_meta(request, caller)

    def create(vendor_id: UUID) -> dict[str, Any]:
        vendor = facilities.register_vendor(vendor_id=vendor_id, meta=meta, **body.model_dump())
        return VendorOut.of(vendor).model_dump(mode="json")

    def existing(vendor_id: UUID) -> dict[str, Any] | None:
        if not facilities.facility_record_exists(vendor_id):
            return None
        return VendorOut.of(facilities.vendor(vendor_id)).model_dump(mode="json")

    return create_idempotently(
        rt,
        caller,
        idempotency_key,
        "registerVendor",
        body.model_dump(mode="json"),
        create=create,
        existing=existing,
        location=lambda b: f"/vendors/{b['id']}",
    )


@router.get(
    "/vendors",
    operation_id="listVendors",
    summary="Vendors, oldest first",
    response_model=Page[VendorRow],
    responses=problems.responses(401, 403, 422),
)
def list_vendors(
    rt: Runtime, _caller: MsoReader, cursor: CursorParam = None, limit: LimitParam = 50
) -> Page[VendorRow]:
    table = rt.store.metadata.tables["mso_vendors"]
    rows, next_cursor = read_page(rt.store.reader, table, cursor=cursor, limit=limit)
    return Page[VendorRow](
        items=[VendorRow.model_validate(r) for r in rows], next_cursor=next_cursor
    )


@router.get(
    "/vendors/{vendor_id}",
    operation_id="getVendor",
    summary="One vendor",
    response_model=VendorOut,
    responses=problems.responses(401, 403, 404, 422),
)
def get_vendor(
    vendor_id: UUID, response: Response, facilities: Facilities, _caller: MsoReader
) -> VendorOut:
    vendor = facilities.vendor(vendor_id)
    set_etag(response, vendor.version)
    return VendorOut.of(vendor)


@router.post(
    "/vendor-contracts",
    operation_id="signVendorContract",
    summary="Record a vendor contract: term, renewal date, what it supplies; a clinical supply "
    "on the PC's approved material changes",
    status_code=201,
    response_model=ContractOut,
    responses=problems.responses(401, 403, 404, 409, 422),
)
def sign_contract(
    body: ContractIn,
    request: Request,
    rt: Runtime,
    facilities: Facilities,
    vendor_contracts: VendorContracts,
    caller: MsoAdmin,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    meta = command_meta(request, caller)

    def create(contract_id: UUID) -> dict[str, Any]:
        standing = vendor_contracts.sign_vendor_contract(
            contract_id=contract_id, meta=meta, **body.model_dump()
        )
        return ContractOut.of(standing).model_dump(mode="json")

    def existing(contract_id: UUID) -> dict[str, Any] | None:
        if not facilities.facility_record_exists(contract_id):
            return None
        return ContractOut.of(vendor_contracts.vendor_contract(contract_id)).model_dump(mode="json")

    return create_idempotently(
        rt,
        caller,
        idempotency_key,
        "signVendorContract",
        body.model_dump(mode="json"),
        create=create,
        existing=existing,
        location=lambda b: f"/vendor-contracts/{b['id']}",
    )


@router.get(
    "/vendor-contracts",
    operation_id="listVendorContracts",
    summary="Vendor contracts, oldest first; `renewing_within` lists those due for renewal, "
    "`pc_approval_status=not_in_force` those whose PC approval is revoked, suspended or "
    "superseded at its site",
    response_model=Page[ContractRow],
    responses=problems.responses(401, 403, 422),
)
def list_contracts(
    rt: Runtime,
    _caller: MsoReader,
    cursor: CursorParam = None,
    limit: LimitParam = 50,
    vendor_id: UUID | None = None,
    site: Annotated[UUID | None, Query(description="Contracts covering this site")] = None,
    supplies: Supplies | None = None,
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
    table = rt.store.metadata.tables["mso_vendor_contracts"]
    filters: list[ColumnElement[bool]] = []
    if vendor_id:
        filters.append(table.c.vendor_id == vendor_id)
    if site:
        sites = rt.store.metadata.tables["mso_vendor_contract_sites"]
        filters.append(table.c.id.in_(select(sites.c.contract_id).where(sites.c.site_id == site)))
    if supplies:
        filters.append(table.c.supplies == supplies)
    if status:
        filters.append(table.c.status == status)
    if renewing_within is not None:
        start = as_of or clock.today()
        filters.append(table.c.status == "active")
        filters.append(table.c.renewal_date >= start)
        filters.append(table.c.renewal_date <= start + timedelta(days=renewing_within))
    if pc_approval_status == "not_in_force":
        filters.append(table.c.pc_approval_status.in_(NOT_IN_FORCE))
    elif pc_approval_status:
        filters.append(table.c.pc_approval_status == pc_approval_status)
    rows, next_cursor = read_page(
        rt.store.reader, table, cursor=cursor, limit=limit, filters=filters
    )
    return Page[ContractRow](
        items=[ContractRow.model_validate(r) for r in rows], next_cursor=next_cursor
    )


@router.get(
    "/vendor-contracts/{contract_id}",
    operation_id="getVendorContract",
    summary="One vendor contract",
    response_model=ContractOut,
    responses=problems.responses(401, 403, 404, 422),
)
def get_contract(
    contract_id: UUID, response: Response, vendor_contracts: VendorContracts, _caller: MsoReader
) -> ContractOut:
    standing = vendor_contracts.vendor_contract(contract_id)
    set_etag(response, standing.contract.version)
    return ContractOut.of(standing)


@router.post(
    "/vendor-contracts/{contract_id}/renewals",
    operation_id="renewVendorContract",
    summary="Renew a contract: a later end of term and the next renewal date; refused while "
    "a PC approval it rests on is suspended, revoked or superseded",
    response_model=ContractOut,
    responses=UPDATING,
)
def renew_contract(
    contract_id: UUID,
    body: RenewIn,
    request: Request,
    response: Response,
    vendor_contracts: VendorContracts,
    caller: MsoAdmin,
    if_match: IfMatch = None,
) -> ContractOut:
    standing = vendor_contracts.renew_vendor_contract(
        contract_id=contract_id,
        term_end=body.term_end,
        renewal_date=body.renewal_date,
        expected_version=expected_version(if_match),
        meta=command_meta(request, caller),
    )
    set_etag(response, standing.contract.version)
    return ContractOut.of(standing)


@router.post(
    "/vendor-contracts/{contract_id}/terminate",
    operation_id="terminateVendorContract",
    summary="End a contract on a day within its term, with a reason",
    response_model=ContractOut,
    responses=UPDATING,
)
def terminate_contract(
    contract_id: UUID,
    body: TerminateIn,
    request: Request,
    response: Response,
    vendor_contracts: VendorContracts,
    caller: MsoAdmin,
    if_match: IfMatch = None,
) -> ContractOut:
    standing = vendor_contracts.terminate_vendor_contract(
        contract_id=contract_id,
        last_day=body.last_day,
        reason=body.reason,
        expected_version=expected_version(if_match),
        meta=command_meta(request, caller),
    )
    set_etag(response, standing.contract.version)
    return ContractOut.of(standing)
