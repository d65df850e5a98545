"""Vendors and their contracts: term, renewal date and what they supply.

The MSO runs its non-clinical vendors (leases, cleaning, IT, couriers, ...). A vendor
of a clinical supply or a reference lab is a material operational change the PC
approves (decision rights): such a contract is recorded only on the PC's approved
changes, and carries them (`contract_approval`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Literal, get_args
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from mhg.meta import Meta
from services.mso_ops.domain.contract_approval import (
    APPROVING_ASPECT,
    OperatingTerms,
    check_in_force,
    pc_approvals,
)
from services.mso_ops.domain.facilities_errors import (
    ContractTerminated,
    InvalidContractTerm,
    InvalidVendor,
)
from services.mso_ops.domain.site_change import SiteChange

NonClinicalSupply = Literal[
    "lease",
    "facilities_maintenance",
    "janitorial",
    "it",
    "courier",
    "office_supplies",
    "security",
    "waste",
    "other_non_clinical",
]
NON_CLINICAL_SUPPLIES: tuple[NonClinicalSupply, ...] = get_args(NonClinicalSupply)
CLINICAL_SUPPLIES = tuple(APPROVING_ASPECT)
SUPPLIES = NON_CLINICAL_SUPPLIES + CLINICAL_SUPPLIES

ACTIVE = "active"
TERMINATED = "terminated"


class Vendor(Aggregate):
    @classmethod
    def register(cls, *, vendor_id: UUID, name: str, contact: str, meta: Meta) -> Vendor:
        if not name.strip() or not contact.strip():
            raise InvalidVendor("a vendor needs a name and a business contact")
        return cls(id=vendor_id, name=name.strip(), contact=contact.strip(), meta=meta)

    class Registered(Aggregate.Created):
        name: str
        contact: str
        meta: Meta

    @event(Registered)
    def __init__(self, id: UUID, name: str, contact: str, meta: Meta) -> None:
        self.name = name
        self.contact = contact


def _check_term(term_start: date, term_end: date, renewal_date: date) -> None:
    if term_end <= term_start:
        raise InvalidContractTerm("term_end must be after term_start", field="term_end")
    if not term_start <= renewal_date <= term_end:
        raise InvalidContractTerm("renewal_date must fall within the term", field="renewal_date")


class VendorContract(Aggregate):
    @classmethod
    def sign(
        cls,
        *,
        contract_id: UUID,
        vendor: Vendor,
        supplies: str,
        description: str,
        term_start: date,
        term_end: date,
        renewal_date: date,
        site_ids: list[UUID],
        site_changes: Sequence[SiteChange] = (),
        operating_terms: OperatingTerms | None = None,
        meta: Meta,
    ) -> VendorContract:
        """A clinical supply rests on `site_changes`, one approved per site it covers.

        Each must be in force at its site: the site's term (`operating_terms`, the
        sites' `operations`) for the change's aspect is the one it put there.
        """
        if supplies not in SUPPLIES:
            raise InvalidContractTerm(f"unknown supply {supplies!r}", field="supplies")
        _check_term(term_start, term_end, renewal_date)
        site_ids = list(dict.fromkeys(site_ids))
        approvals = pc_approvals(
            supplies=supplies,
            site_ids=site_ids,
            changes=site_changes,
            terms=operating_terms or {},
        )
        return cls(
            id=contract_id,
            vendor_id=vendor.id,
            vendor_name=vendor.name,
            supplies=supplies,
            description=description.strip(),
            term_start=term_start,
            term_end=term_end,
            renewal_date=renewal_date,
            site_ids=site_ids,
            pc_approvals=approvals,
            meta=meta,
        )

    class Signed(Aggregate.Created):
        vendor_id: UUID
        vendor_name: str
        supplies: str
        description: str
        term_start: date
        term_end: date
        renewal_date: date
        site_ids: list[UUID]
        meta: Meta
        pc_approvals: list[dict[str, str]] | None = None

    @event(Signed)
    def __init__(
        self,
        id: UUID,
        vendor_id: UUID,
        vendor_name: str,
        supplies: str,
        description: str,
        term_start: date,
        term_end: date,
        renewal_date: date,
        site_ids: list[UUID],
        meta: Meta,
        pc_approvals: list[dict[str, str]] | None = None,  # none before clinical supplies
    ) -> None:
        self.vendor_id = vendor_id
        self.vendor_name = vendor_name
        self.supplies = supplies
        self.description = description
        self.term_start = term_start
        self.term_end = term_end
        self.renewal_date = renewal_date
        self.site_ids = list(site_ids)
        self.pc_approvals = list(pc_approvals or [])
        self.status = ACTIVE
        self.termination: dict[str, object] | None = None

    @property
    def site_change_ids(self) -> list[UUID]:
        """The PC-approved material changes the contract rests on (none if non-clinical)."""
        return [UUID(approval["change_id"]) for approval in self.pc_approvals]

    def renew(
        self, *, term_end: date, renewal_date: date, pc_approval_status: str, meta: Meta
    ) -> None:
        """Renew while the PC approvals it rests on are in force (`approval_status`)."""
        if self.status == TERMINATED:
            raise ContractTerminated("a terminated contract cannot be renewed")
        check_in_force(pc_approval_status)
        if term_end <= self.term_end:
            raise InvalidContractTerm(
                f"a renewal must run past the current end, {self.term_end}", field="term_end"
            )
        _check_term(self.term_start, term_end, renewal_date)
        if renewal_date <= self.renewal_date:
            raise InvalidContractTerm(
                f"the next renewal date must be after {self.renewal_date}", field="renewal_date"
            )
        self._renewed(term_end=term_end, renewal_date=renewal_date, meta=meta)

    def terminate(self, *, last_day: date, reason: str, meta: Meta) -> None:
        if self.status == TERMINATED:
            raise ContractTerminated("the contract is terminated already")
        if not self.term_start <= last_day <= self.term_end:
            raise InvalidContractTerm("the last day must fall within the term", field="last_day")
        self._terminated(last_day=last_day, reason=reason, meta=meta)

    class Renewed(Aggregate.Event):
        term_end: date
        renewal_date: date
        meta: Meta

    @event(Renewed)
    def _renewed(self, term_end: date, renewal_date: date, meta: Meta) -> None:
        self.term_end = term_end
        self.renewal_date = renewal_date

    class Terminated(Aggregate.Event):
        last_day: date
        reason: str
        meta: Meta

    @event(Terminated)
    def _terminated(self, last_day: date, reason: str, meta: Meta) -> None:
        self.status = TERMINATED
        self.term_end = last_day
        self.termination = {"last_day": last_day, "reason": reason}
