"""The MSA fee: the versioned fee schedule, and the monthly invoice issued to the PC.

Net collections are read from the claims' own events (payments and refunds dated in
the month), not from a read model that may lag, so an invoice is computed from what
is on record when it is issued; a payment recorded later is what a correction is for.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from eventsourcing.persistence import Tracking
from eventsourcing.utils import get_topic

from mhg.errors import ConcurrentUpdate, StaleVersion
from mhg.eventstore import ServiceApplication
from mhg.meta import Meta
from services.mso_ops.application import clock
from services.mso_ops.application.claims import ClaimCommands
from services.mso_ops.domain.billing_errors import (
    FeeScheduleAnswerConflict,
    FeeScheduleNotFound,
    InvoiceNotFound,
    NoFeeScheduleInForce,
)
from services.mso_ops.domain.claim import Claim
from services.mso_ops.domain.fee_schedule import (
    FeeSchedule,
    FmvBasis,
    ScheduleVersion,
    first_of_month,
)
from services.mso_ops.domain.fee_schedule_answer import FeeScheduleAnswer
from services.mso_ops.domain.invoice import Collections, Invoice, PcAnswer
from services.mso_ops.domain.msa_fee import ZERO
from services.mso_ops.domain.performance_errors import MonthNotOver

_PAGE = 500


@dataclass(eq=False)
class MsaFeeCommands:
    """The fee schedule and invoices; built on the claim commands for net collections."""

    store: ServiceApplication
    claims: ClaimCommands

    def fee_schedule(self) -> FeeSchedule:
        return self.store.load_as(
            FeeSchedule, FeeSchedule.ID, FeeScheduleNotFound, "no fee schedule is recorded"
        )

    def fee_schedule_exists(self) -> bool:
        return FeeSchedule.ID in self.store.repository

    def add_fee_schedule_version(
        self,
        *,
        effective_from: date,
        kind: str,
        terms: Mapping[str, object],
        fmv: FmvBasis,
        expected_version: int | None,
        meta: Meta,
    ) -> tuple[FeeSchedule, ScheduleVersion]:
        if self.fee_schedule_exists():
            schedule = self.fee_schedule()
            self.store.check_version(schedule, expected_version)
        elif expected_version is not None:
            raise StaleVersion(
                "no fee schedule is recorded yet: add the first version without If-Match",
                current_version=0,
            )
        else:
            schedule = FeeSchedule.open(meta)
        version = schedule.add_version(
            effective_from=effective_from,
            kind=kind,
            terms=terms,
            fmv=fmv,
            invoiced_through=self.last_invoiced_month(),
            today=clock.today(),
            meta=meta,
        )
        self.store.record(schedule)
        return schedule, version

    def resend_fee_schedule_proposal(
        self, number: int, *, expected_version: int | None, meta: Meta
    ) -> tuple[FeeSchedule, ScheduleVersion]:
        """Publish a version the PC has not answered to it again."""
        schedule = self.fee_schedule()
        self.store.check_version(schedule, expected_version)
        if (answer := self.fee_schedule_answer(number)) is not None:
            raise FeeScheduleAnswerConflict(f"the PC {answer.answer} version {number} already")
        version = schedule.resend_proposal(number, meta=meta)
        self.store.record(schedule)
        return schedule, version

    def net_collections(self, month: date) -> Collections:
        start = first_of_month(month)
        payments, refunds = ZERO, ZERO
        for event in self.claims.collection_events():
            if first_of_month(event.on) != start:
                continue
            if isinstance(event, Claim.Paid):
                payments += event.amount
            else:
                refunds += event.amount
        return Collections(payments=payments, refunds=refunds)

    def invoice(self, invoice_id: UUID) -> Invoice:
        return self.store.load_as(Invoice, invoice_id, InvoiceNotFound, f"no invoice {invoice_id}")

    def current_invoice(self, month: date) -> Invoice | None:
        """The latest revision of the month's invoice, if the month is invoiced."""
        revision = 0
        while Invoice.create_id(month, revision + 1) in self.store.repository:
            revision += 1
        return self.invoice(Invoice.create_id(month, revision)) if revision else None

    def issue_invoice(self, *, month: date, meta: Meta) -> tuple[Invoice, bool]:
        """The month's invoice, issued now (True) or as issued before (False)."""
        month = first_of_month(month)
        if month >= first_of_month(clock.today()):
            raise MonthNotOver(f"{month:%Y-%m} has not ended yet", field="month")
        current = self.current_invoice(month)
        if current is not None:
            return current, False
        version = self.countersigned_in_force(month)
        invoice = Invoice.issue(
            month=month, version=version, collections=self.net_collections(month), meta=meta
        )
        try:
            self.store.record(invoice)
        except ConcurrentUpdate:  # issued by a concurrent request: that one is the invoice
            current = self.current_invoice(month)
            if current is None:  # pragma: no cover - the conflict was on this very id
                raise
            return current, False
        return invoice, True

    def correct_invoice(
        self, invoice_id: UUID, *, reason: str, expected_version: int | None, meta: Meta
    ) -> Invoice:
        original = self.invoice(invoice_id)
        self.store.check_version(original, expected_version)
        corrected = original.correct(
            version=self.countersigned_in_force(original.month),
            collections=self.net_collections(original.month),
            reason=reason,
            meta=meta,
        )
        self.store.record(original, corrected)
        return corrected

    def last_invoiced_month(self) -> date | None:
        """The latest month with an invoice, from the log itself."""
        topic = get_topic(Invoice.Issued)
        latest: date | None = None
        after = 0
        while True:
            page = self.store.recorder.select_notifications(
                start=after, limit=_PAGE, topics=[topic], inclusive_of_start=False
            )
            for notification in page:
                issued = self.store.decode(notification)
                if isinstance(issued, Invoice.Issued):  # the topic selects only these
                    month = issued.month
                    latest = month if latest is None else max(latest, month)
            if len(page) < _PAGE:
                return latest
            after = page[-1].id

    def fee_schedule_answer(self, schedule_version: int) -> FeeScheduleAnswer | None:
        """The PC's answer to a proposed version, if one has arrived."""
        answer_id = FeeScheduleAnswer.create_id(schedule_version)
        if answer_id not in self.store.repository:
            return None
        answer: FeeScheduleAnswer = self.store.repository.get(answer_id)
        return answer

    def fee_schedule_answers(self) -> dict[int, FeeScheduleAnswer]:
        """The PC's answers to the schedule's versions, by version number."""
        found = (self.fee_schedule_answer(v.number) for v in self.fee_schedule().versions)
        return {answer.schedule_version: answer for answer in found if answer is not None}

    def countersigned_in_force(self, month: date) -> ScheduleVersion:
        """The version invoices of the month use (the PC's answers weighed by the schedule)."""
        if not self.fee_schedule_exists():
            raise NoFeeScheduleInForce("no fee schedule is recorded: add its first version")
        answers = {number: a.answer for number, a in self.fee_schedule_answers().items()}
        return self.fee_schedule().countersigned_in_force(month, answers)

    def record_fee_schedule_answer(
        self,
        *,
        schedule_version: int,
        effective_from: date,
        answer: PcAnswer,
        meta: Meta,
        tracking: Tracking,
    ) -> FeeScheduleAnswer:
        """The PC's countersignature or refusal, from its feed, with the position consumed."""
        versions = self.fee_schedule().versions
        if not 1 <= schedule_version <= len(versions):
            raise FeeScheduleAnswerConflict(f"no version {schedule_version} was proposed")
        if self.fee_schedule_answer(schedule_version) is not None:
            raise FeeScheduleAnswerConflict(f"version {schedule_version} is answered already")
        recorded = FeeScheduleAnswer.record(
            schedule_version=schedule_version,
            proposed_from=versions[schedule_version - 1].effective_from,
            effective_from=effective_from,
            answer=answer,
            meta=meta,
        )
        self.store.record(recorded, tracking=tracking)
        return recorded

    def record_invoice_answer(
        self, invoice_id: UUID, *, revision: int, answer: PcAnswer, meta: Meta, tracking: Tracking
    ) -> Invoice:
        """The PC's acceptance or dispute of an invoice, from its feed."""
        invoice = self.invoice(invoice_id)
        invoice.record_pc_answer(revision=revision, answer=answer, meta=meta)
        self.store.record(invoice, tracking=tracking)
        return invoice
