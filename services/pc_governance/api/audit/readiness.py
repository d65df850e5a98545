"""GET /audit-readiness: the audit-readiness KPI as of a day (docs/domain.md#kpis; ADR 0013)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query

from mhg import problems
from mhg.bounded import Day
from mhg.routes import Runtime
from services.pc_governance.api.audit.readiness_schemas import AuditReadinessOut
from services.pc_governance.api.dependencies import PcReader
from services.pc_governance.application.audit_readiness import audit_readiness

router = APIRouter(tags=["audit"])


def now() -> datetime:
    return datetime.now(UTC)


@router.get(
    "/audit-readiness",
    operation_id="getAuditReadiness",
    summary="Audit readiness: the share of required governance items current as of a day",
    description=(
        "Protocols inside their review date, minutes approved within 30 days of the meeting, "
        "credentials verified and in date, corrective actions closed by their due day, and "
        "the audit chain verifying (sealed to the head, the last seal matching its record). "
        "The overall share is current / required over every item; each category has its "
        "own row, and every item not current is listed with its reason."
    ),
    response_model=AuditReadinessOut,
    responses=problems.responses(401, 403, 422),
)
def get_audit_readiness(
    rt: Runtime,
    _caller: PcReader,
    as_of: Annotated[
        Day | None, Query(description="The day to judge due dates on (UTC); default today")
    ] = None,
) -> AuditReadinessOut:
    moment = now()
    readiness = audit_readiness(rt.store, rt.ledger, as_of=as_of or moment.date(), now=moment)
    return AuditReadinessOut.of(readiness)
