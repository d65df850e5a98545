"""Sites' IANA time zones, as the MSO last published them: one row a site with a zone.

"Today" at a site is the day on its wall clock when it has a zone (`site_zone`), UTC's
today when it has none (ADR 0027; `clock.today_at`).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import Column, MetaData, String, Table, Uuid, select
from sqlalchemy.engine import Connection

from mhg.projection import Projection
from mhg.readstore import ReadStore
from services.pc_governance.domain.site_zone import ReportedSiteZone


def define(metadata: MetaData) -> None:
    Table(
        "pc_site_zones",
        metadata,
        Column("site_id", Uuid, primary_key=True),
        Column("time_zone", String(64), nullable=False),
    )


def projection(metadata: MetaData) -> Projection:
    table = metadata.tables["pc_site_zones"]

    def reported(conn: Connection, event: Any, _position: int) -> None:
        """The site's row replaced by its zone; removed when it has none."""
        conn.execute(table.delete().where(table.c.site_id == event.site_id))
        if event.time_zone is not None:
            conn.execute(table.insert().values(site_id=event.site_id, time_zone=event.time_zone))

    return Projection(
        name="pc_site_zones", tables=[table], handlers={ReportedSiteZone.Reported: reported}
    )


def site_zone(store: ReadStore, site_id: UUID) -> str | None:
    """The site's IANA zone as the MSO last published it, or None (its days are UTC's)."""
    table = store.metadata.tables["pc_site_zones"]
    with store.reader.connect() as conn:
        zone: str | None = conn.execute(
            select(table.c.time_zone).where(table.c.site_id == site_id)
        ).scalar()
    return zone
