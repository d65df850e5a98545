"""The requests a site sends the PC: its go-live, and material changes to its operation.

Both are `authorization.requested` v1 messages with no service line: a go-live carries
the readiness checklist (each item with who recorded its evidence, when, on what
document) and the pro forma; a material change carries what it would change.
"""

from __future__ import annotations

from typing import Any

from contracts.v1.authorization import (
    AuthorizationRequestedV1,
    ChecklistItem,
    MaterialChange,
    ProForma,
    ReadinessEvidence,
)


def _checklist_item(entry: dict[str, Any]) -> ChecklistItem:
    said = [f"recorded by {entry['recorded_by']} at {entry['recorded_at']}"]
    if entry.get("document_ref"):
        said.append(f"document {entry['document_ref']}")
    if entry.get("note"):
        said.append(str(entry["note"]))
    return ChecklistItem(
        item=entry["item"],
        met=entry["met"],
        evidence="; ".join(said)[:2000],
        recorded_by=entry["recorded_by"],
        recorded_at=entry["recorded_at"],
        document_ref=entry.get("document_ref"),
        note=entry.get("note"),
    )


def go_live_requested(event: Any) -> AuthorizationRequestedV1:
    return AuthorizationRequestedV1(
        request_id=event.request_id,
        kind="site_go_live",
        site_id=event.originator_id,
        site_name=event.site_name,
        service_line=None,
        readiness=ReadinessEvidence(
            summary=event.summary,
            checklist=[_checklist_item(entry) for entry in event.checklist],
            pro_forma=ProForma.model_validate(event.pro_forma),
        ),
        requested_at=event.timestamp,
    )


def change_requested(event: Any) -> AuthorizationRequestedV1:
    previous = event.previous["value"] if event.previous else None
    return AuthorizationRequestedV1(
        request_id=event.originator_id,
        kind="material_change",
        site_id=event.site_id,
        site_name=event.site_name,
        service_line=None,
        readiness=ReadinessEvidence(
            summary=f"{event.aspect}: {previous or 'none'} -> {event.proposed}. "
            f"{event.description}"[:4000]
        ),
        change=MaterialChange(
            aspect=event.aspect,
            proposed=event.proposed,
            previous=previous,
            description=event.description,
        ),
        requested_at=event.timestamp,
    )
