"""GET /audit-readiness: the audit-readiness KPI as of a day (docs/domain.md#kpis; ADR 0013)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from contracts.v1.audit_readiness import MonthFigure
from mhg.bounded import Day, Month
from mhg.routed import routed
from mhg.routes import Runtime
from mhg.web import command_meta
from services.pc_governance.api.audit.readiness_schemas import AuditReadinessOut, MonthReadinessOut
from services.pc_governance.api.dependencies import (
    MonthReadinessCapability,
    PcReader,
    ReadinessPublisher,
)
from services.pc_governance.application.audit_readiness import audit_readiness
from services.pc_governance.domain.audit_readiness import plain
from services.pc_governance.domain.month_readiness import last_day

router = APIRouter(tags=["audit"])


def now() -> datetime:
    return datetime.now(UTC)


@routed(
    router,
    "GET /audit-readiness",
    "getAuditReadiness",
    422,
    description=(
        "Protocols inside their review date, minutes approved within 30 days of the meeting, "
        "credentials verified and in date, corrective actions closed by their due day, and "
        "the audit chain verifying (sealed to the head, the last seal matching its record). "
        "The overall share is current / required over every item; each category has its "
        "own row, and every item not current is listed with its reason."
    ),
)
def get_audit_readiness(
    rt: Runtime,
    _caller: PcReader,
    as_of: Annotated[
        Day | None, Query(description="The day to judge due dates on (UTC); default today")
    ] = None,
) -> AuditReadinessOut:
    """Audit readiness: the share of required governance items current as of a day"""
    moment = now()
    readiness = audit_readiness(rt.store, rt.ledger, as_of=as_of or moment.date(), now=moment)
    return AuditReadinessOut.of(readiness)


@routed(
    router,
    "POST /audit-readiness/{month}/publish",
    "publishMonthAuditReadiness",
    409,
    422,
    description=(
        "Judges the required items as of the month's last day (as `GET /audit-readiness` "
        "does, on the read models as they stand) and publishes the counts as "
        "`audit-readiness.published` v1, for the MSO's monthly performance report. "
        "Publishing the month again records and sends the next revision. Only a month that "
        "is over (409 `month-not-over`)."
    ),
)
def publish_month_audit_readiness(
    month: Annotated[Month, Path(description="The month, YYYY-MM")],
    request: Request,
    rt: Runtime,
    publishing: MonthReadinessCapability,
    caller: ReadinessPublisher,
) -> MonthReadinessOut:
    """Publish a month's audit readiness to the MSO"""
    first = date.fromisoformat(f"{month}-01")
    moment = now()
    rt.projections.catch_up()  # the figure includes every record made before it
    judged = audit_readiness(rt.store, rt.ledger, as_of=last_day(first), now=moment)
    figures = plain(judged.kpi)
    figure = MonthFigure(
        as_of=last_day(first),
        required=figures["required"],
        current=figures["current"],
        categories=[
            {k: c[k] for k in ("category", "required", "current")} for c in figures["categories"]
        ],
        published_at=moment,
    )
    published = publishing.publish_month(
        month=first, figure=figure, today=moment.date(), meta=command_meta(request, caller)
    )
    return MonthReadinessOut.of(published, figure)
