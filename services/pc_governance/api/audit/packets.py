"""The audit packet of a period, as JSON or as a printable HTML page."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Query
from fastapi.responses import HTMLResponse, JSONResponse, Response

from mhg import problems
from mhg.bounded import Day
from mhg.routes import Runtime
from services.pc_governance.api.audit.packet_schemas import AuditPacket
from services.pc_governance.api.dependencies import AuditPacketReader
from services.pc_governance.packet import html
from services.pc_governance.packet.build import audit_packet

router = APIRouter(tags=["audit"])

MAX_DAYS = 1096  # three years
HTML_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The packet (JSON), or the same as a printable page (text/html)",
        "content": {"text/html": {"schema": {"type": "string"}}},
    }
}


def wants_html(accept: str | None, output: str | None) -> bool:
    """`?format=` decides; else the Accept type with the higher q between HTML and JSON."""
    if output is not None:
        return output == "html"
    weights: dict[str, float] = {}
    for order, part in enumerate((accept or "").split(",")):
        media, _, params = part.strip().partition(";")
        q = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        weights.setdefault(media.strip().lower(), q - order * 1e-6)
    html_q = weights.get("text/html", 0.0)
    return html_q > 0 and html_q > weights.get("application/json", 0.0)


def now() -> datetime:
    return datetime.now(UTC)


def _check_period(first: date, last: date) -> None:
    if first > last:
        raise problems.Problem(
            422,
            "invalid-period",
            "The period is empty",
            f"from {first} is after to {last}",
            field="from",
        )
    if (last - first) > timedelta(days=MAX_DAYS):
        raise problems.Problem(
            422,
            "invalid-period",
            "The period is too long",
            f"a packet covers at most {MAX_DAYS} days; split the period",
            field="to",
        )


@router.get(
    "/audit-packets",
    operation_id="getAuditPacket",
    summary="The audit packet of a period: minutes, decisions, actions, authorizations, protocols",
    description=(
        "Rebuilt from the event log as it stood at the end of the period (UTC days, both "
        "inclusive): meetings with minutes and amendments, the decision log, corrective actions "
        "and their outcomes, authorizations with every decision, protocol versions in effect, "
        "and each clinician's credentials. The packet ends with the seal of the hash chain at "
        "the last log position it covers. The same period always gives the same packet, apart "
        "from `generated_at`. `Accept: text/html` or `?format=html` gives a printable page."
    ),
    response_model=AuditPacket,
    responses={**problems.responses(401, 403, 422), **HTML_RESPONSE},
)
def get_audit_packet(
    rt: Runtime,
    _caller: AuditPacketReader,
    first_day: Annotated[Day, Query(alias="from", description="First day, e.g. 2026-10-01")],
    last_day: Annotated[Day, Query(alias="to", description="Last day, e.g. 2026-10-31")],
    output: Annotated[
        Literal["json", "html"] | None,
        Query(alias="format", description="Overrides the Accept header"),
    ] = None,
    accept: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> Response:
    _check_period(first_day, last_day)
    packet = AuditPacket.model_validate(
        audit_packet(
            rt.application,
            rt.ledger,
            service=rt.parts.service,
            signing_key=rt.settings.audit_signing_key,
            first_day=first_day,
            last_day=last_day,
            now=now(),
        )
    )
    headers = {"Vary": "Accept", "Cache-Control": "no-store"}
    if wants_html(accept, output):
        return HTMLResponse(html.render(packet.body()), headers=headers)
    return JSONResponse(packet.body(), headers=headers)
