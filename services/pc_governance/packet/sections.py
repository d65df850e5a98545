"""The records of an audit packet, each built from the aggregates and events as of the period's end.

Every value is plain JSON (strings, numbers, booleans, lists, objects) in a fixed order,
so the same period always yields the same packet.
"""

from __future__ import annotations

import hashlib
from typing import Any

from services.pc_governance.domain.authorization import DENIED, REVOKED, Authorization
from services.pc_governance.domain.clinician import Clinician
from services.pc_governance.domain.corrective_action import NOT_DONE, VERIFIED, CorrectiveAction
from services.pc_governance.domain.protocol import Protocol
from services.pc_governance.packet.collect import History, Stream, actor, iso

FINAL_AUTHORIZATION = frozenset({DENIED, REVOKED})


def corrective_actions(history: History) -> list[dict[str, Any]]:
    """Actions open at some time in the period: status, evidence and verification of effect."""
    listed = []
    for stream in history.of(CorrectiveAction):
        action: CorrectiveAction = stream.state
        if action.status == VERIFIED and stream.last_recorded < history.start:
            continue  # found effective before the period began
        listed.append(
            {
                "id": str(action.id),
                "title": action.title,
                "description": action.description,
                "owner": action.owner,
                "assignee": action.assignee,
                "source": action.source,
                "opened_at": iso(action.opened_at),
                "opened_by": action.opened_by,
                "due_on": iso(action.due_on),
                "status": action.status,
                "overdue_at_period_end": action.due_on < history.last_day
                and action.status in NOT_DONE,
                "completed_at": iso(action.completed_at),
                "evidence": [
                    {
                        "text": e.text,
                        "document_ref": e.document_ref,
                        "party": e.party,
                        "added_by": e.added_by,
                        "added_at": iso(e.added_at),
                    }
                    for e in action.evidence
                ],
                "verifications": [
                    {
                        "effective": v.effective,
                        "note": v.note,
                        "verified_by": v.verified_by,
                        "verified_at": iso(v.verified_at),
                    }
                    for v in action.verifications
                ],
            }
        )
    return listed


def authorizations(history: History) -> list[dict[str, Any]]:
    """Authorizations in play during the period, each with every event of its history."""
    listed = []
    for stream in history.of(Authorization):
        authorization: Authorization = stream.state
        if authorization.status in FINAL_AUTHORIZATION and stream.last_recorded < history.start:
            continue  # denied or revoked before the period began
        listed.append(
            {
                "id": str(authorization.id),
                "request_id": str(authorization.request_id),
                "kind": authorization.kind,
                "site_id": str(authorization.site_id),
                "site_name": authorization.site_name,
                "service_line": authorization.service_line,
                "requested_at": iso(authorization.requested_at),
                "status": authorization.status,
                "effective_date": iso(authorization.effective_date),
                "history": _authorization_history(stream),
            }
        )
    return listed


def _authorization_history(stream: Stream) -> list[dict[str, Any]]:
    history = []
    for event, position in zip(stream.events, stream.positions, strict=True):
        entry: dict[str, Any] = {
            "event": type(event).__name__.lower(),
            "recorded_at": iso(event.timestamp),
            "position": position,
            "actor": actor(event),
        }
        if hasattr(event, "decision_id"):
            entry["decision_id"] = str(event.decision_id)
        for name in ("decided_at", "effective_date"):
            if hasattr(event, name):
                entry[name] = iso(getattr(event, name))
        for name in ("basis", "reason", "conditions", "protocol_refs"):
            if hasattr(event, name):
                entry[name] = getattr(event, name)
        history.append(entry)
    return history


def protocol_versions(history: History) -> list[dict[str, Any]]:
    """Every protocol version in effect on some day of the period."""
    first, last = history.start.date(), history.last_day
    listed = []
    for stream in history.of(Protocol):
        protocol: Protocol = stream.state
        for v in protocol.versions:
            if v.effective_from is None or v.effective_from > last:
                continue
            if v.ended_on is not None and v.ended_on <= first:
                continue
            listed.append(
                {
                    "protocol_id": str(protocol.id),
                    "title": protocol.title,
                    "type": protocol.protocol_type,
                    "service_lines": list(protocol.service_lines),
                    "site_ids": None
                    if protocol.site_ids is None
                    else [str(s) for s in protocol.site_ids],
                    "version": v.number,
                    "status": v.status,
                    "effective_from": iso(v.effective_from),
                    "ended_on": iso(v.ended_on),
                    "approved_by": v.approved_by,
                    "approved_at": iso(v.approved_at),
                    "review_due": iso(v.review_due),
                    "body_sha256": hashlib.sha256(v.body.encode()).hexdigest(),
                }
            )
    return listed


def clinicians(history: History) -> list[dict[str, Any]]:
    """Each clinician's eligibility and credentials as they stood at the end of the period."""
    listed = []
    for stream in history.of(Clinician):
        c: Clinician = stream.state
        listed.append(
            {
                "id": str(c.id),
                "npi": c.npi,
                "name": c.name,
                "role": c.role,
                "status": c.status,
                "eligibility_reason": c.eligibility_reason,
                "credentials": [
                    {
                        "credential_id": str(k.credential_id),
                        "kind": k.kind,
                        "number": k.number,
                        "issuer": k.issuer,
                        "issued_on": iso(k.issued_on),
                        "expires_on": iso(k.expires_on),
                        "status": k.status,
                        "lapsed_by_period_end": k.expires_on < history.last_day,
                        "verified_on": iso(k.verification.verified_on) if k.verification else None,
                        "verified_by": k.verification.verified_by if k.verification else None,
                    }
                    for k in c.credentials.values()
                ],
            }
        )
    return listed
