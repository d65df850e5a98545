"""Errors of vendors, their contracts, facility incidents and site downtime."""

from __future__ import annotations

from mhg.errors import Conflict, NotFound, RuleViolation


class VendorNotFound(NotFound):
    code = "vendor-not-found"
    title = "No such vendor"


class InvalidVendor(RuleViolation):
    code = "invalid-vendor"
    title = "The vendor's details break a rule"


class VendorContractNotFound(NotFound):
    code = "vendor-contract-not-found"
    title = "No such vendor contract"


class InvalidContractTerm(RuleViolation):
    code = "invalid-contract-term"
    title = "The contract's term or renewal date is not valid"


class ClinicalSupplyNeedsPcApproval(RuleViolation):
    """A vendor of a clinical supply or a lab is a material change the PC approves.

    The contract names no approved change, or a change that does not fit it: of
    another aspect, at a site it does not cover, or leaving one of its sites uncovered.
    """

    code = "clinical-supply-needs-pc-approval"
    title = "A vendor of a clinical supply or a reference lab needs the PC's approval"


class PcApprovalNotInForce(Conflict):
    """The PC approval a clinical-supply contract rests on is not (or no longer) approved."""

    code = "pc-approval-not-in-force"
    title = "The PC approval this contract rests on is not in force"


class ContractTerminated(Conflict):
    code = "contract-terminated"
    title = "The contract is terminated"


class IncidentNotFound(NotFound):
    code = "facility-incident-not-found"
    title = "No such facility incident"


class InvalidIncident(RuleViolation):
    code = "invalid-facility-incident"
    title = "The incident's times or details are not valid"


class IncidentAlreadyResolved(Conflict):
    code = "facility-incident-resolved"
    title = "The incident is resolved already"


class DowntimeNotFound(NotFound):
    code = "downtime-window-not-found"
    title = "No such downtime window"


class InvalidDowntime(RuleViolation):
    code = "invalid-downtime-window"
    title = "The downtime window's times are not valid"


class DowntimeNotOpen(Conflict):
    code = "downtime-window-not-open"
    title = "The downtime window is not open"


class DowntimeWithdrawn(Conflict):
    code = "downtime-window-withdrawn"
    title = "The downtime window was withdrawn"
