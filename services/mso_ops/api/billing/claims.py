"""Claims: submitted, accepted, denied, appealed, paid (and refunded), each step dated."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response
from fastapi.responses import JSONResponse

from mhg import problems
from mhg.bounded import Day
from mhg.changes import Change, read
from mhg.creation import Create
from mhg.listing import Listing, at_least, below, equals
from mhg.pagination import CursorParam, LimitParam, Page
from mhg.routes import Runtime
from services.mso_ops.api.billing.claim_schemas import (
    AppealIn,
    ClaimIn,
    ClaimOut,
    ClaimRow,
    ClaimStatus,
    DenialIn,
    PaymentIn,
    RefundIn,
    StepIn,
)
from services.mso_ops.api.day_filters import SITE_AND_LINE
from services.mso_ops.api.dependencies import BillingClerk, BillingReader, Claims
from services.mso_ops.api.schemas import ServiceLineCode

router = APIRouter(tags=["billing"])

UPDATING = problems.responses(401, 403, 404, 409, 412, 422)

CLAIMS = Listing(
    "mso_claims",
    ClaimRow,
    status=equals(),
    **SITE_AND_LINE,
    initially_denied=equals(),
    submitted_from=at_least("submitted_on"),
    submitted_before=below("submitted_on"),
)


@router.post(
    "/billing/claims",
    operation_id="submitClaim",
    summary="Record a claim submitted to a payer for a service line at a site",
    description="A payer's claim number names one claim: submitting it again is a 409.",
    status_code=201,
    response_model=ClaimOut,
    responses=problems.responses(401, 403, 409, 422),
)
def submit_claim(
    body: ClaimIn, create: Create, claims: Claims, caller: BillingClerk
) -> JSONResponse:
    return create(
        caller,
        body,
        # a claim's id is fixed by payer and claim number: a repeat is the command's 409
        make=lambda _id, meta: claims.submit_claim(meta=meta, **body.model_dump()),
        answer=ClaimOut.of,
        location="/billing/claims/{id}",
    )


@router.get(
    "/billing/claims",
    operation_id="listClaims",
    summary="Claims in submission order, with what the billing KPIs read",
    response_model=Page[ClaimRow],
    responses=problems.responses(401, 403, 422),
)
def list_claims(
    rt: Runtime,
    _caller: BillingReader,
    cursor: CursorParam = None,
    limit: LimitParam = 50,
    status: ClaimStatus | None = None,
    site_id: UUID | None = None,
    service_line: ServiceLineCode | None = None,
    initially_denied: bool | None = None,
    submitted_from: Annotated[Day | None, Query(description="Submitted on or after")] = None,
    submitted_before: Annotated[Day | None, Query(description="Submitted before")] = None,
) -> Page[ClaimRow]:
    return CLAIMS.page(
        rt,
        cursor,
        limit,
        status=status,
        site_id=site_id,
        service_line=service_line,
        initially_denied=initially_denied,
        submitted_from=submitted_from,
        submitted_before=submitted_before,
    )


@router.get(
    "/billing/claims/{claim_id}",
    operation_id="getClaim",
    summary="One claim and where it stands",
    response_model=ClaimOut,
    responses=problems.responses(401, 403, 404, 422),
)
def get_claim(
    claim_id: UUID, response: Response, claims: Claims, _caller: BillingReader
) -> ClaimOut:
    return ClaimOut.of(read(response, claims.claim(claim_id)))


@router.post(
    "/billing/claims/{claim_id}/acceptance",
    operation_id="recordClaimAcceptance",
    summary="Record that the payer accepted the claim for adjudication",
    response_model=ClaimOut,
    responses=UPDATING,
)
def record_acceptance(
    claim_id: UUID, body: StepIn, caller: BillingClerk, claims: Claims, change: Change
) -> ClaimOut:
    return ClaimOut.of(change(caller, claims.accept_claim, claim_id, body=body))


@router.post(
    "/billing/claims/{claim_id}/denial",
    operation_id="recordClaimDenial",
    summary="Record the payer's denial of the claim, with its reason code",
    response_model=ClaimOut,
    responses=UPDATING,
)
def record_denial(
    claim_id: UUID, body: DenialIn, caller: BillingClerk, claims: Claims, change: Change
) -> ClaimOut:
    return ClaimOut.of(change(caller, claims.deny_claim, claim_id, body=body))


@router.post(
    "/billing/claims/{claim_id}/appeal",
    operation_id="appealClaim",
    summary="Record an appeal of a denied claim",
    response_model=ClaimOut,
    responses=UPDATING,
)
def appeal_claim(
    claim_id: UUID, body: AppealIn, caller: BillingClerk, claims: Claims, change: Change
) -> ClaimOut:
    return ClaimOut.of(change(caller, claims.appeal_claim, claim_id, body=body))


@router.post(
    "/billing/claims/{claim_id}/payment",
    operation_id="recordClaimPayment",
    summary="Record the payer's payment of the claim",
    response_model=ClaimOut,
    responses=UPDATING,
)
def record_payment(
    claim_id: UUID, body: PaymentIn, caller: BillingClerk, claims: Claims, change: Change
) -> ClaimOut:
    return ClaimOut.of(change(caller, claims.record_claim_payment, claim_id, body=body))


@router.post(
    "/billing/claims/{claim_id}/refund",
    operation_id="recordClaimRefund",
    summary="Record a refund of (part of) a claim's payment; it reduces net collections",
    response_model=ClaimOut,
    responses=UPDATING,
)
def record_refund(
    claim_id: UUID, body: RefundIn, caller: BillingClerk, claims: Claims, change: Change
) -> ClaimOut:
    return ClaimOut.of(change(caller, claims.refund_claim, claim_id, body=body))
