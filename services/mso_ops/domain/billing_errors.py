"""Errors of billing administration: claims, the MSA fee schedule and fee invoices."""

from __future__ import annotations

from mhg.errors import AlreadyExists, Conflict, NotFound, RuleViolation


class ClaimNotFound(NotFound):
    code = "claim-not-found"
    title = "No such claim"


class ClaimAlreadySubmitted(AlreadyExists):
    code = "claim-already-submitted"
    title = "This payer's claim number is submitted already"


class InvalidClaim(RuleViolation):
    code = "invalid-claim"
    title = "The claim's site, service line or amounts break a rule of billing"


class InvalidClaimDate(RuleViolation):
    code = "invalid-claim-date"
    title = "A claim's dates run in order and never past today"


class InvalidClaimTransition(Conflict):
    code = "invalid-claim-transition"
    title = "The claim's status does not allow this step"


class RefundExceedsPayment(RuleViolation):
    code = "refund-exceeds-payment"
    title = "Refunds on a claim cannot exceed what was paid on it"


class FeeScheduleNotFound(NotFound):
    code = "fee-schedule-not-found"
    title = "No MSA fee schedule has been recorded yet"


class FeeScheduleVersionNotFound(NotFound):
    code = "fee-schedule-version-not-found"
    title = "No such version of the fee schedule"


class InvalidFeeSchedule(RuleViolation):
    code = "invalid-fee-schedule"
    title = "The fee schedule's kind, terms, dates or fair-market-value basis are not valid"


class ReferralBasedFeeTerm(RuleViolation):
    """A management fee may not vary with referrals or the volume of patients referred."""

    code = "referral-based-fee-term"
    title = "A fee term based on referrals or referral volume is not allowed"


class FeeScheduleVersionOutOfOrder(Conflict):
    code = "fee-schedule-version-out-of-order"
    title = "A new version must take effect after every earlier version and invoiced month"


class NoFeeScheduleInForce(Conflict):
    code = "no-fee-schedule-in-force"
    title = "No version of the fee schedule is in force for that month"


class InvoiceNotFound(NotFound):
    code = "invoice-not-found"
    title = "No such fee invoice"


class InvalidInvoiceCorrection(RuleViolation):
    code = "invalid-invoice-correction"
    title = "A correction states its reason"


class InvoiceSuperseded(Conflict):
    code = "invoice-superseded"
    title = "The invoice was corrected already: correct its latest revision"


class InvoiceUnchanged(Conflict):
    code = "invoice-unchanged"
    title = "Recomputing the invoice gives the same fee from the same basis: nothing to correct"


class FeeScheduleNotCountersigned(Conflict):
    code = "fee-schedule-not-countersigned"
    title = "The fee schedule version for that month awaits the PC's countersignature"


class FeeScheduleAnswerConflict(Conflict):
    code = "fee-schedule-answer-conflict"
    title = "The PC's answer does not match the proposed version, or it was answered already"


class InvoiceAnswerConflict(Conflict):
    code = "invoice-answer-conflict"
    title = "The PC's answer does not match the invoice, or it was answered already"
