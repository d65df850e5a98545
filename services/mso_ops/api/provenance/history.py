"""The history of a site, a service line or an appointment: every event, who and when.

Readers are the record's own: a history lists acts and their metadata only (never the
patient's data), and a vendor sees an appointment's history only at its own sites.
"""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter

from mhg.declared import shown
from mhg.history import History, HistoryEntry
from mhg.pagination import Page
from services.mso_ops.api.appointments.scope import check_booking_scope
from services.mso_ops.api.dependencies import AppointmentReader, MsoReader, Ops
from services.mso_ops.api.schemas import ServiceLineCode
from services.mso_ops.domain.appointment import Appointment
from services.mso_ops.domain.errors import AppointmentNotFound, ServiceLineNotFound, SiteNotFound
from services.mso_ops.domain.service_line import ServiceLine
from services.mso_ops.domain.site import Site

router = APIRouter(tags=["history"])


@shown(router, "/sites/{site_id}/history", "getSiteHistory", MsoReader, versioned=False)
def site_history(site_id: UUID, ops: Ops, history: History) -> Page[HistoryEntry]:
    """Every event of a site, oldest first: type, time, actor, request and causation"""
    return history.page(ops, site_id, Site, SiteNotFound(f"no site {site_id}"))


@shown(
    router,
    "/sites/{site_id}/service-lines/{code}/history",
    "getServiceLineHistory",
    MsoReader,
    versioned=False,
)
def service_line_history(
    site_id: UUID,
    code: ServiceLineCode,
    ops: Ops,
    history: History,
) -> Page[HistoryEntry]:
    """Every event of a service line: requests, and each PC decision as it arrived"""
    missing = ServiceLineNotFound(f"{code} is not proposed at site {site_id}")
    return history.page(ops, ServiceLine.create_id(site_id, code), ServiceLine, missing)


@shown(
    router,
    "/appointments/{appointment_id}/history",
    "getAppointmentHistory",
    AppointmentReader,
    versioned=False,
)
def appointment_history(
    appointment_id: UUID,
    ops: Ops,
    caller: AppointmentReader,
    history: History,
) -> Page[HistoryEntry]:
    """Every event of an appointment: its types and actors, never the patient's data"""
    # unknown, or another vendor's booking: 404; at a site outside its scope: 403
    check_booking_scope(caller, ops.appointments.appointment(appointment_id))
    missing = AppointmentNotFound(f"no appointment {appointment_id}")
    return history.page(ops, appointment_id, Appointment, missing)
