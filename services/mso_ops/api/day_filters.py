"""The site and day-range filters the staffing and facility lists share (`site`, `from`, `to`)."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import Query
from sqlalchemy import ColumnElement, Table

from mhg.bounded import Day
from mhg.listing import Filter, at_least, at_most, equals

SiteFilter = Annotated[UUID | None, Query(description="Only this site")]
FromFilter = Annotated[Day | None, Query(alias="from", description="On or after this day")]
ToFilter = Annotated[Day | None, Query(alias="to", description="On or before this day")]

# The same, declared for a `Listing`: `Listing(table, Row, **SITE_AND_DAYS, status=equals())`.
SITE_AND_DAYS: dict[str, Filter] = {
    "site": equals("site_id"),
    "from_": at_least("day"),
    "to": at_most("day"),
}


def site_and_days(
    table: Table, site: UUID | None, from_: date | None, to: date | None
) -> list[ColumnElement[bool]]:
    """Rows of a site whose `day` (local to the offset recorded) is within [from, to]."""
    filters: list[ColumnElement[bool]] = []
    if site:
        filters.append(table.c.site_id == site)
    if from_:
        filters.append(table.c.day >= from_)
    if to:
        filters.append(table.c.day <= to)
    return filters
