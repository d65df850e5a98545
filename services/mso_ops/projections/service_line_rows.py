"""The rows of `mso_service_lines`: each line at a site and its authorization status.

Part of the `mso_sites` projection (its table is defined there); `withdrawn_at` is when
the PC last stopped the line's bookings, from which the bookings to reschedule count.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import MetaData
from sqlalchemy.engine import Connection

from mhg.projection import Handler, update_row
from services.mso_ops.domain.service_line import ServiceLine


def handlers(metadata: MetaData) -> dict[type[Any], Handler]:
    lines = metadata.tables["mso_service_lines"]

    def line_proposed(conn: Connection, event: Any, position: int) -> None:
        conn.execute(
            lines.insert().values(
                id=event.originator_id,
                position=position,
                site_id=event.site_id,
                code=event.code,
                status="proposed",
                updated_at=event.timestamp,
            )
        )

    def line_requested(conn: Connection, event: Any, position: int) -> None:
        update_row(
            conn,
            lines,
            event,
            status="authorization_requested",
            request_id=event.request_id,
            authorization_id=None,
            decision_id=None,
            effective_date=None,
            updated_at=event.timestamp,
        )

    def line_approved(conn: Connection, event: Any, position: int) -> None:
        update_row(
            conn,
            lines,
            event,
            status="authorized",
            authorization_id=event.authorization_id,
            decision_id=event.decision_id,
            effective_date=event.effective_date,
            withdrawn_at=None,
            updated_at=event.timestamp,
        )

    def line_withdrawn(conn: Connection, event: Any, position: int) -> None:
        """A denial ends no bookings; a suspension or revocation stops them from now on."""
        stopped = {} if event.outcome == "denied" else {"withdrawn_at": event.timestamp}
        update_row(
            conn,
            lines,
            event,
            status=event.outcome,
            authorization_id=event.authorization_id,
            decision_id=event.decision_id,
            updated_at=event.timestamp,
            **stopped,
        )

    def line_reinstated(conn: Connection, event: Any, position: int) -> None:
        update_row(
            conn,
            lines,
            event,
            status="authorized",
            decision_id=event.decision_id,
            withdrawn_at=None,
            updated_at=event.timestamp,
        )

    return {
        ServiceLine.Proposed: line_proposed,
        ServiceLine.AuthorizationRequested: line_requested,
        ServiceLine.AuthorizationApproved: line_approved,
        ServiceLine.AuthorizationWithdrawn: line_withdrawn,
        ServiceLine.AuthorizationReinstated: line_reinstated,
    }
