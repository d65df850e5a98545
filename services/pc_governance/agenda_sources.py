"""Where a governance meeting's agenda comes from: one small reader per open-item source.

Each source reads a read model and returns (kind, reference, title) candidates; the
meeting adds those not on its agenda yet. Sources for corrective actions due,
protocols due for review, expiring credentials, quality findings and the MSO's
monthly performance report join `SOURCES` as their read models land.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import MetaData, select
from sqlalchemy.engine import Connection

Candidate = tuple[str, str, str]
Source = Callable[[Connection, MetaData], list[Candidate]]


def pending_authorization_requests(conn: Connection, metadata: MetaData) -> list[Candidate]:
    table = metadata.tables["pc_authorizations"]
    rows = conn.execute(
        select(table.c.id, table.c.kind, table.c.site_name, table.c.service_line)
        .where(table.c.status == "pending")
        .order_by(table.c.position)
    )
    return [
        (
            "authorization_request",
            str(row.id),
            f"Authorization request ({row.kind}): {row.site_name}"
            + (f", {row.service_line}" if row.service_line else ""),
        )
        for row in rows
    ]


SOURCES: tuple[Source, ...] = (pending_authorization_requests,)


def open_items(conn: Connection, metadata: MetaData) -> list[Candidate]:
    return [candidate for source in SOURCES for candidate in source(conn, metadata)]
