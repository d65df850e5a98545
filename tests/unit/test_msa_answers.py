"""The MSA's two sides as pure rules: the PC answers once, with a reason when it refuses,
naming what it decides; the MSO records each answer once, for the revision it names."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mhg.meta import Meta
from services.mso_ops.domain.billing_errors import (
    FeeScheduleAnswerConflict,
    FeeScheduleNotCountersigned,
    InvoiceAnswerConflict,
    NoFeeScheduleInForce,
)
from services.mso_ops.domain.fee_schedule import FeeSchedule, FmvBasis
from services.mso_ops.domain.fee_schedule_answer import FeeScheduleAnswer
from services.mso_ops.domain.invoice import Collections, Invoice, PcAnswer
from services.pc_governance.domain.msa import FeeScheduleProposal, MsaInvoice
from services.pc_governance.domain.msa_errors import (
    AnswerNamesAnotherSubject,
    AnswerReasonRequired,
    FeeScheduleProposalAnswered,
    MsaInvoiceAnswered,
    MsaInvoiceSuperseded,
)

NOW = datetime(2027, 3, 2, 9, tzinfo=UTC)
MD = Meta("dr-md", "medical_director", "pc", "r", "c", "k")
MSO = Meta("bo", "mso_billing", "mso", "r", "c", "k")


def pc_invoice(lines: list[dict[str, Any]] | None = None, fee: str = "15000.00") -> MsaInvoice:
    return MsaInvoice(
        id=uuid.uuid4(),
        month=date(2027, 2, 1),
        revision=1,
        corrects_invoice_id=None,
        correction_reason=None,
        schedule_version=1,
        schedule_kind="fixed_monthly",
        terms={"monthly_amount": Decimal("15000.00")},
        fmv_basis={"assessed_by": "V", "assessed_on": date(2026, 11, 2), "document_ref": "F"},
        payments=Decimal("100.00"),
        refunds=Decimal("10.00"),
        net_collections=Decimal("90.00"),
        lines=lines
        if lines is not None
        else [{"code": "fixed_monthly", "description": "Fixed", "amount": Decimal(fee)}],
        fee=Decimal(fee),
        issued_at=NOW,
        meta=MSO,
    )


def proposal() -> FeeScheduleProposal:
    return FeeScheduleProposal(
        id=FeeScheduleProposal.create_id(1),
        schedule_version=1,
        effective_from=date(2027, 1, 1),
        schedule_kind="fixed_monthly",
        terms={"monthly_amount": Decimal("15000.00")},
        fmv_basis={"assessed_by": "V", "assessed_on": date(2026, 11, 2), "document_ref": "F"},
        proposed_at=NOW,
        meta=MSO,
    )


def test_a_dispute_states_its_reason_and_an_invoice_is_answered_once() -> None:
    invoice = pc_invoice()
    for reason in (None, "", "   "):
        with pytest.raises(AnswerReasonRequired):
            invoice.decide(accept=False, reason=reason, decision_id=uuid.uuid4(), at=NOW, meta=MD)
    assert invoice.answer is None
    decision = uuid.uuid4()
    invoice.decide(accept=False, reason=" refunds missing ", decision_id=decision, at=NOW, meta=MD)
    assert invoice.answer is not None
    assert (invoice.answer.answer, invoice.answer.reason) == ("disputed", "refunds missing")
    assert (invoice.answer.decision_id, invoice.answer.answered_by) == (decision, "dr-md")
    with pytest.raises(MsaInvoiceAnswered):
        invoice.decide(
            accept=True, reason=None, decision_id=uuid.uuid4(), at=NOW, meta=MD, fee=invoice.fee
        )


def test_an_acceptance_names_the_fee_and_a_superseded_revision_is_not_answered() -> None:
    invoice = pc_invoice()
    with pytest.raises(AnswerNamesAnotherSubject):
        invoice.decide(accept=True, reason=None, decision_id=uuid.uuid4(), at=NOW, meta=MD)
    invoice.supersede(by=uuid.uuid4(), meta=MSO)
    with pytest.raises(MsaInvoiceSuperseded):
        invoice.decide(
            accept=True, reason=None, decision_id=uuid.uuid4(), at=NOW, meta=MD, fee=invoice.fee
        )
    fresh = pc_invoice()
    fresh.decide(
        accept=True, reason=None, decision_id=uuid.uuid4(), at=NOW, meta=MD, fee=Decimal("15000")
    )
    assert fresh.answer is not None
    assert fresh.answer.answer == "accepted"


def test_a_countersignature_names_the_day_and_a_refusal_its_reason() -> None:
    with pytest.raises(AnswerNamesAnotherSubject):
        proposal().decide(
            countersign=True,
            reason=None,
            decision_id=uuid.uuid4(),
            at=NOW,
            meta=MD,
            effective_from=date(2027, 2, 1),
        )
    with pytest.raises(AnswerReasonRequired):
        proposal().decide(countersign=False, reason="", decision_id=uuid.uuid4(), at=NOW, meta=MD)
    signed = proposal()
    signed.decide(
        countersign=True,
        reason=None,
        decision_id=uuid.uuid4(),
        at=NOW,
        meta=MD,
        effective_from=date(2027, 1, 1),
    )
    with pytest.raises(FeeScheduleProposalAnswered):
        signed.decide(countersign=False, reason="no", decision_id=uuid.uuid4(), at=NOW, meta=MD)


amounts = st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False)


@given(st.lists(amounts, min_size=1, max_size=4), amounts)
def test_the_pc_checks_that_the_lines_sum_to_the_fee(parts: list[Decimal], fee: Decimal) -> None:
    lines = [{"code": f"l{i}", "description": "", "amount": a} for i, a in enumerate(parts)]
    invoice = pc_invoice(lines, str(fee))
    assert invoice.computation_checks["lines_sum_to_fee"] is (sum(parts) == fee)
    assert invoice.computation_checks["net_collections_are_payments_less_refunds"]


def mso_invoice() -> Invoice:
    schedule = FeeSchedule.open(MSO)
    version = schedule.add_version(
        effective_from=date(2027, 1, 1),
        kind="fixed_monthly",
        terms={"monthly_amount": Decimal("15000.00")},
        fmv=FmvBasis("V", date(2026, 11, 2), "F"),
        invoiced_through=None,
        today=date(2027, 3, 1),
        meta=MSO,
    )
    return Invoice.issue(
        month=date(2027, 2, 1),
        version=version,
        collections=Collections(Decimal(0), Decimal(0)),
        meta=MSO,
    )


def test_the_mso_records_an_answer_once_for_the_revision_it_names() -> None:
    invoice = mso_invoice()
    answer = PcAnswer("disputed", "why", uuid.uuid4(), "dr-md", "medical_director", NOW)
    with pytest.raises(InvoiceAnswerConflict):
        invoice.record_pc_answer(revision=2, answer=answer, meta=MD)
    invoice.record_pc_answer(revision=1, answer=answer, meta=MD)
    assert invoice.pc_answer == answer
    with pytest.raises(InvoiceAnswerConflict):
        invoice.record_pc_answer(revision=1, answer=answer, meta=MD)


def test_the_mso_refuses_an_answer_for_another_day_than_proposed() -> None:
    answer = PcAnswer("countersigned", None, uuid.uuid4(), "dr-md", "medical_director", NOW)
    fields: dict[str, Any] = {
        "schedule_version": 1,
        "proposed_from": date(2027, 1, 1),
        "answer": answer,
        "meta": MD,
    }
    with pytest.raises(FeeScheduleAnswerConflict):
        FeeScheduleAnswer.record(effective_from=date(2027, 2, 1), **fields)
    with pytest.raises(FeeScheduleAnswerConflict):
        FeeScheduleAnswer.record(
            effective_from=date(2027, 1, 1),
            **{**fields, "answer": replace(answer, answer="accepted")},
        )
    recorded = FeeScheduleAnswer.record(effective_from=date(2027, 1, 1), **fields)
    assert recorded.id == FeeScheduleAnswer.create_id(1)


@given(
    st.lists(st.sampled_from([None, "countersigned", "declined"]), min_size=1, max_size=6),
    st.integers(min_value=0, max_value=8),
)
def test_invoices_use_the_latest_countersigned_version_and_wait_for_an_unanswered_one(
    answered: list[str | None], month_index: int
) -> None:
    schedule = FeeSchedule.open(MSO)
    for i in range(len(answered)):
        schedule.add_version(
            effective_from=date(2027, 1 + i, 1),
            kind="fixed_monthly",
            terms={"monthly_amount": Decimal("100.00")},
            fmv=FmvBasis("V", date(2026, 11, 2), "F"),
            invoiced_through=None,
            today=date(2027, 12, 1),
            meta=MSO,
        )
    answers = {n: a for n, a in enumerate(answered, start=1) if a is not None}
    month = date(2027, 1 + month_index, 1) if month_index < 12 else date(2028, 1, 1)
    in_force = [v.number for v in schedule.versions if v.effective_from <= month]
    later_first = list(reversed(in_force))
    undeclined = [n for n in later_first if answers.get(n) != "declined"]
    if not undeclined:
        with pytest.raises(NoFeeScheduleInForce):
            schedule.countersigned_in_force(month, answers)
    elif undeclined[0] not in answers:
        with pytest.raises(FeeScheduleNotCountersigned):
            schedule.countersigned_in_force(month, answers)
    else:
        assert schedule.countersigned_in_force(month, answers).number == undeclined[0]
