"""Audit readiness as of the packet's last day, judged on the aggregates as they stood then.

The same rules as `GET /audit-readiness` (domain/audit_readiness.py), but read from the
log up to the period's end rather than from today's read models, so the figure never
moves once the period is over. The chain is verifying when the packet's last position is
sealed (or the period holds no record).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from services.pc_governance.domain import audit_readiness as kpi
from services.pc_governance.domain.clinician import Clinician
from services.pc_governance.domain.corrective_action import CorrectiveAction
from services.pc_governance.domain.meeting import Meeting
from services.pc_governance.domain.protocol import Protocol
from services.pc_governance.packet import html_parts as page
from services.pc_governance.packet.collect import History

CHAIN_TITLE = "The hash chain up to the packet's last log position"


def _items(history: History) -> list[kpi.RequiredItem]:
    as_of, items = history.last_day, []
    for stream in history.of(Protocol):
        protocol: Protocol = stream.state
        standing = protocol.standing
        if standing is not None and standing.review_due is not None:
            items.append(kpi.protocol(str(protocol.id), protocol.title, standing.review_due, as_of))
    periods: list[str] = []
    held: dict[str, date] = {}
    for stream in history.of(Meeting):
        meeting: Meeting = stream.state
        periods.append(meeting.period)
        if meeting.adjourned_at is None or meeting.adjourned_at.date() > as_of:
            continue
        held_day = meeting.adjourned_at.date()
        held[meeting.period] = min(held.get(meeting.period, held_day), held_day)
        approved = meeting.minutes.approved_at if meeting.minutes else None
        title = f"Minutes of the {meeting.period} governance meeting"
        held_on, approved_on = meeting.adjourned_at.date(), approved and approved.date()
        items.append(kpi.minutes(str(meeting.id), title, held_on, approved_on, as_of))
    for month in kpi.calendar_months(min(periods, default=None), as_of):
        items.append(kpi.meeting_month(month, held.get(month), as_of))
    for stream in history.of(Clinician):
        clinician: Clinician = stream.state
        for k in clinician.credentials.values():
            verified_on = k.verification.verified_on if k.verification else None
            title = f"{clinician.name}: {k.kind}"
            items.append(
                kpi.credential(str(k.credential_id), title, k.expires_on, verified_on, as_of)
            )
    for stream in history.of(CorrectiveAction):  # recorded before the end: opened by then
        action: CorrectiveAction = stream.state
        closed_on = action.completed_at.date() if action.completed_at else None
        items.append(
            kpi.corrective_action(str(action.id), action.title, action.due_on, closed_on, as_of)
        )
    return items


def audit_readiness(history: History, sealed: bool) -> dict[str, Any]:
    items = _items(history)
    items.append(kpi.audit_chain(CHAIN_TITLE, sealed or history.through == 0, None))
    return kpi.plain(kpi.audit_readiness(history.last_day, items))


def html(figures: dict[str, Any]) -> str:
    """The figure, its table and the items not current, for the printable packet."""
    overall = f"{figures['current']} of {figures['required']} required items current"
    return (
        page.fields([("As of", figures["as_of"]), ("Audit readiness", overall)])
        + page.table(
            ["Category", "Required", "Current"],
            [[c["category"], c["required"], c["current"]] for c in figures["categories"]],
        )
        + "<h4>Not current</h4>\n"
        + page.table(
            ["Category", "Item", "Title", "Due", "Done", "Reason"],
            [
                [i["category"], i["id"], i["title"], i["due_on"], i["done_on"], i["reason"]]
                for i in figures["not_current"]
            ],
        )
    )
