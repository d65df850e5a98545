"""Claims: submitted, accepted, denied, appealed, paid (and refunded), each step dated."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query

from mhg.bounded import Day
from mhg.declared import listed
from mhg.listing import Listing
from mhg.steps import Steps
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
from services.mso_ops.api.dependencies import BillingClerk, BillingReader, Claims
from services.mso_ops.api.schemas import ServiceLineCode
from services.mso_ops.projections import claims

router = APIRouter(tags=["billing"])

CLAIMS = Listing(claims.CLAIMS, ClaimRow)


CLAIM = Steps(router, "/billing/claims/{claim_id}", Claims, ClaimOut.of)
CLAIM.created(
    "submitClaim",
    "Record a claim submitted to a payer for a service line at a site",
    ClaimIn,
    BillingClerk,
    # a claim's id is fixed by payer and claim number: a repeat is the command's 409
    lambda claims: claims.submit_claim,
    (401, 403, 409, 422),
    description="A payer's claim number names one claim: submitting it again is a 409.",
)


@listed(router, "/billing/claims", "listClaims", CLAIMS, BillingReader)
def list_claims(
    status: ClaimStatus | None = None,
    site_id: UUID | None = None,
    service_line: ServiceLineCode | None = None,
    initially_denied: bool | None = None,
    submitted_from: Annotated[Day | None, Query(description="Submitted on or after")] = None,
    submitted_before: Annotated[Day | None, Query(description="Submitted before")] = None,
) -> None:
    """Claims in submission order, with what the billing KPIs read"""


CLAIM.shown("getClaim", "One claim and where it stands", BillingReader, lambda claims: claims.claim)
CLAIM.step(
    "acceptance",
    "recordClaimAcceptance",
    "Record that the payer accepted the claim for adjudication",
    StepIn,
    BillingClerk,
    lambda claims: claims.accept_claim,
)
CLAIM.step(
    "denial",
    "recordClaimDenial",
    "Record the payer's denial of the claim, with its reason code",
    DenialIn,
    BillingClerk,
    lambda claims: claims.deny_claim,
)
CLAIM.step(
    "appeal",
    "appealClaim",
    "Record an appeal of a denied claim",
    AppealIn,
    BillingClerk,
    lambda claims: claims.appeal_claim,
)
CLAIM.step(
    "payment",
    "recordClaimPayment",
    "Record the payer's payment of the claim",
    PaymentIn,
    BillingClerk,
    lambda claims: claims.record_claim_payment,
)
CLAIM.step(
    "refund",
    "recordClaimRefund",
    "Record a refund of (part of) a claim's payment; it reduces net collections",
    RefundIn,
    BillingClerk,
    lambda claims: claims.refund_claim,
)
