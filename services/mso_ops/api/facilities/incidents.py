"""Facility incidents: what went wrong with a site's building, and when it was resolved."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from mhg.creation import Create, recorded
from mhg.declared import created, listed, shown
from mhg.listing import Listing, equals
from mhg.steps import Steps
from services.mso_ops.api.day_filters import SITE_AND_DAYS, FromFilter, SiteFilter, ToFilter
from services.mso_ops.api.dependencies import Facilities, IncidentReporter, MsoReader
from services.mso_ops.api.facilities.schemas import (
    IncidentCategory,
    IncidentIn,
    IncidentOut,
    IncidentRow,
    ResolveIn,
)

router = APIRouter(tags=["facilities and vendors"])

INCIDENTS = Listing(
    "mso_facility_incidents", IncidentRow, **SITE_AND_DAYS, status=equals(), category=equals()
)


@created(router, "/facility-incidents", "reportFacilityIncident", IncidentOut, (401, 403, 404, 422))
def report_incident(
    body: IncidentIn, create: Create, facilities: Facilities, caller: IncidentReporter
) -> JSONResponse:
    """Report something that went wrong with a site's facility"""
    return create(
        caller,
        body,
        make=lambda incident_id, meta: facilities.report_incident(
            incident_id=incident_id, meta=meta, **body.model_dump()
        ),
        find=recorded(facilities.facility_record_exists, facilities.incident),
        answer=IncidentOut.of,
        location="/facility-incidents/{id}",
    )


@listed(router, "/facility-incidents", "listFacilityIncidents", INCIDENTS, MsoReader)
def list_incidents(
    site: SiteFilter = None,
    from_: FromFilter = None,
    to: ToFilter = None,
    status: Literal["open", "resolved"] | None = None,
    category: IncidentCategory | None = None,
) -> None:
    """Facility incidents in the order they were reported"""


@shown(router, "/facility-incidents/{incident_id}", "getFacilityIncident", MsoReader)
def get_incident(incident_id: UUID, facilities: Facilities) -> IncidentOut:
    """One facility incident"""
    return IncidentOut.of(facilities.incident(incident_id))


INCIDENT = Steps(router, "/facility-incidents/{incident_id}", Facilities, IncidentOut.of)
INCIDENT.step(
    "resolve",
    "resolveFacilityIncident",
    "Record when and how an incident was resolved",
    ResolveIn,
    IncidentReporter,
    lambda facilities: facilities.resolve_incident,
)
