"""Filters many lists share: a site and day range (`site`, `from`, `to`), a site and line."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import Query

from mhg.bounded import Day
from mhg.listing import Filter, at_least, at_most, equals

SiteFilter = Annotated[UUID | None, Query(description="Only this site")]
FromFilter = Annotated[Day | None, Query(alias="from", description="On or after this day")]
ToFilter = Annotated[Day | None, Query(alias="to", description="On or before this day")]

# Rows of a site whose `day` (local to the offset recorded) is within [from, to], declared
# for a `Listing`: `Listing(table, Row, **SITE_AND_DAYS, status=equals())`.
SITE_AND_DAYS: dict[str, Filter] = {
    "site": equals("site_id"),
    "from_": at_least("day"),
    "to": at_most("day"),
}

# A site and one of its service lines: `Listing(table, Row, **SITE_AND_LINE, status=equals())`.
SITE_AND_LINE: dict[str, Filter] = {"site_id": equals(), "service_line": equals()}
