"""The PC's side of the Management Services Agreement: fee schedule versions and invoices.

The MSO proposes each version of the fee schedule and issues each month's invoice; both
arrive here through its feed and are kept as received. The PC answers each exactly once,
as a decision with its own id: a version is countersigned (then the MSO may invoice
with it) or declined; an invoice is accepted or disputed. A refusal or a dispute states
its reason. An invoice the MSO has corrected is superseded by its next revision and is
no longer answered: the correction is.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Protocol
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from contracts.v1.msa_fee import InvoiceContent, MsaAnswer, ScheduleBasis
from mhg.meta import Meta
from services.pc_governance.domain.msa_errors import (
    AnswerNamesAnotherSubject,
    AnswerReasonRequired,
    FeeScheduleProposalAnswered,
    MsaInvoiceAnswered,
    MsaInvoiceSuperseded,
)

ISSUED = "issued"
SUPERSEDED = "superseded"
_NAMESPACE = uuid.UUID("4e2b7c90-1d6a-4f35-8b0e-93c5a7d2f164")


Answer = MsaAnswer


def _reason(reason: str | None, required: bool) -> str | None:
    text = (reason or "").strip()
    if required and not text:
        raise AnswerReasonRequired("state the reason", field="reason")
    return text or None


class _Answered(Protocol):
    answer: Answer | None


def _record_answer(
    self: _Answered,
    answer: str,
    reason: str | None,
    decision_id: UUID,
    answered_at: datetime,
    subject: dict[str, Any],
    meta: Meta,
) -> None:
    """The "Answered" event of either aggregate (each declares its own, so each keeps its
    topic); `subject` names what was answered, for the message that carries the answer."""
    self.answer = Answer(answer, reason, decision_id, meta.actor_id, meta.actor_role, answered_at)


class AnswerGiven(Aggregate.Event):
    """What either aggregate's "Answered" event records (see `_record_answer`)."""

    answer: str
    reason: str | None
    decision_id: UUID
    answered_at: datetime
    subject: dict[str, Any]
    meta: Meta


def _answered_already(answer: Answer | None) -> str | None:
    if answer is None:
        return None
    return f"{answer.answer} already by decision {answer.decision_id}"


class FeeScheduleProposal(Aggregate):
    """One version of the MSA fee schedule, as the MSO proposed it."""

    @staticmethod
    def create_id(schedule_version: int) -> UUID:
        return uuid.uuid5(_NAMESPACE, f"fee-schedule|{schedule_version}")

    class Received(ScheduleBasis, Aggregate.Created):
        effective_from: date
        proposed_at: datetime
        meta: Meta

    @event(Received)
    def __init__(
        self,
        id: UUID,
        schedule_version: int,
        effective_from: date,
        schedule_kind: str,
        terms: dict[str, Any],
        fmv_basis: dict[str, Any],
        proposed_at: datetime,
        meta: Meta,
    ) -> None:
        self.schedule_version = schedule_version
        self.effective_from = effective_from
        self.schedule_kind = schedule_kind
        self.terms = dict(terms)
        self.fmv_basis = dict(fmv_basis)
        self.proposed_at = proposed_at
        self.answer: Answer | None = None

    class Answered(AnswerGiven):
        pass

    _answered = event(Answered)(_record_answer)

    def decide(
        self,
        *,
        countersign: bool,
        reason: str | None,
        decision_id: UUID,
        at: datetime,
        meta: Meta,
        effective_from: date | None = None,
    ) -> None:
        """A countersignature names the day the version takes effect: it signs that one."""
        if (answered := _answered_already(self.answer)) is not None:
            raise FeeScheduleProposalAnswered(f"version {self.schedule_version} was {answered}")
        if countersign and effective_from != self.effective_from:
            raise AnswerNamesAnotherSubject(
                f"version {self.schedule_version} takes effect on {self.effective_from}, "
                f"not {effective_from}",
                field="effective_from",
            )
        self._answered(
            answer="countersigned" if countersign else "declined",
            reason=_reason(reason, required=not countersign),
            decision_id=decision_id,
            answered_at=at,
            subject={
                "schedule_version": self.schedule_version,
                "effective_from": self.effective_from,
            },
            meta=meta,
        )


class MsaInvoice(Aggregate):
    """One revision of a month's MSA fee invoice, with its computation, as issued."""

    class Received(InvoiceContent, Aggregate.Created):
        issued_at: datetime
        meta: Meta

    @event(Received)
    def __init__(
        self,
        id: UUID,
        month: date,
        revision: int,
        corrects_invoice_id: UUID | None,
        correction_reason: str | None,
        schedule_version: int,
        schedule_kind: str,
        terms: dict[str, Any],
        fmv_basis: dict[str, Any],
        payments: Decimal,
        refunds: Decimal,
        net_collections: Decimal,
        lines: list[dict[str, Any]],
        fee: Decimal,
        issued_at: datetime,
        meta: Meta,
    ) -> None:
        self.month = month
        self.revision = revision
        self.corrects_invoice_id = corrects_invoice_id
        self.correction_reason = correction_reason
        self.schedule_version = schedule_version
        self.schedule_kind = schedule_kind
        self.terms = dict(terms)
        self.fmv_basis = dict(fmv_basis)
        self.payments = payments
        self.refunds = refunds
        self.net_collections = net_collections
        self.lines = [dict(line) for line in lines]
        self.fee = fee
        self.issued_at = issued_at
        self.status = ISSUED
        self.superseded_by: UUID | None = None
        self.answer: Answer | None = None

    @property
    def computation_checks(self) -> dict[str, bool]:
        """What the PC can check from the invoice alone."""
        floor_zero = max(self.payments - self.refunds, Decimal(0))
        return {
            "net_collections_are_payments_less_refunds": self.net_collections
            in (self.payments - self.refunds, floor_zero),
            "lines_sum_to_fee": sum((Decimal(line["amount"]) for line in self.lines), Decimal(0))
            == self.fee,
        }

    def supersede(self, *, by: UUID, meta: Meta) -> None:
        if self.status == ISSUED:
            self._superseded(superseded_by=by, meta=meta)

    class Superseded(Aggregate.Event):
        superseded_by: UUID
        meta: Meta

    @event(Superseded)
    def _superseded(self, superseded_by: UUID, meta: Meta) -> None:
        self.status = SUPERSEDED
        self.superseded_by = superseded_by

    class Answered(AnswerGiven):
        pass

    _answered = event(Answered)(_record_answer)

    def decide(
        self,
        *,
        accept: bool,
        reason: str | None,
        decision_id: UUID,
        at: datetime,
        meta: Meta,
        fee: Decimal | None = None,
    ) -> None:
        """An acceptance names the fee it accepts: the one this revision charges."""
        if (answered := _answered_already(self.answer)) is not None:
            raise MsaInvoiceAnswered(
                f"revision {self.revision} of {self.month:%Y-%m} was {answered}"
            )
        if self.status == SUPERSEDED:
            raise MsaInvoiceSuperseded(
                f"revision {self.revision} was corrected by {self.superseded_by}",
                superseded_by=str(self.superseded_by),
            )
        if accept and fee != self.fee:
            raise AnswerNamesAnotherSubject(
                f"revision {self.revision} of {self.month:%Y-%m} charges {self.fee}, not {fee}",
                field="fee",
            )
        self._answered(
            answer="accepted" if accept else "disputed",
            reason=_reason(reason, required=not accept),
            decision_id=decision_id,
            answered_at=at,
            subject={"month": self.month, "revision": self.revision},
            meta=meta,
        )
