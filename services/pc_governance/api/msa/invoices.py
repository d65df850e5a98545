"""The MSA fee invoices the MSO issues, seen at the PC with their computation; the PC
accepts or disputes each (with a reason) by the roles of `msa_fee_invoice_acceptance`.

The answer is published on this service's feed; the MSO records it on its invoice.
"""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse

from mhg.bounded import Month
from mhg.declared import listed
from mhg.listing import Listing
from mhg.resource import Resource
from mhg.steps import changing
from services.pc_governance.api.dependencies import InvoiceDecider, Msa, PcReader
from services.pc_governance.api.msa.decisions import Answering, SubjectAnswer
from services.pc_governance.api.msa.schemas import (
    AcceptIn,
    DisputeIn,
    MsaInvoiceOut,
    MsaInvoiceRow,
)
from services.pc_governance.domain.msa import MsaInvoice
from services.pc_governance.projections import msa as read_side

router = APIRouter(tags=["msa"])


INVOICES = Listing(read_side.INVOICES, MsaInvoiceRow)


async def _invoice_answer(answering: Answering, msa: Msa) -> SubjectAnswer[MsaInvoice]:
    """The PC answers an invoice at most once per Idempotency-Key (built on the event
    loop: it only names the commands)."""
    return SubjectAnswer(answering, msa.answer_msa_invoice, msa.msa_invoice, MsaInvoiceOut.of)


InvoiceAnswer = Annotated[SubjectAnswer[MsaInvoice], Depends(_invoice_answer)]


@listed(router, "/msa/invoices", "listMsaInvoices", INVOICES, PcReader)
def list_invoices(
    status: Literal["issued", "superseded"] | None = None,
    answer: Annotated[
        Literal["accepted", "disputed", "none"] | None,
        Query(description="The PC's answer; `none` for invoices not answered yet"),
    ] = None,
    month_from: Annotated[Month | None, Query(description="From this month on")] = None,
    month_to: Annotated[Month | None, Query(description="Up to and including this month")] = None,
) -> None:
    """The MSO's MSA fee invoices as they arrived, with the PC's answers"""


INVOICE = Resource(
    router,
    "/msa/invoices/{invoice_id}",
    Msa,
    MsaInvoiceOut.of,
    lambda msa: msa.msa_invoice,
)
INVOICE.shown(
    "getMsaInvoice",
    "One invoice with its computation line by line, its checks and the PC's answer",
    PcReader,
)


@changing(router, "/msa/invoices/{invoice_id}/accept", "acceptMsaInvoice", answer=MsaInvoiceOut)
def accept_invoice(
    invoice_id: UUID, body: AcceptIn, caller: InvoiceDecider, answer: InvoiceAnswer
) -> JSONResponse:
    """Accept the invoice, naming the fee it charges (once; not a superseded revision)"""
    return answer(caller, invoice_id, body, accept=True, reason=body.note, fee=body.fee)


@changing(router, "/msa/invoices/{invoice_id}/dispute", "disputeMsaInvoice", answer=MsaInvoiceOut)
def dispute_invoice(
    invoice_id: UUID, body: DisputeIn, caller: InvoiceDecider, answer: InvoiceAnswer
) -> JSONResponse:
    """Dispute the invoice, with the reason (once; the MSO may then correct it)"""
    return answer(caller, invoice_id, body, accept=False, reason=body.reason)
