"""The bookings a PC suspension or revocation of a service line leaves to reschedule."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query
from pydantic import AwareDatetime
from sqlalchemy import ColumnElement, select

from mhg import problems
from mhg.pagination import CursorParam, LimitParam, Page, read_page
from mhg.routes import Runtime
from services.mso_ops.api.dependencies import Ops, ScheduleReader
from services.mso_ops.api.schemas import ServiceLineCode
from services.mso_ops.api.site_change_schemas import AffectedAppointmentRow

router = APIRouter(tags=["sites"])


@router.get(
    "/sites/{site_id}/service-lines/{code}/affected-appointments",
    operation_id="listAffectedAppointments",
    summary="Bookings to reschedule: still booked, starting after the PC stopped the line",
    description=(
        "While the PC's authorization of the line is suspended or revoked, the appointments "
        "still booked at the site for the line that start at or after the moment the "
        "decision arrived, in booking order. Empty while the line is authorized."
    ),
    response_model=Page[AffectedAppointmentRow],
    responses=problems.responses(400, 401, 403, 404, 422),
)
def list_affected_appointments(
    site_id: UUID,
    code: ServiceLineCode,
    rt: Runtime,
    ops: Ops,
    _caller: ScheduleReader,
    cursor: CursorParam = None,
    limit: LimitParam = 50,
    start_from: Annotated[
        AwareDatetime | None, Query(description="Only those starting at or after")
    ] = None,
    start_before: Annotated[AwareDatetime | None, Query(description="Only those before")] = None,
) -> Page[AffectedAppointmentRow]:
    ops.service_line(site_id, code)
    lines = rt.store.metadata.tables["mso_service_lines"]
    with rt.store.reader.connect() as conn:
        row = conn.execute(
            select(lines.c.status, lines.c.withdrawn_at).where(
                lines.c.site_id == site_id, lines.c.code == code
            )
        ).first()
    if row is None or row.withdrawn_at is None or row.status == "authorized":
        return Page[AffectedAppointmentRow](items=[], next_cursor=None)
    table = rt.store.metadata.tables["mso_appointments"]
    filters: list[ColumnElement[bool]] = [
        table.c.site_id == site_id,
        table.c.service_line == code,
        table.c.status == "booked",
        table.c.start >= row.withdrawn_at,
    ]
    if start_from:
        filters.append(table.c.start >= start_from)
    if start_before:
        filters.append(table.c.start < start_before)
    rows, next_cursor = read_page(
        rt.store.reader, table, cursor=cursor, limit=limit, filters=filters
    )
    return Page[AffectedAppointmentRow](
        items=[AffectedAppointmentRow.model_validate(r) for r in rows], next_cursor=next_cursor
    )
