"""Protocols and standing orders: drafted by PC physicians, decided by the Medical Director."""

from __future__ import annotations

from uuid import UUID

from mhg.aggregate_command import new, step
from mhg.meta import Meta
from services.pc_governance.application import clock
from services.pc_governance.application.capability import Capability
from services.pc_governance.domain.protocol import Protocol
from services.pc_governance.domain.protocol_errors import ProtocolNotFound


class ProtocolCommands(Capability):
    draft_protocol = new(Protocol.draft, protocol_id="id")

    def protocol(self, protocol_id: UUID) -> Protocol:
        return self.store.load_as(
            Protocol, protocol_id, ProtocolNotFound, f"no protocol {protocol_id}"
        )

    def add_protocol_draft(
        self, protocol_id: UUID, *, body: str, expected_version: int | None, meta: Meta
    ) -> tuple[Protocol, int]:
        protocol = self.protocol(protocol_id)
        self.store.check_version(protocol, expected_version)
        number = protocol.add_draft(body=body, meta=meta)
        self.store.record(protocol)
        return protocol, number

    revise_protocol_draft = step(protocol, Protocol.revise_draft)

    approve_protocol_version = step(protocol, Protocol.approve, clock.dated)

    retire_protocol_version = step(protocol, Protocol.retire, clock.dated)

    review_protocol = step(protocol, Protocol.record_review, clock.dated)
