"""Who may call what, as Annotated aliases the routers declare."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from mhg.auth import Principal, Role
from mhg.web import require
from services.mso_ops.application import MsoOpsApplication


def application(request: Request) -> MsoOpsApplication:
    app: MsoOpsApplication = request.app.state.runtime.application
    return app


Ops = Annotated[MsoOpsApplication, Depends(application)]

MSO_READERS = (Role.MSO_ADMIN, Role.MSO_SCHEDULER, Role.MSO_BILLING, Role.AUDITOR)

MsoAdmin = Annotated[Principal, Depends(require(Role.MSO_ADMIN))]
MsoReader = Annotated[Principal, Depends(require(*MSO_READERS))]
Booker = Annotated[Principal, Depends(require(Role.MSO_ADMIN, Role.MSO_SCHEDULER, Role.VENDOR))]
AppointmentReader = Annotated[
    Principal, Depends(require(Role.MSO_ADMIN, Role.MSO_SCHEDULER, Role.AUDITOR, Role.VENDOR))
]
# Lab pickups, courier runs and forms are coordinated by MSO staff; forms carry patient
# data, so reading them is for that staff and the auditor only.
OpsCoordinator = Annotated[Principal, Depends(require(Role.MSO_ADMIN, Role.MSO_SCHEDULER))]
FormReader = Annotated[
    Principal, Depends(require(Role.MSO_ADMIN, Role.MSO_SCHEDULER, Role.AUDITOR))
]
# A clinical act (a form's signature, a result's release) is the PC clinician's own: they
# record it under their PC-issued identity, whose subject is their PC clinician id, and
# only while the PC holds them eligible (docs/adr/0019). No MSO role records one.
PcClinician = Annotated[
    Principal, Depends(require(Role.PHYSICIAN, Role.APP, Role.MEDICAL_DIRECTOR))
]
# Shifts are the MSO's to schedule and staff (admins and schedulers); the staff list,
# vendors and contracts are the admin's. Anyone running a site may report an incident.
ShiftScheduler = Annotated[Principal, Depends(require(Role.MSO_ADMIN, Role.MSO_SCHEDULER))]
IncidentReporter = Annotated[Principal, Depends(require(Role.MSO_ADMIN, Role.MSO_SCHEDULER))]
# Billing administration (claims, the MSA fee schedule, fee invoices): the billing office
# and admins write; the auditor reads.
BillingClerk = Annotated[Principal, Depends(require(Role.MSO_ADMIN, Role.MSO_BILLING))]
BillingReader = Annotated[
    Principal, Depends(require(Role.MSO_ADMIN, Role.MSO_BILLING, Role.AUDITOR))
]
# The bookings a PC suspension leaves to reschedule: for the staff who reschedule them.
ScheduleReader = Annotated[
    Principal, Depends(require(Role.MSO_ADMIN, Role.MSO_SCHEDULER, Role.AUDITOR))
]
# Schedules, their exceptions, and an appointment's steps at the front desk (check-in,
# outcome, entered in error) are the MSO scheduling staff's; vendors find, hold, book
# and reschedule (Booker, AppointmentReader) at their contracted sites only.
Scheduler = Annotated[Principal, Depends(require(Role.MSO_ADMIN, Role.MSO_SCHEDULER))]
# Corrective actions the PC assigns to the MSO are worked on by any MSO staff member;
# KPI targets and the month close are the admin's (MsoAdmin), reading them every reader's.
MsoStaff = Annotated[
    Principal, Depends(require(Role.MSO_ADMIN, Role.MSO_SCHEDULER, Role.MSO_BILLING))
]
