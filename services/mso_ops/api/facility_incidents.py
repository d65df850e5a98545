"""Facility incidents: what went wrong with a site's building, and when it was resolved."""

from __future__ import annotations

from typing import Any, Literal
from uuid import UUID

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from mhg import problems
from mhg.idempotency import IdempotencyKey
from mhg.pagination import CursorParam, LimitParam, Page, read_page
from mhg.routes import Runtime, create_idempotently
from mhg.web import IfMatch, command_meta, expected_version, set_etag
from services.mso_ops.api.day_filters import FromFilter, SiteFilter, ToFilter, site_and_days
from services.mso_ops.api.dependencies import Facilities, IncidentReporter, MsoReader
from services.mso_ops.api.facilities_schemas import (
    IncidentCategory,
    IncidentIn,
    IncidentOut,
    IncidentRow,
    ResolveIn,
)

router = APIRouter(tags=["facilities and vendors"])

UPDATING = problems.responses(401, 403, 404, 409, 412, 422)


@router.post(
    "/facility-incidents",
    operation_id="reportFacilityIncident",
    summary="Report something that went wrong with a site's facility",
    status_code=201,
    response_model=IncidentOut,
    responses=problems.responses(401, 403, 404, 422),
)
def report_incident(
    body: IncidentIn,
    request: Request,
    rt: Runtime,
    facilities: Facilities,
    caller: IncidentReporter,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    meta = command_meta(request, caller)

    def create(incident_id: UUID) -> dict[str, Any]:
        incident = facilities.report_incident(
            incident_id=incident_id, meta=meta, **body.model_dump()
        )
        return IncidentOut.of(incident).model_dump(mode="json")

    def existing(incident_id: UUID) -> dict[str, Any] | None:
        if not facilities.facility_record_exists(incident_id):
            return None
        return IncidentOut.of(facilities.incident(incident_id)).model_dump(mode="json")

    return create_idempotently(
        rt,
        caller,
        idempotency_key,
        "reportFacilityIncident",
        body.model_dump(mode="json"),
        create=create,
        existing=existing,
        location=lambda b: f"/facility-incidents/{b['id']}",
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
    table = rt.store.metadata.tables["mso_facility_incidents"]
    filters = site_and_days(table, site, from_, to)
    if status:
        filters.append(table.c.status == status)
    if category:
        filters.append(table.c.category == category)
    rows, next_cursor = read_page(
        rt.store.reader, table, cursor=cursor, limit=limit, filters=filters
    )
    return Page[IncidentRow](
        items=[IncidentRow.model_validate(r) for r in rows], next_cursor=next_cursor
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
    incident = facilities.incident(incident_id)
    set_etag(response, incident.version)
    return IncidentOut.of(incident)


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
    request: Request,
    response: Response,
    facilities: Facilities,
    caller: IncidentReporter,
    if_match: IfMatch = None,
) -> IncidentOut:
    incident = facilities.resolve_incident(
        incident_id=incident_id,
        resolved_at=body.resolved_at,
        resolution=body.resolution,
        expected_version=expected_version(if_match),
        meta=command_meta(request, caller),
    )
    set_etag(response, incident.version)
    return IncidentOut.of(incident)
