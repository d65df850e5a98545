"""Slots: finding one, holding a place in it for a short while, letting the hold go.

A command that changes a slot decides on the version it loaded; if another request
saved the slot meanwhile, the store refuses the save (ConcurrentUpdate) and the
command loads the slot again and decides again, a few times at most. So of two
requests for the last place, one books it and the other is told the slot is full.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar
from uuid import UUID

from mhg.errors import ConcurrentUpdate
from mhg.eventstore import ServiceApplication
from mhg.meta import Meta
from services.mso_ops.application import clock
from services.mso_ops.application.sites import SiteCommands
from services.mso_ops.domain.errors import (
    ServiceLineNotAuthorized,
    ServiceLineNotFound,
    SiteClosed,
)
from services.mso_ops.domain.scheduling_errors import SlotNotFound
from services.mso_ops.domain.service_line import AuthorizationInForce
from services.mso_ops.domain.site_errors import SiteNotLive, SiteNotOperating
from services.mso_ops.domain.slot import Hold, Slot

T = TypeVar("T")

ATTEMPTS = 8


def retried(command: Callable[[], T], attempts: int = ATTEMPTS) -> T:
    """Run a load-decide-save command again when a concurrent save beat it."""
    for _ in range(attempts - 1):
        try:
            return command()
        except ConcurrentUpdate:
            continue
    return command()


# What `authorization_at` refuses a slot for: its site, or its line's authorization.
NOT_BOOKABLE = (
    SiteClosed,
    SiteNotOperating,
    SiteNotLive,
    ServiceLineNotAuthorized,
    ServiceLineNotFound,
)


@dataclass(eq=False)
class SlotCommands:
    store: ServiceApplication
    sites: SiteCommands

    def slot(self, slot_id: UUID) -> Slot:
        return self.store.load_as(Slot, slot_id, SlotNotFound, f"no slot {slot_id}")

    def deciding(self, slot_id: UUID, read: Slot | None, decide: Callable[[Slot], T]) -> T:
        """`decide` on the slot as the caller read it (`read`: one load fewer), then, if a
        concurrent save beat that, on the slot loaded again, as `retried` does."""
        if read is not None and read.id == slot_id:
            try:
                return decide(read)
            except ConcurrentUpdate:
                pass
        return retried(lambda: decide(self.slot(slot_id)))

    def authorization_at(self, slot: Slot) -> AuthorizationInForce:
        """The PC authorization a booking in the slot runs under (or a 409 why not)."""
        line = self.sites.service_line(slot.site_id, slot.service_line)
        self.sites.site(slot.site_id).check_open_for_bookings()
        return line.authorization_for(slot.day)

    def booking_refusal(self, slot: Slot) -> str | None:
        """The problem type a hold or booking in the slot gets now, on site and line grounds."""
        try:
            self.authorization_at(slot)
        except NOT_BOOKABLE as refused:
            return refused.code
        return None

    def hold_place(
        self,
        *,
        slot_id: UUID,
        hold_id: UUID,
        holder: str,
        seconds: int,
        meta: Meta,
        read: Slot | None = None,
    ) -> tuple[Slot, Hold]:
        def attempt(slot: Slot) -> tuple[Slot, Hold]:
            self.authorization_at(slot)
            hold = slot.hold(
                hold_id=hold_id, holder=holder, seconds=seconds, at=clock.now(), meta=meta
            )
            self.store.record(slot)
            return slot, hold

        return self.deciding(slot_id, read, attempt)

    def release_hold(self, *, slot_id: UUID, hold_id: UUID, holder: str, meta: Meta) -> Slot:
        def attempt() -> Slot:
            slot = self.slot(slot_id)
            slot.release_hold(hold_id=hold_id, holder=holder, at=clock.now(), meta=meta)
            self.store.record(slot)
            return slot

        return retried(attempt)
