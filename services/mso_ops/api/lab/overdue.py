"""What is overdue between a specimen's collection and its result's release.

Each open specimen waits for one thing, and is overdue once it has waited longer than
that stage allows; the hours are configurable per request (defaults in the domain).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query

from mhg.bounded import Instant
from mhg.paged import Pages, paged
from mhg.pagination import Page
from services.mso_ops.api.dependencies import MsoReader
from services.mso_ops.api.lab.schemas import OverdueSpecimenRow, OverdueStage
from services.mso_ops.api.schemas import ServiceLineCode
from services.mso_ops.domain.specimen import DEFAULT_OVERDUE_HOURS, WAITING_FOR
from services.mso_ops.projections.lab import OVERDUE, WAITING_SINCE

router = APIRouter(tags=["lab"])


def _hours(stage: str, meaning: str) -> Any:
    return Query(
        ge=1,
        le=24 * 60,
        description=f"{meaning} (default {DEFAULT_OVERDUE_HOURS[stage]})",
    )


@paged(
    router,
    "/lab/overdue",
    "listOverdueLabItems",
    MsoReader,
    description=(
        "Each open specimen waits for one thing: `pickup` (awaiting pickup, counted from "
        "collection), `delivery` (on a run, counted from when it was put on it), `result` "
        "(at the lab, from delivery) or `release` (result received, from its receipt). It is "
        "overdue once it has waited longer than that stage's hours, as of `as_of`."
    ),
)
def list_overdue(
    pages: Pages,
    as_of: Annotated[
        Instant | None, Query(description="The moment to judge at; now if omitted")
    ] = None,
    site_id: UUID | None = None,
    service_line: ServiceLineCode | None = None,
    stage: OverdueStage | None = None,
    pickup_hours: Annotated[
        int, _hours("pickup", "Hours from collection to being put on a run")
    ] = DEFAULT_OVERDUE_HOURS["pickup"],
    delivery_hours: Annotated[
        int, _hours("delivery", "Hours from being put on a run to delivery at the lab")
    ] = DEFAULT_OVERDUE_HOURS["delivery"],
    result_hours: Annotated[
        int, _hours("result", "Hours from delivery at the lab to the result's receipt")
    ] = DEFAULT_OVERDUE_HOURS["result"],
    release_hours: Annotated[
        int, _hours("release", "Hours from the result's receipt to its release")
    ] = DEFAULT_OVERDUE_HOURS["release"],
) -> Page[OverdueSpecimenRow]:
    """Specimens waiting longer than allowed for pickup, delivery, result or release"""
    moment = as_of or datetime.now(UTC)
    limits = {
        "pickup": pickup_hours,
        "delivery": delivery_hours,
        "result": result_hours,
        "release": release_hours,
    }
    asked = {name: hours for name, hours in limits.items() if stage in (None, name)}

    def late(row: dict[str, Any]) -> OverdueSpecimenRow:
        waiting_for = WAITING_FOR[row["status"]]
        since: datetime = row[WAITING_SINCE[waiting_for]]
        return OverdueSpecimenRow.model_validate(
            {
                **row,
                "stage": waiting_for,
                "waiting_since": since,
                "hours_waiting": round((moment - since).total_seconds() / 3600, 1),
                "threshold_hours": limits[waiting_for],
            }
        )

    return pages.stored(
        OVERDUE, late, late=(moment, asked), site_id=site_id, service_line=service_line
    )
