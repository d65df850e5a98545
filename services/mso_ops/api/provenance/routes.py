"""Provenance: from an MSO record to the PC decision it runs under, and how it arrived.

Each answer ends where PC Governance's begins: `pc_provenance_path` names the PC's
provenance of the authorization, which resolves it to its meeting decision or Medical
Director act. Readers are the record's own.
"""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter

from mhg import problems
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

READING = problems.responses(401, 403, 404, 422)


@router.get(
    "/provenance/appointment/{appointment_id}",
    operation_id="getAppointmentProvenance",
    summary="The PC authorization and decision a booking runs under, and the message they came in",
    response_model=ProvenanceOut,
    responses=READING,
)
def appointment_provenance(
    appointment_id: UUID,
    appointments: Appointments,
    provenance: Provenance,
    caller: AppointmentReader,
) -> ProvenanceOut:
    check_booking_scope(caller, appointments.appointment(appointment_id))
    return ProvenanceOut.of(provenance.appointment_provenance(appointment_id))


@router.get(
    "/provenance/site/{site_id}",
    operation_id="getSiteProvenance",
    summary="A site's PC decisions, and those of each of its service lines",
    response_model=ProvenanceOut,
    responses=READING,
)
def site_provenance(site_id: UUID, provenance: Provenance, _caller: MsoReader) -> ProvenanceOut:
    return ProvenanceOut.of(provenance.site_provenance(site_id))


@router.get(
    "/provenance/service-line/{service_line_id}",
    operation_id="getServiceLineProvenance",
    summary="The PC authorization a service line runs under, and every PC decision on it",
    response_model=ProvenanceOut,
    responses=READING,
)
def service_line_provenance(
    service_line_id: UUID, provenance: Provenance, _caller: MsoReader
) -> ProvenanceOut:
    return ProvenanceOut.of(provenance.service_line_provenance(service_line_id))


@router.get(
    "/provenance/vendor-contract/{contract_id}",
    operation_id="getVendorContractProvenance",
    summary="Per site, the PC-approved material change a clinical-supply contract rests on, "
    "its authorization and decision, and the messages they came in",
    response_model=ContractProvenanceOut,
    responses=READING,
)
def vendor_contract_provenance(
    contract_id: UUID, contract_provenance: ContractProvenance, _caller: MsoReader
) -> ContractProvenanceOut:
    return ContractProvenanceOut.of(contract_provenance.vendor_contract_provenance(contract_id))
