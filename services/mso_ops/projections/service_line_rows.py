"""The rows of `mso_service_lines`: each line at a site and its authorization status.

Part of the `mso_sites` projection (its table is defined there); `withdrawn_at` is when
the PC last stopped the line's bookings, from which the bookings to reschedule count.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import MetaData
from sqlalchemy.engine import Connection

from mhg.projection import Handler
from mhg.projection_rows import MOMENT, copied, from_event, insert_on, status_steps, update_row
from services.mso_ops.domain.service_line import ServiceLine
from services.mso_ops.projections.column_groups import UNANSWERED, approval


def handlers(metadata: MetaData) -> dict[type[Any], Handler]:
    lines = metadata.tables["mso_service_lines"]
    updated = MOMENT
    step = status_steps(lines, updated_at=updated)

    line_proposed = insert_on(lines, "site_id", "code", status="proposed", updated_at=updated)

    def line_withdrawn(conn: Connection, event: Any, _position: int) -> None:
        """A denial ends no bookings; a suspension or revocation stops them from now on."""
        stopped = {} if event.outcome == "denied" else {"withdrawn_at": event.timestamp}
        update_row(
            conn,
            lines,
            event,
            status=event.outcome,
            **copied(event, "authorization_id", "decision_id"),
            updated_at=event.timestamp,
            **stopped,
        )

    return {
        ServiceLine.Proposed: line_proposed,
        ServiceLine.AuthorizationRequested: step(
            "authorization_requested", request_id=from_event("request_id"), **UNANSWERED
        ),
        ServiceLine.AuthorizationApproved: step("authorized", **approval(), withdrawn_at=None),
        ServiceLine.AuthorizationWithdrawn: line_withdrawn,
        ServiceLine.AuthorizationReinstated: step(
            "authorized", decision_id=from_event("decision_id"), withdrawn_at=None
        ),
    }
