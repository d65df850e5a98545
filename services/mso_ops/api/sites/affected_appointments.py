"""The bookings a stop leaves to reschedule: of a service line, or of a whole site."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query

from mhg.bounded import Instant
from mhg.pagination import CursorParam, LimitParam, Page
from mhg.routed import routed
from mhg.routes import Runtime
from services.mso_ops.api.dependencies import ScheduleReader, Sites
from services.mso_ops.api.schemas import ServiceLineCode
from services.mso_ops.api.sites.change_schemas import AffectedAppointmentRow
from services.mso_ops.application.affected_appointments import AffectedAppointments, Window

router = APIRouter(tags=["sites"])


async def _query(rt: Runtime, sites: Sites) -> AffectedAppointments:
    """On the event loop: building it reads nothing; it reads when the route asks."""
    return AffectedAppointments(sites, rt.store)


async def _window(
    cursor: CursorParam = None,
    limit: LimitParam = 50,
    start_from: Annotated[
        Instant | None, Query(description="Only those starting at or after")
    ] = None,
    start_before: Annotated[Instant | None, Query(description="Only those before")] = None,
) -> Window:
    return Window(cursor, limit, start_from, start_before)


Affected = Annotated[AffectedAppointments, Depends(_query)]
StartWindow = Annotated[Window, Depends(_window)]


def _page(found: tuple[list[dict[str, object]], str | None]) -> Page[AffectedAppointmentRow]:
    rows, next_cursor = found
    return Page[AffectedAppointmentRow](
        items=[AffectedAppointmentRow.model_validate(r) for r in rows], next_cursor=next_cursor
    )


@routed(
    router,
    "GET /sites/{site_id}/service-lines/{code}/affected-appointments",
    "listAffectedAppointments",
    404,
    422,
    description=(
        "While the PC's authorization of the line is suspended or revoked, the appointments "
        "still booked at the site for the line that start at or after the moment the "
        "decision arrived, in booking order. Empty while the line is authorized."
    ),
)
def list_affected_appointments(
    site_id: UUID,
    code: ServiceLineCode,
    _caller: ScheduleReader,
    query: Affected,
    window: StartWindow,
) -> Page[AffectedAppointmentRow]:
    """Bookings to reschedule: still booked, starting after the PC stopped the line"""
    return _page(query.of_service_line(site_id, code, window))


@routed(
    router,
    "GET /sites/{site_id}/affected-appointments",
    "listSiteAffectedAppointments",
    404,
    422,
    description=(
        "While the site is suspended (held by the MSO, or by the PC's suspension of its "
        "go-live) or after it closed, the appointments of every service line still booked "
        "at the site that start at or after the moment it stopped, in booking order. "
        "Empty while the site is live."
    ),
)
def list_site_affected_appointments(
    site_id: UUID, _caller: ScheduleReader, query: Affected, window: StartWindow
) -> Page[AffectedAppointmentRow]:
    """Bookings to reschedule: still booked, starting after the whole site stopped"""
    return _page(query.of_site(site_id, window))
