"""Provenance of a clinical-supply vendor contract: per site, the PC approval it rests on.

A contract names one approved material change per site (ADR 0012). For each, the
answer gives the change, its aspect, the PC authorization and the decision the
contract was signed on, the feed message that brought that decision, and every PC
decision recorded on the change since, with the change's standing now (it may be
superseded at its site by a later approval). From the authorization, PC Governance's
own provenance takes over.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from mhg.eventstore import ServiceApplication
from services.mso_ops.application.facilities import FacilityCommands
from services.mso_ops.application.provenance import (
    ArrivedDecision,
    ProvenanceQueries,
    carrying,
)
from services.mso_ops.application.vendor_contracts import VendorContractCommands
from services.mso_ops.domain.contract_approval import approval_status
from services.mso_ops.domain.vendor import VendorContract


@dataclass(frozen=True)
class SiteApproval:
    """The PC approval a contract rests on at one site, and how its decisions got here."""

    site_id: UUID
    change_id: UUID
    aspect: str
    standing: str
    authorization_id: UUID
    decision_id: UUID
    arrived_through: ArrivedDecision | None
    decisions: list[ArrivedDecision]


@dataclass(frozen=True)
class ContractProvenance:
    contract_id: UUID
    version: int
    status: str
    supplies: str
    pc_approval_status: str
    approvals: list[SiteApproval]


@dataclass(eq=False)
class ContractProvenanceQueries:
    store: ServiceApplication
    facilities: FacilityCommands
    vendor_contracts: VendorContractCommands
    provenance: ProvenanceQueries

    def vendor_contract_provenance(self, contract_id: UUID) -> ContractProvenance:
        contract = self.facilities.facility_record(VendorContract, contract_id)
        approvals = []
        for signed, (change, standing) in zip(
            contract.pc_approvals, self.vendor_contracts.rests_on(contract), strict=True
        ):
            decisions = self.provenance.pc_decisions_on(change.id)
            decision_id = UUID(signed["decision_id"])
            approvals.append(
                SiteApproval(
                    site_id=change.site_id,
                    change_id=change.id,
                    aspect=change.aspect,
                    standing=standing,
                    authorization_id=UUID(signed["authorization_id"]),
                    decision_id=decision_id,
                    arrived_through=carrying(decisions, decision_id),
                    decisions=decisions,
                )
            )
        return ContractProvenance(
            contract_id=contract.id,
            version=contract.version,
            status=contract.status,
            supplies=contract.supplies,
            pc_approval_status=approval_status(a.standing for a in approvals),
            approvals=approvals,
        )
