"""Provenance: from an MSO record to the PC decision it runs under, and how it arrived.

Each answer ends where PC Governance's begins: `pc_provenance_path` names the PC's
provenance of the authorization, which resolves it to its meeting decision or Medical
Director act. Readers are the record's own.
"""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter

from mhg.declared import shown
from mhg.steps import Steps
from services.mso_ops.api.appointments.scope import check_booking_scope
from services.mso_ops.api.dependencies import (
    AppointmentReader,
    Appointments,
    ContractProvenance,
    MsoReader,
    Provenance,
)
from services.mso_ops.api.provenance.schemas import ContractProvenanceOut, ProvenanceOut

router = APIRouter(tags=["provenance"])


@shown(
    router,
    "/provenance/appointment/{appointment_id}",
    "getAppointmentProvenance",
    AppointmentReader,
    versioned=False,
)
def appointment_provenance(
    appointment_id: UUID,
    appointments: Appointments,
    provenance: Provenance,
    caller: AppointmentReader,
) -> ProvenanceOut:
    """The PC authorization and decision a booking runs under, and the message they came in"""
    check_booking_scope(caller, appointments.appointment(appointment_id))
    return ProvenanceOut.of(provenance.appointment_provenance(appointment_id))


SITE = Steps(router, "/provenance/site/{site_id}", Provenance, ProvenanceOut.of)
SITE.shown(
    "getSiteProvenance",
    "A site's PC decisions, and those of each of its service lines",
    MsoReader,
    lambda provenance: provenance.site_provenance,
    versioned=False,
)


LINE = Steps(router, "/provenance/service-line/{service_line_id}", Provenance, ProvenanceOut.of)
LINE.shown(
    "getServiceLineProvenance",
    "The PC authorization a service line runs under, and every PC decision on it",
    MsoReader,
    lambda provenance: provenance.service_line_provenance,
    versioned=False,
)


CONTRACT = Steps(
    router,
    "/provenance/vendor-contract/{contract_id}",
    ContractProvenance,
    ContractProvenanceOut.of,
)
CONTRACT.shown(
    "getVendorContractProvenance",
    "Per site, the PC-approved material change a clinical-supply contract rests on, its authorization and decision, and the messages they came in",
    MsoReader,
    lambda contract_provenance: contract_provenance.vendor_contract_provenance,
    versioned=False,
)
