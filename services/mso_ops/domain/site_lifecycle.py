"""A site's lifecycle: its statuses, the steps each allows, and who holds it suspended.

proposed -> readying -> submitted -> approved -> live -> suspended / closed (see site.py).
"""

from __future__ import annotations

from services.mso_ops.domain.errors import SiteClosed
from services.mso_ops.domain.site_errors import (
    InvalidSiteTransition,
    SiteNotLive,
    SiteNotOperating,
)

SITE_KINDS = ("clinic", "campus", "community")

PROPOSED = "proposed"
READYING = "readying"
SUBMITTED = "submitted"
APPROVED = "approved"
LIVE = "live"
SUSPENDED = "suspended"
CLOSED = "closed"
STATUSES = (PROPOSED, READYING, SUBMITTED, APPROVED, LIVE, SUSPENDED, CLOSED)

MSO, PC = "mso", "pc"  # who holds a site suspended

# step -> the statuses it may be taken in
ALLOWED_IN: dict[str, frozenset[str]] = {
    "start readiness": frozenset({PROPOSED}),
    "record checklist evidence": frozenset({READYING}),
    "set the pro forma": frozenset({PROPOSED, READYING}),
    "request go-live": frozenset({READYING}),
    "go live": frozenset({APPROVED}),
    "suspend": frozenset({LIVE, SUSPENDED}),
    "resume": frozenset({SUSPENDED}),
    "close": frozenset(set(STATUSES) - {CLOSED}),
    "request a material change": frozenset({APPROVED, LIVE, SUSPENDED}),
}
AUTHORIZED = frozenset({APPROVED, LIVE, SUSPENDED})  # the PC's go-live authorization holds


def check_step(status: str, step: str) -> None:
    if status not in ALLOWED_IN[step]:
        raise InvalidSiteTransition(
            f"cannot {step} at a site that is {status}", current_status=status
        )


def status_with(holds: dict[str, str], *, opened: bool) -> str:
    """An authorized site's status: suspended while anyone holds it, else live once
    opened, else approved."""
    if holds:
        return SUSPENDED
    return LIVE if opened else APPROVED


def check_open_for_bookings(name: str, status: str) -> None:
    """Only a live site takes patients (a booking, a hold, a move into it).

    Before go-live the PC has not approved the site against its readiness standards;
    schedules and slots may be prepared there, but nobody is booked.
    """
    if status == CLOSED:
        raise SiteClosed(f"{name} is closed", site_status=status)
    if status == SUSPENDED:
        raise SiteNotOperating(f"{name} is suspended", site_status=status)
    if status != LIVE:
        raise SiteNotLive(
            f"{name} is {status}: it takes bookings once the PC has approved "
            "its go-live and the site has opened",
            site_status=status,
        )
