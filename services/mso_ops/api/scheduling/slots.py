"""The vendor-facing booking API, in the spirit of FHIR Slot and IHE `$find` / `$book`.

Find open slots (`GET /slots?site=&service_line=&start=&end=&status=free`), hold a
place for a short while (`POST /slots/{id}/holds`), then book it with the hold
(`POST /slots/{id}/$book`). A hold that runs out frees its place. A vendor token sees
and books only at the sites it is contracted for, and gets 403 anywhere else.
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from mhg import problems
from mhg.bounded import Instant
from mhg.creation import Create, recorded
from mhg.declared import created, shown
from mhg.pagination import CursorParam, LimitParam, Page
from mhg.routes import Runtime
from mhg.web import command_meta
from services.mso_ops.api.appointments.schemas import (
    BookIn,
    HoldIn,
    SlotOut,
    SlotRow,
    SlotStatus,
)
from services.mso_ops.api.appointments.scope import check_site_scope, vendor_scope
from services.mso_ops.api.dependencies import (
    AppointmentReader,
    Appointments,
    Booker,
    Coverage,
    Slots,
)
from services.mso_ops.api.scheduling.schemas import SlotHoldOut
from services.mso_ops.api.schemas import AppointmentOut, ServiceLineCode
from services.mso_ops.application import clock
from services.mso_ops.domain.slot import OPEN, Hold, Slot
from services.mso_ops.projections import slot_search

router = APIRouter(tags=["booking"])


@router.get(
    "/slots",
    operation_id="findSlots",
    summary="Find slots: by site, service line, time window and status (`free` to book)",
    description=(
        "A slot is `free` while a place is left (places minus bookings minus running holds), "
        "`busy` when none is, `closed` when a closure took it, and `unavailable` (with "
        "`unavailable_reason`) while no place can be taken: the site is not live (before "
        "go-live, held, closed) or the PC's authorization of the line is not in force on "
        "its day. Ordered by publication."
    ),
    response_model=Page[SlotRow],
    responses=problems.responses(401, 403, 422),
)
def find_slots(
    rt: Runtime,
    caller: AppointmentReader,
    cursor: CursorParam = None,
    limit: LimitParam = 50,
    site: UUID | None = None,
    service_line: ServiceLineCode | None = None,
    start: Annotated[Instant | None, Query(description="Slots starting at or after")] = None,
    end: Annotated[Instant | None, Query(description="Slots starting before")] = None,
    status: SlotStatus | None = None,
    schedule: UUID | None = None,
) -> Page[SlotRow]:
    if site:
        check_site_scope(caller, site)
    rows, next_cursor = slot_search.find_slots(
        rt.store,
        at=clock.now(),
        status=status,
        cursor=cursor,
        limit=limit,
        site=site,
        service_line=service_line,
        start=start,
        end=end,
        schedule=schedule,
        within_sites=vendor_scope(caller),
    )
    return Page[SlotRow](items=[_row(row) for row in rows], next_cursor=next_cursor)


def _row(row: dict[str, Any]) -> SlotRow:
    """A found slot as the API answers it (`held`, `refused`: see `find_slots`)."""
    held, refused = row["held"], row["refused"]
    available = max(row["capacity"] - row["booked"] - held, 0)
    status = SlotRow.status_of(row["status"] == OPEN, available, refused)
    return SlotRow(
        id=row["id"],
        schedule_id=row["schedule_id"],
        site_id=row["site_id"],
        service_line=row["service_line"],
        start=row["start"],
        end=row["ends_at"],
        minutes=row["minutes"],
        capacity=row["capacity"],
        booked=row["booked"],
        held=held,
        available=available,
        status=status,
        unavailable_reason=refused if status == "unavailable" else None,
    )


@shown(router, "/slots/{slot_id}", "getSlot", AppointmentReader)
def get_slot(slot_id: UUID, slots: Slots, caller: AppointmentReader, coverage: Coverage) -> SlotOut:
    """One slot, with its places, bookings and running holds as of now"""
    slot = slots.slot(slot_id)
    check_site_scope(caller, slot.site_id)
    return SlotOut.of(slot, clock.now(), slots.booking_refusal(slot, coverage))


@created(
    router,
    "/slots/{slot_id}/holds",
    "holdSlot",
    SlotHoldOut,
    (401, 403, 404, 409, 422),
    description=(
        "The place is yours until `expires_at`; after that it is free again and a booking "
        "with the hold is refused (409 `hold-expired`). 409 `slot-full` when no place is "
        "left, `service-line-not-authorized` when the PC has not authorized the line, "
        "`site-not-live` (or `site-not-operating`, `site-closed`) unless the site is live."
    ),
)
def hold_slot(
    slot_id: UUID,
    create: Create,
    slots: Slots,
    caller: Booker,
    coverage: Coverage,
    body: HoldIn | None = None,
) -> JSONResponse:
    """Hold a place in a slot for a short while; book it with the hold id"""
    wanted = body or HoldIn()
    read = slots.slot(slot_id)
    check_site_scope(caller, read.site_id)

    def find(hold_id: UUID) -> tuple[Slot, Hold] | None:
        slot = slots.slot(slot_id)
        hold = slot.holds.get(hold_id)
        return None if hold is None else (slot, hold)

    return create(
        caller,
        wanted,
        make=lambda hold_id, meta: slots.hold_place(
            slot_id=slot_id,
            hold_id=hold_id,
            holder=caller.scope,
            seconds=wanted.seconds,
            coverage=coverage,
            meta=meta,
            read=read,
        ),
        find=find,
        answer=lambda held: SlotHoldOut.of(*held, clock.now()),
        location="/slots/{slot_id}/holds/{id}",
    )


@router.get(
    "/slots/{slot_id}/holds/{hold_id}",
    operation_id="getHold",
    summary="One of your holds: active, expired, used or released",
    response_model=SlotHoldOut,
    responses=problems.responses(401, 403, 404, 422),
)
def get_hold(slot_id: UUID, hold_id: UUID, slots: Slots, caller: Booker) -> SlotHoldOut:
    slot = slots.slot(slot_id)
    check_site_scope(caller, slot.site_id)
    return SlotHoldOut.of(slot, slot.your_hold(hold_id, caller.scope), clock.now())


@router.delete(
    "/slots/{slot_id}/holds/{hold_id}",
    operation_id="releaseHold",
    summary="Let a hold go before it runs out: the place is free again",
    response_model=SlotHoldOut,
    responses=problems.responses(401, 403, 404, 409, 422),
)
def release_hold(
    slot_id: UUID, hold_id: UUID, request: Request, slots: Slots, caller: Booker
) -> SlotHoldOut:
    check_site_scope(caller, slots.slot(slot_id).site_id)
    slot = slots.release_hold(
        slot_id=slot_id, hold_id=hold_id, holder=caller.scope, meta=command_meta(request, caller)
    )
    return SlotHoldOut.of(slot, slot.holds[hold_id], clock.now())


@created(
    router,
    "/slots/{slot_id}/$book",
    "bookSlot",
    AppointmentOut,
    (401, 403, 404, 409, 422),
    description=(
        "Needs a PC authorization in force for the slot's service line at its site on its "
        "day (409 `service-line-not-authorized`), at a live site (409 `site-not-live`, "
        "`site-not-operating`, `site-closed`). Of two bookings for the last place, one "
        "wins and the other gets 409 `slot-full`. The patient data is the minimum: name, "
        "date of birth, a contact, and the organisation that asked."
    ),
)
def book_slot(
    slot_id: UUID,
    body: BookIn,
    create: Create,
    appointments: Appointments,
    slots: Slots,
    caller: Booker,
    coverage: Coverage,
) -> JSONResponse:
    """Book a place in a slot, with your hold or a free place"""
    read = slots.slot(slot_id)
    check_site_scope(caller, read.site_id)
    return create(
        caller,
        body,
        make=lambda appointment_id, meta: appointments.book_slot(
            appointment_id=appointment_id,
            slot_id=slot_id,
            hold_id=body.hold_id,
            holder=caller.scope,
            patient=body.patient.model_dump(mode="json"),
            requested_by=body.requested_by,
            account_id=body.account_id,
            coverage=coverage,
            meta=meta,
            read=read,
        ),
        find=recorded(appointments.appointment_exists, appointments.appointment),
        answer=AppointmentOut.of,
        location="/appointments/{id}",
    )
