"""Forms: the minimum patient data, the steps, their times, and the overdue rule."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from mhg.errors import Conflict, RuleViolation
from mhg.meta import Meta
from services.mso_ops.domain import form as status
from services.mso_ops.domain.form import Form, LinkedAppointment
from services.mso_ops.domain.form_errors import InvalidFormRequest, InvalidFormTransition
from services.mso_ops.domain.timeline import StepTimeInFuture, StepTimeOutOfOrder

NOW = datetime(2027, 8, 2, 17, 0, tzinfo=UTC)
RECEIVED = NOW - timedelta(days=3)
SITE = uuid.UUID(int=0x51E)
CLINICIAN = uuid.UUID(int=0xC)
PATIENT = {"name": " Pat Doe ", "date_of_birth": "2010-04-01", "contact": "555-0100"}


def meta() -> Meta:
    return Meta("sam", "mso_scheduler", "mso", uuid.uuid4().hex, "corr", "cause")


def requested(**overrides: Any) -> Form:
    values: dict[str, Any] = {
        "form_id": uuid.uuid4(),
        "site_id": SITE,
        "service_line": "sports_clearance",
        "kind": "sports_clearance",
        "requester_kind": "school",
        "requester_name": "Eastside High athletics",
        "patient": PATIENT,
        "appointment": None,
        "due_on": date(2027, 8, 15),
        "received_at": RECEIVED,
        "now": NOW,
        "meta": meta(),
        **overrides,
    }
    return Form.request(**values)


def signed() -> Form:
    form = requested()
    form.prepare(at=RECEIVED + timedelta(hours=1), now=NOW, meta=meta())
    form.record_signature(
        clinician_id=CLINICIAN, signed_at=RECEIVED + timedelta(days=1), now=NOW, meta=meta()
    )
    return form


def test_a_request_keeps_the_minimum_patient_data_and_its_requester() -> None:
    appointment = LinkedAppointment(uuid.uuid4(), SITE, "sports_clearance")
    form = requested(appointment=appointment)
    assert form.status == status.REQUESTED
    assert form.patient == {"name": "Pat Doe", "date_of_birth": "2010-04-01", "contact": "555-0100"}
    assert (form.requester_kind, form.requester_name) == ("school", "Eastside High athletics")
    assert form.appointment_id == appointment.appointment_id
    assert form.received_at == RECEIVED
    [event] = list(form.collect_events())
    assert type(event).__name__ == "Requested"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"kind": "mri_report"}, "kind"),
        ({"requester_kind": "parent"}, "requested_by"),
        ({"requester_name": "  "}, "requested_by"),
        ({"patient": {**PATIENT, "diagnosis": "asthma"}}, "patient"),
        ({"patient": {"name": "Pat", "date_of_birth": "2010-04-01"}}, "patient"),
        ({"patient": {**PATIENT, "contact": " "}}, "patient"),
        ({"patient": {**PATIENT, "date_of_birth": "2027-09-01"}}, "patient.date_of_birth"),
        ({"patient": {**PATIENT, "date_of_birth": "April 1"}}, "patient.date_of_birth"),
        ({"due_on": date(2027, 7, 29)}, "due_on"),
        (
            {"appointment": LinkedAppointment(uuid.uuid4(), uuid.uuid4(), "sports_clearance")},
            "appointment_id",
        ),
        ({"appointment": LinkedAppointment(uuid.uuid4(), SITE, "school_physical")}, "service_line"),
        ({"service_line": "cardiology"}, "service_line"),
    ],
    ids=[
        "unknown kind",
        "unknown requester",
        "blank requester",
        "clinical content",
        "missing contact",
        "blank contact",
        "born after the request",
        "birth date not a date",
        "due before received",
        "appointment elsewhere",
        "appointment for another line",
        "unknown service line",
    ],
)
def test_a_request_that_breaks_a_rule_names_the_field(
    overrides: dict[str, Any], field: str
) -> None:
    with pytest.raises(InvalidFormRequest) as refused:
        requested(**overrides)
    assert isinstance(refused.value, RuleViolation)
    assert refused.value.extensions == {"field": field}


def test_a_request_cannot_be_received_in_the_future() -> None:
    with pytest.raises(StepTimeInFuture):
        requested(received_at=NOW + timedelta(hours=1))


def test_prepared_signed_delivered_each_with_its_time_and_the_signer_by_reference() -> None:
    form = signed()
    assert (form.status, form.signed_by) == (status.SIGNED, CLINICIAN)
    form.deliver(at=NOW, method="portal", now=NOW, meta=meta())
    assert (form.status, form.delivered_at, form.delivery_method) == (
        status.DELIVERED,
        NOW,
        "portal",
    )
    names = [type(e).__name__ for e in form.collect_events()]
    assert names == ["Requested", "Prepared", "SignatureRecorded", "Delivered"]


def test_no_step_before_the_one_it_follows() -> None:
    form = requested()
    with pytest.raises(StepTimeOutOfOrder):
        form.prepare(at=RECEIVED - timedelta(minutes=1), now=NOW, meta=meta())
    form.prepare(at=RECEIVED + timedelta(hours=2), now=NOW, meta=meta())
    with pytest.raises(StepTimeOutOfOrder) as refused:
        form.record_signature(
            clinician_id=CLINICIAN, signed_at=RECEIVED + timedelta(hours=1), now=NOW, meta=meta()
        )
    assert refused.value.extensions == {"field": "signed_at"}
    assert form.status == status.PREPARED


def test_signing_needs_a_prepared_form_and_delivery_a_signed_one() -> None:
    form = requested()
    with pytest.raises(InvalidFormTransition) as refused:
        form.record_signature(clinician_id=CLINICIAN, signed_at=NOW, now=NOW, meta=meta())
    assert isinstance(refused.value, Conflict)
    assert refused.value.extensions == {"current_status": "requested"}
    with pytest.raises(InvalidFormTransition):
        form.deliver(at=NOW, method="email", now=NOW, meta=meta())


def test_an_unknown_delivery_method_is_refused() -> None:
    with pytest.raises(InvalidFormRequest):
        signed().deliver(at=NOW, method="pigeon", now=NOW, meta=meta())


def test_a_delivered_form_cannot_be_cancelled_but_an_open_one_can() -> None:
    form = signed()
    form.cancel(reason="athlete withdrew", meta=meta())
    assert (form.status, form.cancellation_reason) == (status.CANCELLED, "athlete withdrew")
    delivered = signed()
    delivered.deliver(at=NOW, method="email", now=NOW, meta=meta())
    with pytest.raises(InvalidFormTransition):
        delivered.cancel(reason="late", meta=meta())


def test_a_form_is_overdue_after_its_due_date_until_delivered_or_cancelled() -> None:
    form = signed()
    assert not form.overdue_on(date(2027, 8, 15))
    assert form.overdue_on(date(2027, 8, 16))
    form.deliver(at=NOW, method="email", now=NOW, meta=meta())
    assert not form.overdue_on(date(2027, 8, 16))
    cancelled = requested()
    cancelled.cancel(reason="duplicate", meta=meta())
    assert not cancelled.overdue_on(date(2027, 9, 1))
