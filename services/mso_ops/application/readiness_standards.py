"""The PC's readiness standards, recorded as they arrive by feed, and which is in force."""

from __future__ import annotations

from typing import Any

from eventsourcing.persistence import Tracking

from mhg.meta import Meta
from services.mso_ops.application.received_records import ReceivedRecords
from services.mso_ops.domain.readiness_standard import (
    SERVICE_LINE,
    SITE_GO_LIVE,
    SITE_GO_LIVE_V0,
    ChecklistStandard,
    NoReadinessStandardInForce,
    service_line_v0,
)
from services.mso_ops.domain.readiness_standard_record import (
    ReceivedStandard,
    StandardRetirement,
)


class ReadinessStandardCommands(ReceivedRecords[ReceivedStandard]):
    def record_standard_approval(
        self, *, facts: dict[str, Any], meta: Meta, tracking: Tracking
    ) -> ReceivedStandard:
        """Record one approved version, exactly once (the tracking goes with it)."""
        return self._take(
            ReceivedStandard.create_id(facts["kind"], facts["service_line"]),
            lambda: ReceivedStandard.first_approved(facts=facts, meta=meta),
            lambda received: received.approve(facts=facts, meta=meta),
            tracking,
        )

    def record_standard_retirement(
        self, *, kind: str, service_line: str | None, meta: Meta, tracking: Tracking, **ended: Any
    ) -> None:
        """The PC's retirement of a standard: `ended` is the message's other fields."""
        received = self._received(ReceivedStandard.create_id(kind, service_line))
        if received is None:
            raise NoReadinessStandardInForce(f"no {kind} standard was received to retire")
        received.retire(retirement=StandardRetirement(**ended), meta=meta)
        self.store.record(received, tracking=tracking)

    def _in_force(
        self, kind: str, service_line: str | None, v0: ChecklistStandard
    ) -> ChecklistStandard:
        received = self._received(ReceivedStandard.create_id(kind, service_line))
        if received is None:
            return v0
        standard = received.in_force
        if standard is None:
            what = kind if service_line is None else f"{service_line} {kind}"
            raise NoReadinessStandardInForce(
                f"the PC retired the {what} readiness standard; no version is in force",
                kind=kind,
                service_line=service_line,
            )
        return standard

    def site_go_live_standard(self) -> ChecklistStandard:
        """The standard a site's go-live is judged against now (v0 until the PC sets one)."""
        return self._in_force(SITE_GO_LIVE, None, SITE_GO_LIVE_V0)

    def site_go_live_counted(self) -> ChecklistStandard:
        """The standard a site's readiness is counted against: the one in force, or after a
        retirement the version retired (the last the PC approved), until a new one is."""
        received = self._received(ReceivedStandard.create_id(SITE_GO_LIVE, None))
        if received is None:
            return SITE_GO_LIVE_V0
        return ChecklistStandard.of(received.versions[-1])

    def service_line_standard(self, code: str) -> ChecklistStandard:
        """The standard a service line's authorization is judged against now."""
        return self._in_force(SERVICE_LINE, code, service_line_v0(code))
