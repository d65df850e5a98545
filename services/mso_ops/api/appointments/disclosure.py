"""Answering with an appointment's patient is a read of patient data, recorded first (ADR 0004)."""

from __future__ import annotations

from mhg.access_log import PatientReadRecorder
from mhg.auth import Principal
from services.mso_ops.api.schemas import AppointmentOut
from services.mso_ops.domain.appointment import Appointment


def disclosed(
    appointment: Appointment, caller: Principal, record_read: PatientReadRecorder
) -> AppointmentOut:
    patient = appointment.patient
    if not appointment.patient_erased:  # an erased patient's record discloses no one
        record_read(
            caller, "appointment", appointment.id, patient["name"], patient["date_of_birth"]
        )
    return AppointmentOut.of(appointment)
