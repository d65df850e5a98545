"""The PC approvals a clinical-supply vendor contract rests on (decision rights).

A reference lab or a vendor of a clinical supply is a material operational change the
PC approves. The MSO records such a contract only on approved material changes
(`SiteChange`) of the fitting aspect, exactly one for each site the contract covers:
every site is covered by its own PC approval, and no approval is named that the
contract does not use. The contract carries each change's authorization and decision
ids (provenance); what the PC later decides on a change shows on the contract as its
`pc_approval_status`, and a contract whose approval is not in force is not renewed.

An approved change is in force only while it is the site's operating term for its
aspect (`Site.operations`). When the PC approves a later change of the same aspect at
the site, that change's term replaces it and the earlier one is `superseded` for the
contracts resting on it; if the later change is suspended or revoked, the site's
previous term returns (ADR 0008) and so does the earlier change's standing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from uuid import UUID

from services.mso_ops.domain.facilities_errors import (
    ClinicalSupplyNeedsPcApproval,
    PcApprovalNotInForce,
)
from services.mso_ops.domain.site_change import APPROVED, REVOKED, SUSPENDED, SiteChange

# clinical supply -> the aspect of the material change that approves it
APPROVING_ASPECT = {
    "reference_lab": "lab_vendor",
    "clinical_supplies": "clinical_supplies",
    "clinical_equipment": "clinical_supplies",
    "pharmacy": "clinical_supplies",
}

# a contract's pc_approval_status
NOT_REQUIRED = "not_required"
IN_FORCE = "in_force"
SUPERSEDED = "superseded"  # approved, but a later approved change is the site's term now
# worst first: revoked (the PC withdrew it for good), suspended (withdrawn until the PC
# reinstates it), superseded (still approved, not the site's term while the later one is)
NOT_IN_FORCE = (REVOKED, SUSPENDED, SUPERSEDED)
APPROVAL_STATUSES = (NOT_REQUIRED, IN_FORCE, *NOT_IN_FORCE)

# site -> aspect -> the operating term in force there (`Site.operations`)
OperatingTerms = Mapping[UUID, Mapping[str, Mapping[str, Any]]]

FIELD = "site_change_ids"


def change_standing(status: str, change_id: UUID, in_force: UUID | None) -> str:
    """A change's standing for the contracts on it; `in_force`: whose term the site has.

    The PC's own decision shows as it is, except that an approved change whose term is
    not (or no longer) the site's for its aspect is superseded.
    """
    return SUPERSEDED if status == APPROVED and in_force != change_id else status


def standing(change: SiteChange, terms: OperatingTerms) -> str:
    term = terms.get(change.site_id, {}).get(change.aspect)
    in_force = term.get("change_id") if term else None
    return change_standing(change.status, change.id, UUID(in_force) if in_force else None)


def pc_approvals(
    *,
    supplies: str,
    site_ids: Sequence[UUID],
    changes: Sequence[SiteChange],
    terms: OperatingTerms,
) -> list[dict[str, str]]:
    """The approvals a contract for `supplies` at `site_ids` rests on, in site order.

    422 (field named) when the changes do not fit the contract; 409 when one fits but
    is not in force now (requested, denied, suspended, revoked or superseded).
    """
    aspect = APPROVING_ASPECT.get(supplies)
    if aspect is None:
        if changes:
            raise ClinicalSupplyNeedsPcApproval(
                f"a {supplies} contract is the MSO's own; it names no PC approval", field=FIELD
            )
        return []
    if not site_ids:
        raise ClinicalSupplyNeedsPcApproval(
            f"a {supplies} contract names the sites it covers, each under a PC approval",
            field="site_ids",
        )
    by_site: dict[UUID, SiteChange] = {}
    for change in changes:
        if change.aspect != aspect:
            raise ClinicalSupplyNeedsPcApproval(
                f"change {change.id} is a {change.aspect} change; a {supplies} contract "
                f"rests on a {aspect} change",
                field=FIELD,
            )
        if change.site_id not in site_ids:
            raise ClinicalSupplyNeedsPcApproval(
                f"change {change.id} is at {change.site_name}, a site the contract does not cover",
                field=FIELD,
            )
        if change.site_id in by_site:
            raise ClinicalSupplyNeedsPcApproval(
                f"two changes named for {change.site_name}; name one per site", field=FIELD
            )
        by_site[change.site_id] = change
    uncovered = [str(site_id) for site_id in site_ids if site_id not in by_site]
    if uncovered:
        raise ClinicalSupplyNeedsPcApproval(
            f"a {supplies} vendor is a material change the PC approves; name the approved "
            f"{aspect} change for site {', '.join(uncovered)}",
            field=FIELD,
        )
    for change in changes:
        if change.status != APPROVED:
            raise PcApprovalNotInForce(
                f"change {change.id} at {change.site_name} is {change.status}, not approved"
            )
        if standing(change, terms) == SUPERSEDED:
            raise PcApprovalNotInForce(
                f"change {change.id} at {change.site_name} is superseded: a change the PC "
                f"approved later is the site's {aspect} term now"
            )
    return [_approval(by_site[site_id]) for site_id in site_ids]


def _approval(change: SiteChange) -> dict[str, str]:
    return {
        "change_id": str(change.id),
        "site_id": str(change.site_id),
        "aspect": change.aspect,
        "authorization_id": str(change.authorization_id),
        "decision_id": str(change.decision_id),
    }


def approval_status(standings: Iterable[str]) -> str:
    """A contract's standing from its changes' standings: the worst of them shows.

    Worst first as in `NOT_IN_FORCE`; a change neither approved nor superseded nor
    revoked (a contract is never signed on one) reads as withheld, i.e. suspended.
    """
    found = set(standings)
    if not found:
        return NOT_REQUIRED
    if REVOKED in found:
        return REVOKED
    if found - {APPROVED, SUPERSEDED}:
        return SUSPENDED
    return SUPERSEDED if SUPERSEDED in found else IN_FORCE


def check_in_force(status: str) -> None:
    if status not in (NOT_REQUIRED, IN_FORCE):
        raise PcApprovalNotInForce(
            f"the PC approval this contract rests on is {status}; it cannot be renewed"
        )
