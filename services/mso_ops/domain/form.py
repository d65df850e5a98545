"""A clearance or physical form a school, team or employer asked for, for one patient.

requested -> prepared -> signed -> delivered; cancelled from any state before delivery.
The signature is a PC clinician's act: the MSO records that it happened (which
clinician, by id, and when), it never signs. Patient data is the minimum the operation
needs (name, date of birth, contact), no clinical content, and it is never logged.
Every step carries the time it happened; the turnaround (request received -> delivered)
is computed from them, and a form is overdue when its due date passes undelivered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from contracts.v1.service_lines import SERVICE_LINES
from mhg.meta import Meta
from services.mso_ops.domain import cancellation
from services.mso_ops.domain.cancellation import Cancellation, record_cancellation
from services.mso_ops.domain.form_errors import InvalidFormRequest, InvalidFormTransition
from services.mso_ops.domain.site_time import local_day
from services.mso_ops.domain.timeline import step_time

FORM_KINDS = (
    "sports_clearance",
    "school_clearance",
    "school_physical",
    "community_physical",
    "employment_physical",
)
REQUESTER_KINDS = ("school", "team", "employer")
PATIENT_FIELDS = frozenset({"name", "date_of_birth", "contact"})
DELIVERY_METHODS = ("email", "portal", "fax", "mail", "in_person")

REQUESTED = "requested"
PREPARED = "prepared"
SIGNED = "signed"
DELIVERED = "delivered"
CANCELLED = cancellation.CANCELLED
STATUSES = (REQUESTED, PREPARED, SIGNED, DELIVERED, CANCELLED)
OPEN = (REQUESTED, PREPARED, SIGNED)


@dataclass(frozen=True)
class LinkedAppointment:
    """The appointment a form is for, as far as the form needs to know it."""

    appointment_id: UUID
    site_id: UUID
    service_line: str


class Form(Aggregate):
    @classmethod
    def request(
        cls,
        *,
        form_id: UUID,
        site_id: UUID,
        service_line: str,
        kind: str,
        requester_kind: str,
        requester_name: str,
        patient: dict[str, str],
        appointment: LinkedAppointment | None,
        due_on: date,
        received_at: datetime,
        now: datetime,
        meta: Meta,
        zone: str | None = None,
    ) -> Form:
        """A form as requested; its days (due, the request's) are days at the site (`zone`)."""
        if service_line not in SERVICE_LINES:
            raise InvalidFormRequest(
                f"service_line must be one of {', '.join(SERVICE_LINES)}", field="service_line"
            )
        if kind not in FORM_KINDS:
            raise InvalidFormRequest(f"kind must be one of {', '.join(FORM_KINDS)}", field="kind")
        if requester_kind not in REQUESTER_KINDS or not requester_name.strip():
            raise InvalidFormRequest(
                f"name the requester, a {', '.join(REQUESTER_KINDS)}", field="requested_by"
            )
        if set(patient) != PATIENT_FIELDS or not all(str(v).strip() for v in patient.values()):
            raise InvalidFormRequest(
                "patient data is exactly a name, a date of birth and a contact", field="patient"
            )
        if appointment is not None and appointment.site_id != site_id:
            raise InvalidFormRequest(
                "the appointment is at another site than the form", field="appointment_id"
            )
        if appointment is not None and appointment.service_line != service_line:
            raise InvalidFormRequest(
                f"the appointment is for {appointment.service_line}, not {service_line}",
                field="service_line",
            )
        received_at = step_time(received_at, now=now, step="received_at")
        received_on = local_day(received_at, zone)
        if due_on < received_on:
            raise InvalidFormRequest(
                f"the due date {due_on} is before the request was received", field="due_on"
            )
        if _birth_date(patient) > received_on:
            raise InvalidFormRequest(
                "the date of birth is after the request", field="patient.date_of_birth"
            )
        return cls(
            id=form_id,
            site_id=site_id,
            service_line=service_line,
            kind=kind,
            requester_kind=requester_kind,
            requester_name=requester_name.strip(),
            patient={k: str(v).strip() for k, v in patient.items()},
            appointment_id=appointment.appointment_id if appointment else None,
            due_on=due_on,
            received_at=received_at,
            meta=meta,
        )

    class Requested(Aggregate.Created):
        site_id: UUID
        service_line: str
        kind: str
        requester_kind: str
        requester_name: str
        patient: dict[str, str]
        appointment_id: UUID | None
        due_on: date
        received_at: datetime
        meta: Meta

    @event(Requested)
    def __init__(
        self,
        id: UUID,
        site_id: UUID,
        service_line: str,
        kind: str,
        requester_kind: str,
        requester_name: str,
        patient: dict[str, str],
        appointment_id: UUID | None,
        due_on: date,
        received_at: datetime,
        meta: Meta,
    ) -> None:
        self.site_id = site_id
        self.service_line = service_line
        self.kind = kind
        self.requester_kind = requester_kind
        self.requester_name = requester_name
        self.patient = dict(patient)
        self.appointment_id = appointment_id
        self.due_on = due_on
        self.received_at = received_at
        self.status = REQUESTED
        self.prepared_at: datetime | None = None
        self.signed_at: datetime | None = None
        self.signed_by: UUID | None = None
        self.delivered_at: datetime | None = None
        self.delivery_method: str | None = None
        self.cancellation_reason: str | None = None

    def overdue_on(self, day: date) -> bool:
        return self.status in OPEN and day > self.due_on

    def _require(self, statuses: tuple[str, ...], step: str) -> None:
        if self.status not in statuses:
            raise InvalidFormTransition(
                f"the form is {self.status}; it cannot be {step}", current_status=self.status
            )

    # commands
    def prepare(self, *, at: datetime, now: datetime, meta: Meta) -> None:
        self._require((REQUESTED,), "prepared")
        at = step_time(at, now=now, after=self.received_at, step="at", previous="the request")
        self._prepared(at=at, meta=meta)

    def record_signature(
        self, *, clinician_id: UUID, signed_at: datetime, now: datetime, meta: Meta
    ) -> None:
        """A PC clinician signed the prepared form: recorded by reference, not performed."""
        self._require((PREPARED,), "signed")
        signed_at = step_time(
            signed_at, now=now, after=self.prepared_at, step="signed_at", previous="preparation"
        )
        self._signature_recorded(clinician_id=clinician_id, signed_at=signed_at, meta=meta)

    def deliver(self, *, at: datetime, method: str, now: datetime, meta: Meta) -> None:
        self._require((SIGNED,), "delivered")
        if method not in DELIVERY_METHODS:
            raise InvalidFormRequest(
                f"method must be one of {', '.join(DELIVERY_METHODS)}", field="method"
            )
        at = step_time(at, now=now, after=self.signed_at, step="at", previous="the signature")
        self._delivered(at=at, method=method, meta=meta)

    def cancel(self, *, reason: str, meta: Meta) -> None:
        self._require(OPEN, "cancelled")
        self._cancelled(reason=reason, meta=meta)

    # events
    class Prepared(Aggregate.Event):
        at: datetime
        meta: Meta

    @event(Prepared)
    def _prepared(self, at: datetime, meta: Meta) -> None:
        self.status = PREPARED
        self.prepared_at = at

    class SignatureRecorded(Aggregate.Event):
        clinician_id: UUID
        signed_at: datetime
        meta: Meta

    @event(SignatureRecorded)
    def _signature_recorded(self, clinician_id: UUID, signed_at: datetime, meta: Meta) -> None:
        self.status = SIGNED
        self.signed_by = clinician_id
        self.signed_at = signed_at

    class Delivered(Aggregate.Event):
        at: datetime
        method: str
        meta: Meta

    @event(Delivered)
    def _delivered(self, at: datetime, method: str, meta: Meta) -> None:
        self.status = DELIVERED
        self.delivered_at = at
        self.delivery_method = method

    class Cancelled(Cancellation):
        pass

    _cancelled = event(Cancelled)(record_cancellation)


def _birth_date(patient: dict[str, str]) -> date:
    try:
        return date.fromisoformat(str(patient["date_of_birth"]))
    except ValueError:
        raise InvalidFormRequest(
            "the date of birth is not a date (YYYY-MM-DD)", field="patient.date_of_birth"
        ) from None
