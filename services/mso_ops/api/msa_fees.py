"""The MSA fee: the versioned fee schedule and the monthly invoice issued to the PC.

The fee is computed from the schedule version in force for the month and the month's
net collections only; no referral or volume input exists anywhere on this path.
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy import ColumnElement

from mhg import problems
from mhg.bounded import Day
from mhg.idempotency import IdempotencyKey
from mhg.pagination import CursorParam, LimitParam, Page, read_page
from mhg.routes import Runtime, create_idempotently
from mhg.web import IfMatch, command_meta, expected_version, set_etag
from services.mso_ops.api.dependencies import BillingClerk, BillingReader, Ops
from services.mso_ops.api.msa_fee_schemas import (
    AddedVersionOut,
    CorrectionIn,
    FeeKind,
    FeeScheduleOut,
    FeeScheduleVersionIn,
    FeeScheduleVersionOut,
    FeeScheduleVersionRow,
    FmvBasisIn,
    InvoiceIn,
    InvoiceOut,
    InvoiceRow,
    InvoiceStatus,
    Month,
    month_start,
)
from services.mso_ops.domain.fee_schedule import FmvBasis
from services.mso_ops.domain.invoice import Invoice

router = APIRouter(tags=["billing"])


def _fmv(basis: FmvBasisIn) -> FmvBasis:
    return FmvBasis(basis.assessed_by, basis.assessed_on, basis.document_ref)


@router.post(
    "/billing/fee-schedule/versions",
    operation_id="addFeeScheduleVersion",
    summary="Add a version of the MSA fee schedule, with its fair-market-value basis",
    description=(
        "Fixed monthly, percentage of net collections, or hybrid (base plus percentage, "
        "optional floor and cap). A term based on referrals or referral volume is refused "
        "with 422 `referral-based-fee-term`. A version takes effect on the first day of a "
        "month later than every earlier version and every invoiced month (409 otherwise)."
    ),
    status_code=201,
    response_model=AddedVersionOut,
    responses=problems.responses(401, 403, 409, 412, 422),
)
def add_fee_schedule_version(
    body: FeeScheduleVersionIn,
    request: Request,
    rt: Runtime,
    ops: Ops,
    caller: BillingClerk,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    meta = command_meta(request, caller)
    version = expected_version(if_match)

    def create(_id: UUID) -> dict[str, Any]:
        schedule, added = ops.add_fee_schedule_version(
            effective_from=body.effective_from,
            kind=body.kind,
            terms=body.terms.model_dump(),
            fmv=_fmv(body.fmv_basis),
            expected_version=version,
            meta=meta,
        )
        return AddedVersionOut.on(schedule, added).model_dump(mode="json")

    def existing(_id: UUID) -> dict[str, Any] | None:
        return None  # versions are numbered in order: a repeat is refused as out of order

    return create_idempotently(
        rt,
        caller,
        idempotency_key,
        "addFeeScheduleVersion",
        body.model_dump(mode="json"),
        create=create,
        existing=existing,
        location=lambda b: f"/billing/fee-schedule/versions/{b['number']}",
    )


@router.get(
    "/billing/fee-schedule",
    operation_id="getFeeSchedule",
    summary="The MSA fee schedule: every version, oldest first",
    response_model=FeeScheduleOut,
    responses=problems.responses(401, 403, 404),
)
def get_fee_schedule(response: Response, ops: Ops, _caller: BillingReader) -> FeeScheduleOut:
    schedule = ops.fee_schedule()
    set_etag(response, schedule.version)
    return FeeScheduleOut.of(schedule)


@router.get(
    "/billing/fee-schedule/versions",
    operation_id="listFeeScheduleVersions",
    summary="Versions of the fee schedule, oldest first",
    response_model=Page[FeeScheduleVersionRow],
    responses=problems.responses(401, 403, 422),
)
def list_fee_schedule_versions(
    rt: Runtime,
    _caller: BillingReader,
    cursor: CursorParam = None,
    limit: LimitParam = 50,
    kind: FeeKind | None = None,
    effective_from: Annotated[Day | None, Query(description="In effect from this day on")] = None,
    effective_before: Annotated[Day | None, Query(description="In effect before this day")] = None,
) -> Page[FeeScheduleVersionRow]:
    table = rt.store.metadata.tables["mso_fee_schedule_versions"]
    filters: list[ColumnElement[bool]] = []
    if kind:
        filters.append(table.c.kind == kind)
    if effective_from:
        filters.append(table.c.effective_from >= effective_from)
    if effective_before:
        filters.append(table.c.effective_from < effective_before)
    rows, next_cursor = read_page(
        rt.store.reader, table, cursor=cursor, limit=limit, filters=filters
    )
    return Page[FeeScheduleVersionRow](
        items=[FeeScheduleVersionRow.of(r) for r in rows], next_cursor=next_cursor
    )


@router.get(
    "/billing/fee-schedule/versions/{number}",
    operation_id="getFeeScheduleVersion",
    summary="One version of the fee schedule",
    response_model=FeeScheduleVersionOut,
    responses=problems.responses(401, 403, 404, 422),
)
def get_fee_schedule_version(
    number: Annotated[int, Path(ge=1, le=100_000)], ops: Ops, _caller: BillingReader
) -> FeeScheduleVersionOut:
    versions = ops.fee_schedule().versions
    if number > len(versions):
        raise problems.Problem(
            404, "fee-schedule-version-not-found", "No such version", f"no version {number}"
        )
    return FeeScheduleVersionOut.of(versions[number - 1])


@router.get(
    "/billing/fee-schedule/in-force",
    operation_id="getFeeScheduleInForce",
    summary="The version of the fee schedule in force for a month",
    response_model=FeeScheduleVersionOut,
    responses=problems.responses(401, 403, 404, 422),
)
def get_fee_schedule_in_force(
    month: Annotated[Month, Query()], ops: Ops, _caller: BillingReader
) -> FeeScheduleVersionOut:
    start = month_start(month)
    in_force = [v for v in ops.fee_schedule().versions if v.effective_from <= start]
    if not in_force:
        raise problems.Problem(
            404,
            "no-fee-schedule-in-force",
            "No version in force",
            f"no version of the fee schedule is in force in {month}",
        )
    return FeeScheduleVersionOut.of(in_force[-1])


def _invoice_response(invoice: Invoice, status: int) -> JSONResponse:
    body = InvoiceOut.of(invoice).model_dump(mode="json")
    headers = {"Location": f"/billing/invoices/{invoice.id}", "ETag": f'"{invoice.version}"'}
    return JSONResponse(body, status_code=status, headers=headers)


@router.post(
    "/billing/invoices",
    operation_id="issueInvoice",
    summary="Issue the MSA fee invoice for a month that has ended",
    description=(
        "Computed from the schedule version in force for the month and the month's net "
        "collections (payments less refunds dated in it), line by line. A month is "
        "invoiced once: asking again returns its current revision (200) and writes nothing."
    ),
    status_code=201,
    response_model=InvoiceOut,
    responses={
        200: {"model": InvoiceOut, "description": "The month's invoice, issued before"},
        **problems.responses(401, 403, 409, 422),
    },
)
def issue_invoice(
    body: InvoiceIn,
    request: Request,
    rt: Runtime,
    ops: Ops,
    caller: BillingClerk,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    meta = command_meta(request, caller)
    month = month_start(body.month)
    if idempotency_key is None:
        invoice, issued_now = ops.issue_invoice(month=month, meta=meta)
        return _invoice_response(invoice, 201 if issued_now else 200)

    def create(_id: UUID) -> dict[str, Any]:
        invoice, _ = ops.issue_invoice(month=month, meta=meta)
        return InvoiceOut.of(invoice).model_dump(mode="json")

    return create_idempotently(
        rt,
        caller,
        idempotency_key,
        "issueInvoice",
        body.model_dump(mode="json"),
        create=create,
        existing=lambda _id: None,
        location=lambda b: f"/billing/invoices/{b['id']}",
    )


@router.get(
    "/billing/invoices",
    operation_id="listInvoices",
    summary="Fee invoices and their corrections, in issue order",
    response_model=Page[InvoiceRow],
    responses=problems.responses(401, 403, 422),
)
def list_invoices(
    rt: Runtime,
    _caller: BillingReader,
    cursor: CursorParam = None,
    limit: LimitParam = 50,
    status: InvoiceStatus | None = None,
    month_from: Annotated[Month | None, Query(description="From this month on")] = None,
    month_to: Annotated[Month | None, Query(description="Up to and including this month")] = None,
) -> Page[InvoiceRow]:
    table = rt.store.metadata.tables["mso_invoices"]
    filters: list[ColumnElement[bool]] = []
    if status:
        filters.append(table.c.status == status)
    if month_from:
        filters.append(table.c.month >= month_start(month_from))
    if month_to:
        filters.append(table.c.month <= month_start(month_to))
    rows, next_cursor = read_page(
        rt.store.reader, table, cursor=cursor, limit=limit, filters=filters
    )
    return Page[InvoiceRow](items=[InvoiceRow.of(r) for r in rows], next_cursor=next_cursor)


@router.get(
    "/billing/invoices/{invoice_id}",
    operation_id="getInvoice",
    summary="One fee invoice, with its computation line by line",
    response_model=InvoiceOut,
    responses=problems.responses(401, 403, 404, 422),
)
def get_invoice(
    invoice_id: UUID, response: Response, ops: Ops, _caller: BillingReader
) -> InvoiceOut:
    invoice = ops.invoice(invoice_id)
    set_etag(response, invoice.version)
    return InvoiceOut.of(invoice)


@router.post(
    "/billing/invoices/{invoice_id}/corrections",
    operation_id="correctInvoice",
    summary="Reissue a month's invoice as a correction that references it",
    description=(
        "Recomputes the month from what is on record now and issues the next revision; the "
        "corrected invoice is marked superseded, never edited. 409 when the invoice was "
        "corrected already, or when nothing it was computed from has changed."
    ),
    status_code=201,
    response_model=InvoiceOut,
    responses=problems.responses(401, 403, 404, 409, 412, 422),
)
def correct_invoice(
    invoice_id: UUID,
    body: CorrectionIn,
    request: Request,
    rt: Runtime,
    ops: Ops,
    caller: BillingClerk,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    meta = command_meta(request, caller)
    version = expected_version(if_match)

    def create(_id: UUID) -> dict[str, Any]:
        corrected = ops.correct_invoice(
            invoice_id, reason=body.reason, expected_version=version, meta=meta
        )
        return InvoiceOut.of(corrected).model_dump(mode="json")

    return create_idempotently(
        rt,
        caller,
        idempotency_key,
        f"correctInvoice:{invoice_id}",
        body.model_dump(mode="json"),
        create=create,
        existing=lambda _id: None,
        location=lambda b: f"/billing/invoices/{b['id']}",
    )
