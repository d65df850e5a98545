"""The MSA fee invoice issued to the PC each month, and the PC's answer to it.

The fee is computed from the countersigned schedule version in force for the month and
the month's net collections only; no referral or volume input exists anywhere on this
path. The PC accepts or disputes an invoice at PC Governance; its answer arrives through
the PC's feed and shows here as `pc_answer`.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from mhg import problems
from mhg.creation import Create, creates
from mhg.declared import listed
from mhg.listing import Listing, month_start
from mhg.steps import Steps
from mhg.web import command_meta
from services.mso_ops.api.billing.invoice_schemas import (
    CorrectionIn,
    InvoiceIn,
    InvoiceOut,
    InvoiceRow,
)
from services.mso_ops.api.billing.msa_fee_schemas import InvoiceStatus, Month
from services.mso_ops.api.dependencies import BillingClerk, BillingReader, MsaFees
from services.mso_ops.domain.invoice import Invoice
from services.mso_ops.projections import msa_fees as fee_rows

router = APIRouter(tags=["billing"])


INVOICES = Listing(fee_rows.INVOICES, InvoiceRow)


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
    body: InvoiceIn, create: Create, msa_fees: MsaFees, caller: BillingClerk
) -> JSONResponse:
    month = month_start(body.month)
    if create.key is None:
        # without a key a month asked again answers with its invoice (200), writing nothing
        invoice, issued_now = msa_fees.issue_invoice(
            month=month, meta=command_meta(create.request, caller)
        )
        return _invoice_response(invoice, 201 if issued_now else 200)
    return create(
        caller,
        body,
        make=lambda _id, meta: msa_fees.issue_invoice(month=month, meta=meta)[0],
        answer=InvoiceOut.of,
        location="/billing/invoices/{id}",
    )


@listed(router, "/billing/invoices", "listInvoices", INVOICES, BillingReader)
def list_invoices(
    status: InvoiceStatus | None = None,
    pc_answer: Annotated[
        Literal["accepted", "disputed", "none"] | None,
        Query(description="The PC's answer; `none` for invoices it has not answered"),
    ] = None,
    month_from: Annotated[Month | None, Query(description="From this month on")] = None,
    month_to: Annotated[Month | None, Query(description="Up to and including this month")] = None,
) -> None:
    """Fee invoices and their corrections, in issue order"""


INVOICE = Steps(router, "/billing/invoices/{invoice_id}", MsaFees, InvoiceOut.of)
INVOICE.shown(
    "getInvoice",
    "One fee invoice, with its computation line by line",
    BillingReader,
    lambda msa_fees: msa_fees.invoice,
)


creates(
    router,
    "/billing/invoices/{invoice_id}/corrections",
    "correctInvoice",
    "Reissue a month's invoice as a correction that references it",
    CorrectionIn,
    BillingClerk,
    MsaFees,
    lambda msa_fees: msa_fees.correct_invoice,
    InvoiceOut.of,
    (401, 403, 404, 409, 412, 422),
    location="/billing/invoices/{id}",
    versioned=True,
    description=(
        "Recomputes the month from what is on record now and issues the next revision; the "
        "corrected invoice is marked superseded, never edited. 409 when the invoice was "
        "corrected already, or when nothing it was computed from has changed."
    ),
)
