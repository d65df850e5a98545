"""The meetings of an audit packet and its decision log, as they stood at the period's end."""

from __future__ import annotations

from typing import Any

from services.pc_governance.domain.meeting import Meeting
from services.pc_governance.packet.collect import History, actor, iso


def meetings(history: History) -> list[dict[str, Any]]:
    """Meetings scheduled in the period: attendance, agenda, motions, minutes and amendments."""
    held = [s.state for s in history.of(Meeting) if history.holds(s.state.scheduled_for)]
    return [_meeting(m) for m in sorted(held, key=lambda m: (m.scheduled_for, str(m.id)))]


def _meeting(m: Meeting) -> dict[str, Any]:
    minutes = None
    if m.minutes is not None:
        minutes = {
            "minutes_id": str(m.minutes.minutes_id),
            "status": "approved" if m.minutes.approved else "draft",
            "text": m.minutes.text,
            "revision": m.minutes.revision,
            "drafted_by": m.minutes.drafted_by,
            "approved_by": m.minutes.approved_by,
            "approved_at": iso(m.minutes.approved_at),
            "amendments": [
                {
                    "amendment_id": str(a.amendment_id),
                    "amends": str(a.amends),
                    "text": a.text,
                    "reason": a.reason,
                    "amended_at": iso(a.amended_at),
                    "amended_by": a.amended_by,
                }
                for a in m.minutes.amendments
            ],
        }
    return {
        "id": str(m.id),
        "period": m.period,
        "scheduled_for": iso(m.scheduled_for),
        "status": m.status,
        "chair": m.chair,
        "quorum": {
            "min_present": m.quorum.min_present,
            "medical_director_required": m.quorum.medical_director_required,
            "met": m.has_quorum,
        },
        "attendance": [
            {"person_id": a.person_id, "name": a.name, "role": a.role, "present": a.present}
            for a in m.attendees.values()
        ],
        "agenda": [
            {
                "item_id": str(i.item_id),
                "kind": i.kind,
                "reference": i.reference,
                "title": i.title,
                "source": i.source,
                "disposition": i.disposition,
                "decision_id": None if i.decision_id is None else str(i.decision_id),
                "deferred_to": i.deferred_to,
                "note": i.note,
            }
            for i in m.agenda
        ],
        "motions": [
            {
                "motion_id": str(x.motion_id),
                "item_id": str(x.item_id),
                "text": x.text,
                "moved_by": x.moved_by,
                "votes": dict(x.votes),
                "tally": x.tally(),
                "outcome": x.outcome,
                "decision_id": None if x.decision_id is None else str(x.decision_id),
                "decided_at": iso(x.decided_at),
            }
            for x in m.motions
        ],
        "minutes": minutes,
        "opened_at": iso(m.opened_at),
        "adjourned_at": iso(m.adjourned_at),
        "closed_at": iso(m.closed_at),
    }


def decision_log(history: History) -> list[dict[str, Any]]:
    """Every motion carried in the period, across meetings, with who recorded it."""
    entries = []
    for stream in history.of(Meeting):
        for event in stream.events:
            if type(event).__name__ == "MotionCarried" and history.holds(event.decided_at):
                entries.append(
                    {
                        "decision_id": str(event.decision_id),
                        "meeting_id": str(event.originator_id),
                        "meeting_period": event.subject["period"],
                        "text": event.subject["text"],
                        "agenda_item_kind": event.subject["item_kind"],
                        "agenda_item_reference": event.subject["item_reference"],
                        "decided_at": iso(event.decided_at),
                        "tally": dict(event.tally),
                        "recorded_by": actor(event),
                    }
                )
    return sorted(entries, key=lambda e: (e["decided_at"], e["decision_id"]))
