"""The MSA fee invoice issued to the PC each month, and the PC's answer to it.

The fee is computed from the countersigned schedule version in force for the month and
the month's net collections only; no referral or volume input exists anywhere on this
path. The PC accepts or disputes an invoice at PC Governance; its answer arrives through
the PC's feed and shows here as `pc_answer`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy import ColumnElement

from mhg import problems
from mhg.idempotency import IdempotencyKey
from mhg.pagination import CursorParam, LimitParam, Page, read_page
from mhg.routes import Runtime, create_idempotently
from mhg.web import IfMatch, command_meta, expected_version, set_etag
from services.mso_ops.api.dependencies import BillingClerk, BillingReader, MsaFees
from services.mso_ops.api.msa_fee_schemas import (
    CorrectionIn,
    InvoiceIn,
    InvoiceOut,
    InvoiceRow,
    InvoiceStatus,
    Month,
    month_start,
)
from services.mso_ops.domain.invoice import Invoice

router = APIRouter(tags=["billing"])


def _invoice_response(invoice: Invoice, status: int) -> JSONResponse:
    body = InvoiceOut.of(invoice).model_dump(mode="json")
    headers = {"Location": f"/billing/invoices/{invoice.id}", "ETag": f'"{invoice.version}"'}
    return JSONResponse(body, status_code=status, headers=headers)


@router.post(
    "/billing/invoices",
    operation_id="issueInvoice",
    summary="Issue the MSA fee invoice for a month that has ended",
    description=(
        "Computed from the schedule version in force for the month that the PC has "
        "countersigned, and the month's net collections (payments less refunds dated in "
        "it), line by line. 409 `fee-schedule-not-countersigned` while that version awaits "
        "the PC's answer, `no-fee-schedule-in-force` when none countersigned applies. A month "
        "is invoiced once: asking again returns its current revision (200) and writes nothing."
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
    msa_fees: MsaFees,
    caller: BillingClerk,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    meta = command_meta(request, caller)
    month = month_start(body.month)
    if idempotency_key is None:
        invoice, issued_now = msa_fees.issue_invoice(month=month, meta=meta)
        return _invoice_response(invoice, 201 if issued_now else 200)

    def create(_id: UUID) -> dict[str, Any]:
        invoice, _ = msa_fees.issue_invoice(month=month, meta=meta)
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
    pc_answer: Annotated[
        Literal["accepted", "disputed", "none"] | None,
        Query(description="The PC's answer; `none` for invoices it has not answered"),
    ] = None,
    month_from: Annotated[Month | None, Query(description="From this month on")] = None,
    month_to: Annotated[Month | None, Query(description="Up to and including this month")] = None,
) -> Page[InvoiceRow]:
    table = rt.store.metadata.tables["mso_invoices"]
    filters: list[ColumnElement[bool]] = []
    if status:
        filters.append(table.c.status == status)
    if pc_answer:
        answered = table.c.pc_answer
        filters.append(answered.is_(None) if pc_answer == "none" else answered == pc_answer)
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
    invoice_id: UUID, response: Response, msa_fees: MsaFees, _caller: BillingReader
) -> InvoiceOut:
    invoice = msa_fees.invoice(invoice_id)
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
    msa_fees: MsaFees,
    caller: BillingClerk,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    meta = command_meta(request, caller)
    version = expected_version(if_match)

    def create(_id: UUID) -> dict[str, Any]:
        corrected = msa_fees.correct_invoice(
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
