"""The MSA fee invoice the MSO issues to the PC for one month.

A month is invoiced once (revision 1, its id fixed by the month). The invoice shows its
computation line by line: the schedule version in force and its fair-market-value
basis, the month's payments and refunds, net collections, then the fee's lines. It is
never edited: a correction is a new invoice, the next revision, that references the
one it corrects, which is marked superseded. A correction that would recompute the
same fee from the same basis is refused: there is nothing to correct.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from contracts.v1.msa_fee import InvoiceContent, MsaAnswer
from mhg.meta import Meta
from services.mso_ops.domain.billing_errors import (
    InvalidFeeSchedule,
    InvalidInvoiceCorrection,
    InvoiceAnswerConflict,
    InvoiceSuperseded,
    InvoiceUnchanged,
)
from services.mso_ops.domain.fee_schedule import ScheduleVersion, first_of_month
from services.mso_ops.domain.msa_fee import compute_monthly_fee

ISSUED = "issued"
SUPERSEDED = "superseded"
ANSWERS = ("accepted", "disputed")

_NAMESPACE = uuid.UUID("8b21f6d3-4c7e-4a09-9e5b-1d3f7a2c6e88")


@dataclass(frozen=True)
class Collections:
    """What was collected in a month: payments on claims, less refunds of payments."""

    payments: Decimal
    refunds: Decimal

    @property
    def net(self) -> Decimal:
        return self.payments - self.refunds


PcAnswer = MsaAnswer  # the PC's answer to an invoice revision or a fee schedule version


class Invoice(Aggregate):
    @staticmethod
    def create_id(month: date, revision: int) -> UUID:
        return uuid.uuid5(_NAMESPACE, f"{first_of_month(month):%Y-%m}|{revision}")

    @classmethod
    def issue(
        cls,
        *,
        month: date,
        version: ScheduleVersion,
        collections: Collections,
        meta: Meta,
        revision: int = 1,
        corrects: UUID | None = None,
        correction_reason: str | None = None,
    ) -> Invoice:
        month = first_of_month(month)
        if version.effective_from > month:
            raise InvalidFeeSchedule(f"version {version.number} is not in force in {month:%Y-%m}")
        computation = compute_monthly_fee(version.terms, collections.net)
        return cls(
            id=cls.create_id(month, revision),
            month=month,
            revision=revision,
            schedule_version=version.number,
            schedule_kind=version.kind,
            terms=version.terms.as_dict(),
            fmv_basis=version.fmv.as_dict(),
            payments=collections.payments,
            refunds=collections.refunds,
            net_collections=collections.net,
            lines=[line.as_dict() for line in computation.lines],
            fee=computation.fee,
            corrects_invoice_id=corrects,
            correction_reason=correction_reason,
            meta=meta,
        )

    class Issued(InvoiceContent, Aggregate.Created):
        meta: Meta

    @event(Issued)
    def __init__(
        self,
        id: UUID,
        month: date,
        revision: int,
        schedule_version: int,
        schedule_kind: str,
        terms: dict[str, Decimal],
        fmv_basis: dict[str, Any],
        payments: Decimal,
        refunds: Decimal,
        net_collections: Decimal,
        lines: list[dict[str, Any]],
        fee: Decimal,
        corrects_invoice_id: UUID | None,
        correction_reason: str | None,
        meta: Meta,
    ) -> None:
        self.month = month
        self.revision = revision
        self.schedule_version = schedule_version
        self.schedule_kind = schedule_kind
        self.terms = dict(terms)
        self.fmv_basis = dict(fmv_basis)
        self.payments = payments
        self.refunds = refunds
        self.net_collections = net_collections
        self.lines = [dict(line) for line in lines]
        self.fee = fee
        self.corrects_invoice_id = corrects_invoice_id
        self.correction_reason = correction_reason
        self.issued_by = meta.actor_id
        self.status = ISSUED
        self.superseded_by: UUID | None = None
        self.pc_answer: PcAnswer | None = None

    def correct(
        self, *, version: ScheduleVersion, collections: Collections, reason: str, meta: Meta
    ) -> Invoice:
        """The next revision, recomputed from the basis now on record; this one is superseded."""
        if not reason.strip():
            raise InvalidInvoiceCorrection("a correction states its reason", field="reason")
        if self.status != ISSUED:
            raise InvoiceSuperseded(
                f"revision {self.revision} was corrected by {self.superseded_by}",
                superseded_by=str(self.superseded_by),
            )
        if (version.number, collections.payments, collections.refunds) == (
            self.schedule_version,
            self.payments,
            self.refunds,
        ):
            raise InvoiceUnchanged(
                f"schedule version {version.number}, payments {collections.payments} and refunds "
                f"{collections.refunds} are what revision {self.revision} was computed from"
            )
        corrected = Invoice.issue(
            month=self.month,
            version=version,
            collections=collections,
            meta=meta,
            revision=self.revision + 1,
            corrects=self.id,
            correction_reason=reason.strip(),
        )
        self._superseded(superseded_by=corrected.id, reason=reason.strip(), meta=meta)
        return corrected

    class Superseded(Aggregate.Event):
        superseded_by: UUID
        reason: str
        meta: Meta

    @event(Superseded)
    def _superseded(self, superseded_by: UUID, reason: str, meta: Meta) -> None:
        self.status = SUPERSEDED
        self.superseded_by = superseded_by

    def record_pc_answer(self, *, revision: int, answer: PcAnswer, meta: Meta) -> None:
        """The PC accepted or disputed this revision (even if corrected since): once."""
        if answer.answer not in ANSWERS or revision != self.revision:
            raise InvoiceAnswerConflict(
                f"the answer names revision {revision} ({answer.answer}); this is revision "
                f"{self.revision}"
            )
        if self.pc_answer is not None:
            raise InvoiceAnswerConflict(
                f"revision {self.revision} was {self.pc_answer.answer} already "
                f"(decision {self.pc_answer.decision_id})"
            )
        self._pc_answered(meta=meta, **asdict(answer))

    class PcAnswered(PcAnswer, Aggregate.Event):
        meta: Meta

    @event(PcAnswered)
    def _pc_answered(
        self,
        answer: str,
        reason: str | None,
        decision_id: UUID,
        answered_by: str,
        answered_by_role: str,
        answered_at: datetime,
        meta: Meta,
    ) -> None:
        self.pc_answer = PcAnswer(
            answer, reason, decision_id, answered_by, answered_by_role, answered_at
        )
