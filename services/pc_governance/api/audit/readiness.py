"""GET /audit-readiness: the audit-readiness KPI as of a day (docs/domain.md#kpis; ADR 0013)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse

from contracts.v1.audit_readiness import MonthFigure
from mhg import problems
from mhg.auth import Principal
from mhg.bounded import Day, Month
from mhg.errors import ConcurrentUpdate
from mhg.idempotency import IdempotencyKey, answer_once
from mhg.routed import routed
from mhg.routes import Runtime
from mhg.runtime import ServiceRuntime
from mhg.web import command_meta
from services.pc_governance.api.audit.readiness_schemas import AuditReadinessOut, MonthReadinessOut
from services.pc_governance.api.dependencies import (
    MonthReadinessCapability,
    PcReader,
    ReadinessPublisher,
)
from services.pc_governance.application.audit_readiness import audit_readiness
from services.pc_governance.application.month_readiness import MonthReadinessCommands
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


@router.post(
    "/audit-readiness/{month}/publish",
    operation_id="publishMonthAuditReadiness",
    summary="Publish a month's audit readiness to the MSO",
    description=(
        "Judges the required items as of the month's last day (as `GET /audit-readiness` "
        "does, on the read models as they stand) and publishes the counts as "
        "`audit-readiness.published` v1, for the MSO's monthly performance report. "
        "Publishing the month again records and sends the next revision. Only a month that "
        "is over (409 `month-not-over`). A retry with the same Idempotency-Key answers the "
        "first response and publishes nothing (header `Idempotent-Replayed: true`); the key "
        "reused for another month is refused (422 `idempotency-key-reused`)."
    ),
    response_model=MonthReadinessOut,
    responses=problems.responses(401, 403, 409, 422),
)
def publish_month_audit_readiness(
    month: Annotated[Month, Path(description="The month, YYYY-MM")],
    request: Request,
    rt: Runtime,
    publishing: MonthReadinessCapability,
    caller: ReadinessPublisher,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    # one key publishes one revision of one month: the key is scoped to the month
    answered = answer_once(
        rt.idempotency,
        caller,
        idempotency_key,
        f"{request.scope['route'].operation_id}:{month}",
        {"month": month},
        make=lambda _: _publish(month, request, rt, publishing, caller).model_dump(mode="json"),
        status=200,
        refused=(ConcurrentUpdate,),  # a twin with this key may be publishing: its response counts
    )
    return answered.response()


def _publish(
    month: str,
    request: Request,
    rt: ServiceRuntime,
    publishing: MonthReadinessCommands,
    caller: Principal,
) -> MonthReadinessOut:
    """Judge the month as of its last day and publish the figure (its next revision)."""
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
