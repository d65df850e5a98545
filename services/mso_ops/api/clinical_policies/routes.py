"""What the MSO holds of the PC's coding rules and medical-records policy: the version in
force on a day, and the coding-rules version each claim cites. Read-only: only the PC's
feed changes them (decision rights `coding_rules_and_fee_schedule`,
`medical_records_ownership`)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from mhg import problems
from mhg.bounded import Day
from services.mso_ops.api.dependencies import (
    BillingReader,
    Claims,
    ClinicalPolicies,
    MsoReader,
)
from services.mso_ops.api.schemas import ServiceLineCode
from services.mso_ops.application import clock
from services.mso_ops.domain.clinical_policy_record import PolicyInForce

router = APIRouter(tags=["clinical-policies"])
READ = problems.responses(401, 403, 409, 422)


class PolicyInForceOut(BaseModel):
    document_id: UUID = Field(description="The PC's document")
    name: str
    version: int
    effective_from: date
    ended_on: date | None = Field(description="The first day it is no longer in force")
    decision_id: UUID = Field(description="The PC decision that approved the version")
    terms: dict[str, Any] = Field(
        description="codes with their fees (coding rules); retention and release (records)"
    )

    @classmethod
    def of(cls, found: PolicyInForce) -> PolicyInForceOut:
        return cls.model_validate(found, from_attributes=True)


class CitationOut(BaseModel):
    document_id: UUID
    name: str
    version: int
    effective_from: date
    decision_id: UUID


class ClaimCodingOut(BaseModel):
    claim_id: UUID
    service_line: str
    service_date: date
    coded_under: CitationOut | None = Field(
        description="The PC coding-rules version in force on the service date; null for a "
        "claim submitted before claims cited one"
    )


OnDay = Annotated[Day | None, Query(description="The day; today when left out")]


@router.get(
    "/coding-rules/in-force",
    operation_id="getCodingRulesInForce",
    summary="The PC's coding rules and fees in force for a service line on a day",
    responses=READ,
)
def coding_rules_in_force(
    policies: ClinicalPolicies,
    _caller: BillingReader,
    service_line: ServiceLineCode,
    on: OnDay = None,
) -> PolicyInForceOut:
    return PolicyInForceOut.of(policies.coding_rules_in_force(service_line, on or clock.today()))


@router.get(
    "/records-policy",
    operation_id="getRecordsPolicyInForce",
    summary="The PC's medical-records policy (retention, release) records are released under",
    responses=READ,
)
def records_policy_in_force(
    policies: ClinicalPolicies, _caller: MsoReader, on: OnDay = None
) -> PolicyInForceOut:
    return PolicyInForceOut.of(policies.records_policy_in_force(on or clock.today()))


@router.get(
    "/billing/claims/{claim_id}/coding-rules",
    operation_id="getClaimCodingRules",
    summary="The PC coding-rules version a claim was coded under",
    responses=problems.responses(401, 403, 404, 422),
)
def claim_coding_rules(claim_id: UUID, claims: Claims, _caller: BillingReader) -> ClaimCodingOut:
    coding = claims.claim_coding(claim_id)
    claim = claims.claim(claim_id)
    return ClaimCodingOut(
        claim_id=claim.id,
        service_line=claim.service_line,
        service_date=claim.service_date,
        coded_under=None if coding is None else CitationOut.model_validate(coding.citation),
    )
