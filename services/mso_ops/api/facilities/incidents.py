"""Facility incidents: what went wrong with a site's building, and when it was resolved."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse

from mhg import problems
from mhg.changes import Change, read
from mhg.creation import Create
from mhg.listing import Listing, equals
from mhg.pagination import CursorParam, LimitParam, Page
from mhg.routes import Runtime
from services.mso_ops.api.day_filters import SITE_AND_DAYS, FromFilter, SiteFilter, ToFilter
from services.mso_ops.api.dependencies import Facilities, IncidentReporter, MsoReader
from services.mso_ops.api.facilities.schemas import (
    IncidentCategory,
    IncidentIn,
    IncidentOut,
    IncidentRow,
    ResolveIn,
)
from services.mso_ops.api.finding import if_exists

router = APIRouter(tags=["facilities and vendors"])

UPDATING = problems.responses(401, 403, 404, 409, 412, 422)

INCIDENTS = Listing(
    "mso_facility_incidents", IncidentRow, **SITE_AND_DAYS, status=equals(), category=equals()
)


@router.post(
    "/facility-incidents",
    operation_id="reportFacilityIncident",
    summary="Report something that went wrong with a site's facility",
    status_code=201,
    response_model=IncidentOut,
    responses=problems.responses(401, 403, 404, 422),
)
def report_incident(
    body: IncidentIn, create: Create, facilities: Facilities, caller: IncidentReporter
) -> JSONResponse:
    return create(
        caller,
        body,
        make=lambda incident_id, meta: facilities.report_incident(
            incident_id=incident_id, meta=meta, **body.model_dump()
        ),
        find=if_exists(facilities.facility_record_exists, facilities.incident),
        answer=IncidentOut.of,
        location="/facility-incidents/{id}",
    )


@router.get(
    "/facility-incidents",
    operation_id="listFacilityIncidents",
    summary="Facility incidents in the order they were reported",
    response_model=Page[IncidentRow],
    responses=problems.responses(401, 403, 422),
)
def list_incidents(
    rt: Runtime,
    _caller: MsoReader,
    cursor: CursorParam = None,
    limit: LimitParam = 50,
    site: SiteFilter = None,
    from_: FromFilter = None,
    to: ToFilter = None,
    status: Literal["open", "resolved"] | None = None,
    category: IncidentCategory | None = None,
) -> Page[IncidentRow]:
    return INCIDENTS.page(
        rt, cursor, limit, site=site, from_=from_, to=to, status=status, category=category
    )


@router.get(
    "/facility-incidents/{incident_id}",
    operation_id="getFacilityIncident",
    summary="One facility incident",
    response_model=IncidentOut,
    responses=problems.responses(401, 403, 404, 422),
)
def get_incident(
    incident_id: UUID, response: Response, facilities: Facilities, _caller: MsoReader
) -> IncidentOut:
    return IncidentOut.of(read(response, facilities.incident(incident_id)))


@router.post(
    "/facility-incidents/{incident_id}/resolve",
    operation_id="resolveFacilityIncident",
    summary="Record when and how an incident was resolved",
    response_model=IncidentOut,
    responses=UPDATING,
)
def resolve_incident(
    incident_id: UUID,
    body: ResolveIn,
    facilities: Facilities,
    caller: IncidentReporter,
    change: Change,
) -> IncidentOut:
    return IncidentOut.of(
        change(caller, facilities.resolve_incident, body=body, incident_id=incident_id)
    )
