"""The rows of `mso_service_lines`: each line at a site and its authorization status.

Part of the `mso_sites` projection (its table is defined there); `withdrawn_at` is when
the PC last stopped the line's bookings, from which the bookings to reschedule count.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import MetaData
from sqlalchemy.engine import Connection

from mhg.projection import Handler
from mhg.projection_rows import copied, from_event, insert_on, set_on_row, update_row
from services.mso_ops.domain.service_line import ServiceLine
from services.mso_ops.projections.column_groups import UNANSWERED, approval


def handlers(metadata: MetaData) -> dict[type[Any], Handler]:
    lines = metadata.tables["mso_service_lines"]
    updated = from_event("timestamp")

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
        ServiceLine.AuthorizationRequested: set_on_row(
            lines,
            status="authorization_requested",
            request_id=from_event("request_id"),
            **UNANSWERED,
            updated_at=updated,
        ),
        ServiceLine.AuthorizationApproved: set_on_row(
            lines, status="authorized", **approval(), withdrawn_at=None, updated_at=updated
        ),
        ServiceLine.AuthorizationWithdrawn: line_withdrawn,
        ServiceLine.AuthorizationReinstated: set_on_row(
            lines,
            status="authorized",
            decision_id=from_event("decision_id"),
            withdrawn_at=None,
            updated_at=updated,
        ),
    }
