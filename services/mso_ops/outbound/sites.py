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
    JudgedAgainst,
    MaterialChange,
    OperatingTerm,
    ProForma,
    ReadinessEvidence,
)
from mhg.event_fields import copied
from services.mso_ops.domain.operating_term import rendered


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


def _site_request(event: Any, kind: str, **values: Any) -> AuthorizationRequestedV1:
    """A request about the site as a whole: no service line."""
    return AuthorizationRequestedV1(
        kind=kind,
        site_name=event.site_name,
        service_line=None,
        requested_at=event.timestamp,
        **values,
    )


def go_live_requested(event: Any) -> AuthorizationRequestedV1:
    readiness = ReadinessEvidence(
        summary=event.summary,
        checklist=[_checklist_item(entry) for entry in event.checklist],
        pro_forma=ProForma.model_validate(event.pro_forma),
        standard=JudgedAgainst.model_validate(event.standard) if event.standard else None,
    )
    return _site_request(
        event,
        "site_go_live",
        request_id=event.request_id,
        site_id=event.originator_id,
        readiness=readiness,
    )


CHANGED = ("aspect", "proposed", "description")  # what a material change tells the PC


def change_requested(event: Any) -> AuthorizationRequestedV1:
    previous = event.previous["value"] if event.previous else None
    summary = f"{event.aspect}: {previous or 'none'} -> {event.proposed}. "
    if event.operating_term is not None:  # the structured term the MSO will be held to
        summary += f"Term: {rendered(event.aspect, event.operating_term)}. "
    summary += event.description
    return _site_request(
        event,
        "material_change",
        request_id=event.originator_id,
        site_id=event.site_id,
        readiness=ReadinessEvidence(summary=summary[:4000]),
        change=MaterialChange(
            previous=previous,
            operating_term=None
            if event.operating_term is None
            else OperatingTerm.model_validate(event.operating_term),
            **copied(event, *CHANGED),
        ),
    )
