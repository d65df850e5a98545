"""Query parameters many lists share: a site and a day range (`site`, `from`, `to`).

What they select is declared beside the columns, in `projections/column_groups.py`."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import Query

from mhg.bounded import Day

SiteFilter = Annotated[UUID | None, Query(description="Only this site")]
FromFilter = Annotated[Day | None, Query(alias="from", description="On or after this day")]
ToFilter = Annotated[Day | None, Query(alias="to", description="On or before this day")]
