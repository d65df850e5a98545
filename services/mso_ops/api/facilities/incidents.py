"""Facility incidents: what went wrong with a site's building, and when it was resolved."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter

from mhg.creation import recorded
from mhg.declared import listed
from mhg.listing import Listing
from mhg.steps import Steps
from services.mso_ops.api.day_filters import FromFilter, SiteFilter, ToFilter
from services.mso_ops.api.dependencies import Facilities, IncidentReporter, MsoReader
from services.mso_ops.api.facilities.schemas import (
    IncidentIn,
    IncidentOut,
    IncidentRow,
    ResolveIn,
)
from services.mso_ops.domain.facility import IncidentCategory
from services.mso_ops.projections import facilities as facility_rows

router = APIRouter(tags=["facilities and vendors"])

INCIDENTS = Listing(facility_rows.INCIDENTS, IncidentRow)


INCIDENT = Steps(router, "/facility-incidents/{incident_id}", Facilities, IncidentOut.of)
INCIDENT.created(
    "reportFacilityIncident",
    "Report something that went wrong with a site's facility",
    IncidentIn,
    IncidentReporter,
    lambda facilities: facilities.report_incident,
    (401, 403, 404, 422),
    find=lambda facilities: recorded(facilities.facility_record_exists, facilities.incident),
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


INCIDENT.shown(
    "getFacilityIncident",
    "One facility incident",
    MsoReader,
    lambda facilities: facilities.incident,
)
INCIDENT.step(
    "resolve",
    "resolveFacilityIncident",
    "Record when and how an incident was resolved",
    ResolveIn,
    IncidentReporter,
    lambda facilities: facilities.resolve_incident,
)
