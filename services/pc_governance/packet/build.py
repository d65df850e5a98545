"""One audit packet for a period: its records, what of the log it covers, and its seal."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from mhg.audit.ledger import Ledger
from mhg.eventstore import ServiceApplication
from services.pc_governance.packet import meetings, readiness, sections, visit_templates
from services.pc_governance.packet.collect import collect, iso
from services.pc_governance.packet.seal import seal_at


def audit_packet(
    app: ServiceApplication,
    ledger: Ledger,
    *,
    service: str,
    signing_key: str | None,
    first_day: date,
    last_day: date,
    now: datetime,
) -> dict[str, Any]:
    """The packet as plain JSON; everything but `generated_at` depends on the log alone."""
    history = collect(app, first_day, last_day)
    seal, seal_note = seal_at(ledger, service, history.through, signing_key)
    return {
        "service": service,
        "period": {"from": first_day.isoformat(), "to": last_day.isoformat()},
        "period_closed": history.end <= now,
        "covers": {
            "recorded_before": iso(history.end),
            "through_position": history.through,
            "events": history.events,
        },
        "meetings": meetings.meetings(history),
        "decision_log": meetings.decision_log(history),
        "corrective_actions": sections.corrective_actions(history),
        "authorizations": sections.authorizations(history),
        "protocol_versions": sections.protocol_versions(history),
        "visit_template_versions": visit_templates.visit_template_versions(history),
        "clinicians": sections.clinicians(history),
        "audit_readiness": readiness.audit_readiness(history, seal is not None),
        "seal": seal,
        "seal_note": seal_note,
        "generated_at": iso(now),
    }
