"""Errors of the PC's side of the Management Services Agreement."""

from __future__ import annotations

from mhg.errors import Conflict, NotFound, RuleViolation


class MsaInvoiceNotFound(NotFound):
    code = "msa-invoice-not-found"
    title = "No such MSA fee invoice has arrived from the MSO"


class MsaInvoiceAnswered(Conflict):
    code = "msa-invoice-answered"
    title = "The PC has accepted or disputed this invoice already"


class MsaInvoiceSuperseded(Conflict):
    code = "msa-invoice-superseded"
    title = "The MSO corrected this invoice: answer its latest revision"


class InvalidMsaInvoice(RuleViolation):
    code = "invalid-msa-invoice"
    title = "The invoice message breaks a rule of the MSA"


class FeeScheduleProposalNotFound(NotFound):
    code = "fee-schedule-proposal-not-found"
    title = "No such fee schedule version has been proposed by the MSO"


class FeeScheduleProposalAnswered(Conflict):
    code = "fee-schedule-proposal-answered"
    title = "The PC has countersigned or declined this fee schedule version already"


class AnswerReasonRequired(RuleViolation):
    code = "answer-reason-required"
    title = "A dispute or a refusal states its reason"


class AnswerNamesAnotherSubject(RuleViolation):
    code = "answer-names-another-subject"
    title = "The answer names a fee or an effective day that is not the one proposed"
