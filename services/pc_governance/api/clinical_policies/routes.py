"""Coding rules (`/coding-rules`) and the medical-records policy (`/records-policies`).

Each is a versioned document: PC physicians draft it and its next versions; only the
roles of its decision right (`coding_rules_and_fee_schedule`, `medical_records_ownership`)
approve a version or retire the document. Each decision goes out on the contract feed.
The two kinds' routes differ only in their path, bodies and deciding role, so one table
declares both (`Kind`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from mhg.bounded import Day
from mhg.creation import recorded
from mhg.listing import Listing
from mhg.paged import Pages, paged
from mhg.pagination import Page
from mhg.routed import routed
from mhg.routes import Runtime
from mhg.steps import Steps
from services.pc_governance.api.clinical_policies.schemas import (
    ApprovePolicyIn,
    ClinicalPolicyOut,
    ClinicalPolicyRow,
    CodingRulesIn,
    CodingTermsIn,
    RecordsPolicyIn,
    RecordsTermsIn,
    RetirePolicyIn,
    Status,
    VersionInForceRow,
)
from services.pc_governance.api.dependencies import (
    ClinicalPolicies,
    CodingRulesDecider,
    PcReader,
    ProtocolDrafter,
    RecordsPolicyDecider,
)
from services.pc_governance.api.document_decisions import decision_route
from services.pc_governance.api.protocols.schemas import ServiceLineCode
from services.pc_governance.domain.clinical_policy_terms import CODING_RULES, RECORDS_POLICY
from services.pc_governance.projections import clinical_policies

router = APIRouter(tags=["clinical-policies"])

POLICIES = Listing(clinical_policies.POLICIES, ClinicalPolicyRow)


@dataclass(frozen=True)
class Kind:
    kind: str
    path: str  # the collection
    noun: str  # in operation ids: CodingRules, RecordsPolicy
    document: type[BaseModel]  # the create's body
    terms: type[BaseModel]  # a next version's body
    decider: object


def _decided(
    kind: Kind, operation_id: str, summary: str, step: str, body: type[BaseModel], act: str
) -> None:
    """`POST <document>/<step>`: a decision of `kind.decider` on a document of the kind."""
    decision_route(
        router,
        f"{kind.path}/{{policy_id}}/{step}",
        operation_id,
        summary,
        body,
        kind.decider,
        ("policies", ClinicalPolicies),
        lambda policies: getattr(policies, act),
        ClinicalPolicyOut.of,
        deciders_first=True,
        check=lambda policies, policy_id: policies.policy_of_kind(kind.kind)(policy_id),
    )


def declare(kind: Kind) -> None:
    document = Steps(router, f"{kind.path}/{{policy_id}}", ClinicalPolicies, ClinicalPolicyOut.of)
    document.created(
        f"draft{kind.noun}",
        "Start a document, its first version a draft",
        kind.document,
        ProtocolDrafter,
        lambda policies: partial(policies.draft_clinical_policy, kind=kind.kind),
        (401, 403, 422),
        find=lambda policies: recorded(policies.exists, policies.policy_of_kind(kind.kind)),
    )
    document.shown(
        f"get{kind.noun}",
        "One document: every version's terms, status, days in force and decision",
        PcReader,
        lambda policies: policies.policy_of_kind(kind.kind),
    )
    document.step(
        "versions",
        f"draft{kind.noun}Version",
        "Its next version, as a draft (none may be pending)",
        kind.terms,
        ProtocolDrafter,
        lambda policies: policies.draft_clinical_policy_version,
    )
    _decided(
        kind,
        f"approve{kind.noun}Version",
        "Approve a draft from a day, on a decision basis; the standing version ends then",
        "versions/{number}/approve",
        ApprovePolicyIn,
        "approve_clinical_policy_version",
    )
    _decided(
        kind,
        f"retire{kind.noun}",
        "Retire the document: no version of it is in force from the given day",
        "retire",
        RetirePolicyIn,
        "retire_clinical_policy",
    )


CODING = Kind(
    CODING_RULES, "/coding-rules", "CodingRules", CodingRulesIn, CodingTermsIn, CodingRulesDecider
)
RECORDS = Kind(
    RECORDS_POLICY,
    "/records-policies",
    "RecordsPolicy",
    RecordsPolicyIn,
    RecordsTermsIn,
    RecordsPolicyDecider,
)


@paged(router, "/coding-rules", "listCodingRules", PcReader)
def list_coding_rules(
    pages: Pages, service_line: ServiceLineCode | None = None, status: Status | None = None
) -> Page[ClinicalPolicyRow]:
    """Coding rules and fee schedules, oldest first"""
    return pages(POLICIES, kind=CODING_RULES, service_line=service_line, status=status)


@paged(router, "/records-policies", "listRecordsPolicies", PcReader)
def list_records_policies(pages: Pages, status: Status | None = None) -> Page[ClinicalPolicyRow]:
    """Medical-records policies, oldest first"""
    return pages(POLICIES, kind=RECORDS_POLICY, status=status)


OnDay = Annotated[Day, Query(description="The day")]


def _in_force(
    rt: Runtime, kind: str, on: date, service_line: str | None
) -> list[VersionInForceRow]:
    """The versions of a kind of document in force on a day, the latest to take effect first."""
    rows = clinical_policies.in_force(rt.store, kind, on, service_line)
    return [VersionInForceRow.model_validate(row._asdict()) for row in rows]


@routed(router, "GET /coding-rules/in-force", "listCodingRulesInForce", 422)
def coding_rules_in_force(
    rt: Runtime, _caller: PcReader, on: OnDay, service_line: ServiceLineCode | None = None
) -> list[VersionInForceRow]:
    """The coding-rules versions in force on a day, the latest to take effect first"""
    return _in_force(rt, CODING_RULES, on, service_line)


@routed(router, "GET /records-policies/in-force", "listRecordsPoliciesInForce", 422)
def records_policy_in_force(rt: Runtime, _caller: PcReader, on: OnDay) -> list[VersionInForceRow]:
    """The records-policy versions in force on a day, the latest to take effect first"""
    return _in_force(rt, RECORDS_POLICY, on, None)


declare(CODING)
declare(RECORDS)
