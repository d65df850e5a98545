"""The MSA fee invoice: computed once per month, corrected only by a new revision."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from mhg.meta import Meta
from services.mso_ops.domain.billing_errors import (
    InvalidFeeSchedule,
    InvalidInvoiceCorrection,
    InvoiceSuperseded,
    InvoiceUnchanged,
)
from services.mso_ops.domain.fee_schedule import FeeSchedule, FmvBasis, ScheduleVersion
from services.mso_ops.domain.invoice import Collections, Invoice

FEB = date(2027, 2, 1)


def meta() -> Meta:
    return Meta("bo", "mso_billing", "mso", uuid.uuid4().hex, "corr", "cause")


def hybrid_version() -> ScheduleVersion:
    schedule = FeeSchedule.open(meta())
    return schedule.add_version(
        effective_from=date(2027, 1, 1),
        kind="hybrid",
        terms={
            "base_amount": Decimal("10000.00"),
            "percentage": Decimal("4.5"),
            "floor": Decimal("12000.00"),
        },
        fmv=FmvBasis("Valuation Partners LLC", date(2026, 11, 2), "FMV-2026-11"),
        invoiced_through=None,
        today=date(2027, 3, 15),
        meta=meta(),
    )


def issued(payments: str = "12345.67", refunds: str = "345.67") -> Invoice:
    return Invoice.issue(
        month=date(2027, 2, 17),
        version=hybrid_version(),
        collections=Collections(Decimal(payments), Decimal(refunds)),
        meta=meta(),
    )


def test_an_invoice_shows_its_basis_and_computation_and_is_named_by_its_month() -> None:
    invoice = issued()
    assert invoice.id == Invoice.create_id(FEB, 1)
    assert (invoice.month, invoice.revision, invoice.status) == (FEB, 1, "issued")
    assert invoice.net_collections == Decimal("12000.00")
    assert [(line["code"], line["amount"]) for line in invoice.lines] == [
        ("base_fee", Decimal("10000.00")),
        ("percentage_of_net_collections", Decimal("540.00")),
        ("floor_adjustment", Decimal("1460.00")),
    ]
    assert invoice.fee == Decimal("12000.00")
    assert invoice.fmv_basis["document_ref"] == "FMV-2026-11"
    assert invoice.terms == {
        "base_amount": Decimal("10000.00"),
        "percentage": Decimal("4.5"),
        "floor": Decimal("12000.00"),
    }


def test_a_version_not_yet_in_force_cannot_price_a_month() -> None:
    with pytest.raises(InvalidFeeSchedule):
        Invoice.issue(
            month=date(2026, 12, 1),
            version=hybrid_version(),
            collections=Collections(Decimal(0), Decimal(0)),
            meta=meta(),
        )


def test_a_correction_is_the_next_revision_referencing_the_original() -> None:
    original = issued()
    list(original.collect_events())
    corrected = original.correct(
        version=hybrid_version(),
        collections=Collections(Decimal("312345.67"), Decimal("345.67")),
        reason=" late payments ",
        meta=meta(),
    )
    assert corrected.id == Invoice.create_id(FEB, 2)
    assert (corrected.revision, corrected.corrects_invoice_id) == (2, original.id)
    assert corrected.correction_reason == "late payments"
    assert corrected.fee == Decimal("24040.00")  # 10000 + 4.5 % of 312000
    assert (original.status, original.superseded_by) == ("superseded", corrected.id)
    assert original.fee == Decimal("12000.00"), "the original is never edited"
    [superseded] = original.collect_events()
    assert type(superseded).__name__ == "Superseded"
    with pytest.raises(InvoiceSuperseded):
        original.correct(
            version=hybrid_version(),
            collections=Collections(Decimal(1), Decimal(0)),
            reason="again",
            meta=meta(),
        )


def test_nothing_to_correct_and_no_reason_are_refused_and_change_nothing() -> None:
    original = issued()
    events: list[Any] = list(original.collect_events())
    with pytest.raises(InvoiceUnchanged):
        original.correct(
            version=hybrid_version(),
            collections=Collections(Decimal("12345.67"), Decimal("345.67")),
            reason="check",
            meta=meta(),
        )
    with pytest.raises(InvalidInvoiceCorrection):
        original.correct(
            version=hybrid_version(),
            collections=Collections(Decimal(1), Decimal(0)),
            reason=" ",
            meta=meta(),
        )
    assert (original.status, list(original.collect_events())) == ("issued", [])
    rebuilt: Any = None
    for e in events:
        rebuilt = e.mutate(rebuilt)
    assert vars(rebuilt) == vars(original)
