"""Provenance: which PC decision an MSO record runs under, and the message that brought it.

Read from the event log alone. A PC decision becomes an MSO fact only when its message
is applied (inbound.py), and the event that applies it keeps the message's id and PC
feed position in its metadata (`mhg.provenance.arrival`). A booking carries the
authorization and decision it was made under; its service line holds the events that
recorded them, so the chain is: booking -> service line event -> PC feed message ->
the PC's own provenance of that authorization.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from contracts.v1.service_lines import SERVICE_LINES
from mhg.eventstore import ServiceApplication
from mhg.history import events_of
from mhg.provenance import arrival
from mhg.received import SignatureSeen
from services.mso_ops.domain.appointment import Appointment
from services.mso_ops.domain.errors import AppointmentNotFound, ServiceLineNotFound, SiteNotFound
from services.mso_ops.domain.service_line import ServiceLine
from services.mso_ops.domain.site import Site


@dataclass(frozen=True)
class ArrivedDecision:
    """A PC decision as this service recorded it, and the contract message it came in."""

    event: str
    version: int
    recorded_at: datetime
    authorization_id: UUID | None
    decision_id: UUID | None
    producer: str
    position: int
    message_id: str
    signature: SignatureSeen | None = None


@dataclass
class Chain:
    """An MSO record, the PC decision it carries, and how that decision got here."""

    kind: str
    record_id: UUID
    version: int
    status: str
    site_id: UUID
    service_line: str | None
    authorization_id: UUID | None
    decision_id: UUID | None
    arrived_through: ArrivedDecision | None = None
    decisions: list[ArrivedDecision] = field(default_factory=list)
    service_lines: list[Chain] = field(default_factory=list)


@dataclass(eq=False)
class ProvenanceQueries:
    store: ServiceApplication

    def pc_decisions_on(self, aggregate_id: UUID) -> list[ArrivedDecision]:
        """Every event of the record that applied a message from the other service."""
        arrived = []
        for event in events_of(self.store, aggregate_id):
            message = arrival(event)
            if message is None:
                continue
            arrived.append(
                ArrivedDecision(
                    event=type(event).__name__,
                    version=event.originator_version,
                    recorded_at=event.timestamp,
                    authorization_id=getattr(event, "authorization_id", None),
                    decision_id=getattr(event, "decision_id", None),
                    producer=message.producer,
                    position=message.position,
                    message_id=message.message_id,
                    signature=self.store.received_signature(message.producer, message.position),
                )
            )
        return arrived

    def appointment_provenance(self, appointment_id: UUID) -> Chain:
        appointment = self.store.load_as(
            Appointment, appointment_id, AppointmentNotFound, f"no appointment {appointment_id}"
        )
        decisions = self.pc_decisions_on(appointment.service_line_id)
        return chain_of(
            "appointment", appointment, decisions, appointment.site_id, appointment.service_line
        )

    def service_line_provenance(self, line_id: UUID) -> Chain:
        line = self.store.load_as(
            ServiceLine, line_id, ServiceLineNotFound, f"no service line {line_id}"
        )
        return chain_of(
            "service-line", line, self.pc_decisions_on(line.id), line.site_id, line.code
        )

    def site_provenance(self, site_id: UUID) -> Chain:
        site = self.store.load_as(Site, site_id, SiteNotFound, f"no site {site_id}")
        chain = chain_of("site", site, self.pc_decisions_on(site.id), site.id, None)
        lines = [ServiceLine.create_id(site.id, code) for code in SERVICE_LINES]
        chain.service_lines = [
            self.service_line_provenance(i) for i in lines if i in self.store.repository
        ]
        return chain


def chain_of(
    kind: str,
    record: Appointment | ServiceLine | Site,
    decisions: list[ArrivedDecision],
    site_id: UUID,
    service_line: str | None,
) -> Chain:
    """The record's chain: the authorization and decision it carries (a site before its
    go-live carries none), and the arrival that recorded that decision."""
    decision_id = getattr(record, "decision_id", None)
    return Chain(
        kind=kind,
        record_id=record.id,
        version=record.version,
        status=record.status,
        site_id=site_id,
        service_line=service_line,
        authorization_id=getattr(record, "authorization_id", None),
        decision_id=decision_id,
        arrived_through=carrying(decisions, decision_id),
        decisions=decisions,
    )


def carrying(decisions: list[ArrivedDecision], decision_id: UUID | None) -> ArrivedDecision | None:
    """The arrival that recorded the decision a record carries now (None if it carries none)."""
    if decision_id is None:
        return None
    return next((d for d in reversed(decisions) if d.decision_id == decision_id), None)
