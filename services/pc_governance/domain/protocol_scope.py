"""What a protocol applies to: its type, the service lines and the sites (none named: all)."""

from __future__ import annotations

from uuid import UUID

from contracts.v1.service_lines import SERVICE_LINES
from services.pc_governance.domain.protocol_errors import InvalidProtocolScope
from services.pc_governance.domain.protocol_version import MAX_SITES, PROTOCOL_TYPES


def check_scope(protocol_type: str, service_lines: list[str], site_ids: list[UUID] | None) -> None:
    if protocol_type not in PROTOCOL_TYPES:
        raise InvalidProtocolScope(f"type must be one of {', '.join(PROTOCOL_TYPES)}")
    unknown = sorted(set(service_lines) - set(SERVICE_LINES))
    if not service_lines or unknown:
        raise InvalidProtocolScope(f"service_lines must name known service lines: {unknown}")
    if site_ids is not None and not 0 < len(site_ids) <= MAX_SITES:
        raise InvalidProtocolScope(
            f"site_ids must name 1 to {MAX_SITES} sites, or be null for all sites"
        )


def subject_for_mso(
    title: str, protocol_type: str, service_lines: list[str], site_ids: list[UUID] | None
) -> dict[str, object]:
    """What the MSO may know of a protocol: its title and scope."""
    return {
        "title": title,
        "type": protocol_type,
        "service_lines": list(service_lines),
        "site_ids": None if site_ids is None else list(site_ids),
    }
