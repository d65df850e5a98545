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
from mhg.readstore import ReadStore
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
from services.mso_ops.domain.staffing_errors import ShiftNotCovered
from services.mso_ops.projections import slot_search

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


@dataclass(frozen=True)
class ShiftCoverage:
    """Whether the clinical shifts over a slot have the coverage the PC requires, as the
    coverage gaps hold it (the staffing read model, re-judged on every staffing change and
    PC fact). A slot overlapping a shift at its site with a gap takes no hold nor booking;
    a slot with no clinical shift over it is not judged here."""

    store: ReadStore

    def check(self, slot: Slot) -> None:
        gap = slot_search.gap_over(self.store, slot.site_id, slot.start, slot.end)
        if gap is None:
            return
        codes = sorted({reason["reason"] for reason in gap.reasons})
        label = f" ({gap.label})" if gap.label else ""
        raise ShiftNotCovered(
            f"the clinical shift {gap.shift_id}{label} from {gap.start.isoformat()} to "
            f"{gap.end.isoformat()} has a coverage gap: {', '.join(codes)}",
            shift_id=str(gap.shift_id),
            reasons=codes,
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

    def authorization_at(self, slot: Slot, coverage: ShiftCoverage) -> AuthorizationInForce:
        """The PC authorization a booking in the slot runs under (or a 409 why not: the
        site, the line's authorization, or a clinical shift over it without coverage)."""
        line = self.sites.service_line(slot.site_id, slot.service_line)
        self.sites.site(slot.site_id).check_open_for_bookings()
        authorization = line.authorization_for(slot.day)
        coverage.check(slot)
        return authorization

    def booking_refusal(self, slot: Slot, coverage: ShiftCoverage) -> str | None:
        """The problem type a hold or booking in the slot gets now."""
        try:
            self.authorization_at(slot, coverage)
        except (*NOT_BOOKABLE, ShiftNotCovered) as refused:
            return refused.code
        return None

    def hold_place(
        self,
        *,
        slot_id: UUID,
        hold_id: UUID,
        holder: str,
        seconds: int,
        coverage: ShiftCoverage,
        meta: Meta,
        read: Slot | None = None,
    ) -> tuple[Slot, Hold]:
        def attempt(slot: Slot) -> tuple[Slot, Hold]:
            self.authorization_at(slot, coverage)
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
