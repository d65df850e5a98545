"""Protocols and standing orders: drafted by PC physicians, decided by the Medical Director."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from mhg.meta import Meta
from services.pc_governance.application import clock
from services.pc_governance.application.capability import Capability
from services.pc_governance.domain.protocol import Protocol
from services.pc_governance.domain.protocol_errors import ProtocolNotFound


class ProtocolCommands(Capability):
    def draft_protocol(
        self,
        *,
        protocol_id: UUID,
        title: str,
        protocol_type: str,
        service_lines: list[str],
        site_ids: list[UUID] | None,
        body: str,
        meta: Meta,
    ) -> Protocol:
        protocol = Protocol.draft(
            id=protocol_id,
            title=title,
            protocol_type=protocol_type,
            service_lines=service_lines,
            site_ids=site_ids,
            body=body,
            meta=meta,
        )
        self.store.record(protocol)
        return protocol

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

    def revise_protocol_draft(
        self, protocol_id: UUID, number: int, *, body: str, expected_version: int | None, meta: Meta
    ) -> Protocol:
        return self.store.change(
            self.protocol(protocol_id),
            expected_version,
            lambda protocol: protocol.revise_draft(number, body=body, meta=meta),
        )

    def approve_protocol_version(
        self,
        protocol_id: UUID,
        number: int,
        *,
        effective_from: date,
        review_due: date | None,
        expected_version: int | None,
        meta: Meta,
    ) -> Protocol:
        return self.store.change(
            self.protocol(protocol_id),
            expected_version,
            lambda protocol: protocol.approve(
                number,
                effective_from=effective_from,
                review_due=review_due,
                today=clock.today(),
                meta=meta,
            ),
        )

    def retire_protocol_version(
        self,
        protocol_id: UUID,
        number: int,
        *,
        reason: str,
        expected_version: int | None,
        meta: Meta,
    ) -> Protocol:
        return self.store.change(
            self.protocol(protocol_id),
            expected_version,
            lambda protocol: protocol.retire(number, reason=reason, today=clock.today(), meta=meta),
        )

    def review_protocol(
        self,
        protocol_id: UUID,
        *,
        notes: str,
        next_review_due: date | None,
        expected_version: int | None,
        meta: Meta,
    ) -> Protocol:
        return self.store.change(
            self.protocol(protocol_id),
            expected_version,
            lambda protocol: protocol.record_review(
                notes=notes, next_review_due=next_review_due, today=clock.today(), meta=meta
            ),
        )
