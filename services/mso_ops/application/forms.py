"""Documentation operations: clearance and physical forms, from request to delivery."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from mhg.aggregate_command import is_recorded, step
from mhg.eventstore import ServiceApplication
from mhg.meta import Meta
from services.mso_ops.application import clock
from services.mso_ops.application.accounts import demand_link
from services.mso_ops.application.clinical_standing import ClinicalStandingCommands
from services.mso_ops.application.sites import SiteCommands
from services.mso_ops.domain.account import FORM
from services.mso_ops.domain.appointment import Appointment
from services.mso_ops.domain.form import Form, LinkedAppointment
from services.mso_ops.domain.form_errors import FormNotFound, InvalidFormRequest


@dataclass(eq=False)
class FormCommands:
    store: ServiceApplication
    sites: SiteCommands
    clinical_standing: ClinicalStandingCommands

    def request_form(
        self,
        *,
        site_id: UUID,
        appointment_id: UUID | None,
        received_at: datetime | None,
        meta: Meta,
        account_id: UUID | None = None,
        **request: Any,
    ) -> Form:
        """The form as requested (`request`: its fields, as `Form.request` names them)."""
        zone = self.sites.site(site_id).time_zone  # a site-not-found otherwise
        now = clock.now()
        form = Form.request(
            site_id=site_id,
            appointment=self._linked_appointment(appointment_id),
            received_at=received_at or now,
            now=now,
            meta=meta,
            zone=zone,
            **request,
        )
        link = demand_link(
            self.store,
            account_id,
            demand=FORM,
            demand_id=form.id,
            site_id=site_id,
            on=clock.day_at(form.received_at, zone),
            meta=meta,
        )
        self.store.record(form, link)
        return form

    def _linked_appointment(self, appointment_id: UUID | None) -> LinkedAppointment | None:
        if appointment_id is None:
            return None
        appointment = (
            self.store.repository.get(appointment_id)
            if appointment_id in self.store.repository
            else None
        )
        if not isinstance(appointment, Appointment):
            raise InvalidFormRequest(f"no appointment {appointment_id}", field="appointment_id")
        return LinkedAppointment(appointment.id, appointment.site_id, appointment.service_line)

    def form(self, form_id: UUID) -> Form:
        return self.store.load_as(Form, form_id, FormNotFound, f"no form {form_id}")

    form_exists = is_recorded

    def prepare_form(
        self, form_id: UUID, *, at: datetime | None, expected_version: int | None, meta: Meta
    ) -> Form:
        now = clock.now()
        return self.store.change(
            self.form(form_id),
            expected_version,
            lambda form: form.prepare(at=at or now, now=now, meta=meta),
        )

    def record_form_signature(
        self,
        form_id: UUID,
        *,
        clinician_id: UUID,
        signed_at: datetime | None,
        expected_version: int | None,
        meta: Meta,
    ) -> Form:
        now = clock.now()

        def sign(form: Form) -> None:
            zone = self.sites.site(form.site_id).time_zone  # the day of signing at the site
            on = clock.day_at(signed_at or now, zone)
            self.clinical_standing.clinician_acting(clinician_id, on=on)
            form.record_signature(
                clinician_id=clinician_id, signed_at=signed_at or now, now=now, meta=meta
            )

        return self.store.change(self.form(form_id), expected_version, sign)

    def deliver_form(
        self,
        form_id: UUID,
        *,
        at: datetime | None,
        method: str,
        expected_version: int | None,
        meta: Meta,
    ) -> Form:
        now = clock.now()
        return self.store.change(
            self.form(form_id),
            expected_version,
            lambda form: form.deliver(at=at or now, method=method, now=now, meta=meta),
        )

    cancel_form = step(form, Form.cancel)
