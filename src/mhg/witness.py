"""Witnessed heads: each service's signed chain head, recorded in the other's log.

As it seals, a service records its signed head as an event of its own log
(`HeadPublished`), which its feed publishes as `audit-head.published` v1. The peer
verifies it (the envelope's signature, then the head's own under a key it trusts) and
records it as a `HeadWitnessed` event of its log, with the feed position, in one
transaction. A later rewrite of the first service's history, re-sealed from the
start, no longer contains the heads the other service witnessed:
`mhg audit verify --witnessed-in PEER_URL` finds each one that is missing.

A head event is itself a record to seal, so a head is recorded only when something
else was sealed since the last one: a quiet log publishes nothing.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event
from eventsourcing.persistence import Tracking
from eventsourcing.utils import get_topic

from contracts import ContractMessage, Envelope
from contracts.v1.audit_head import AuditHeadPublishedV1
from mhg.audit.heads import check_signature
from mhg.audit.ledger import Ledger
from mhg.eventstore import ServiceApplication
from mhg.meta import Meta
from mhg.signing import TrustedKeys

log = logging.getLogger(__name__)

HEAD_NAMESPACE = uuid.UUID("a3d2b7e4-1c9f-4e0a-8b6d-5f4e3c2b1a09")
HEAD_FIELDS = ("service", "position", "link", "sealed_at", "algorithm", "public_key", "signature")


class HeadPublished(Aggregate):
    """This service's signed chain head at one sealed position."""

    @staticmethod
    def create_id(service: str, position: int) -> UUID:
        return uuid.uuid5(HEAD_NAMESPACE, f"published|{service}|{position}")

    class Published(Aggregate.Created):
        head: dict[str, Any]
        meta: Meta

    @event(Published)
    def __init__(self, id: UUID, head: dict[str, Any], meta: Meta) -> None:
        self.head = head


class HeadWitnessed(Aggregate):
    """The other service's signed chain head, as received through its feed."""

    @staticmethod
    def create_id(service: str, position: int) -> UUID:
        return uuid.uuid5(HEAD_NAMESPACE, f"witnessed|{service}|{position}")

    class Witnessed(Aggregate.Created):
        head: dict[str, Any]
        verified: bool
        meta: Meta

    @event(Witnessed)
    def __init__(self, id: UUID, head: dict[str, Any], verified: bool, meta: Meta) -> None:
        self.head = head
        self.verified = verified


PUBLISHED_TOPIC = get_topic(HeadPublished.Published)
WITNESSED_TOPIC = get_topic(HeadWitnessed.Witnessed)


def head_message(event: Any) -> ContractMessage:
    return AuditHeadPublishedV1.model_validate(event.head)


OUTBOUND: dict[type[Any], Callable[[Any], ContractMessage]] = {
    HeadPublished.Published: head_message,
}


def record_head(app: ServiceApplication, head: dict[str, Any]) -> int:
    """Record a signed head in the service's own log; the position of that record."""
    service, position = str(head["service"]), int(head["position"])
    meta = Meta(
        actor_id=service,
        actor_role="service",
        actor_org="service",
        request_id=f"sealer:{position}",
        correlation_id=f"audit-head:{position}",
        causation_id=f"sealer:{position}",  # caused by the sealer's own round, no request
    )
    published = HeadPublished(
        id=HeadPublished.create_id(service, position),
        head={name: head[name] for name in HEAD_FIELDS},
        meta=meta,
    )
    app.record(published)
    return app.head_position()


@dataclass
class Witness:
    """Wraps a service's inbound policy: records the peer's heads, passes the rest on."""

    app: ServiceApplication
    subscription: str
    consumer: str
    inner: Callable[[Envelope], None]

    def __call__(self, envelope: Envelope) -> None:
        if (envelope.type, envelope.version) != (AuditHeadPublishedV1.TYPE, 1):
            self.inner(envelope)
            return
        head = AuditHeadPublishedV1.model_validate(envelope.payload).model_dump()
        verified = head["service"] == envelope.producer and self._trusted(head)
        if not verified:
            log.error(
                "%s: the head at %s is not validly signed", envelope.producer, head["position"]
            )
        witnessed = HeadWitnessed(
            id=HeadWitnessed.create_id(head["service"], head["position"]),
            head=head,
            verified=verified,
            meta=Meta(
                actor_id=envelope.actor.id,
                actor_role=envelope.actor.role,
                actor_org=envelope.actor.org,
                request_id=f"{self.consumer}:{envelope.producer}:{envelope.position}",
                correlation_id=envelope.correlation_id,
                causation_id=str(envelope.message_id),
            ),
        )
        tracking = Tracking(application_name=self.subscription, notification_id=envelope.position)
        self.app.record(witnessed, tracking=tracking)

    def _trusted(self, head: dict[str, Any]) -> bool:
        keys = self.app.peer_keys
        if keys is None or not check_signature(head):
            return False
        named = TrustedKeys.from_texts([head["public_key"]])
        return any(kid in keys.keys for kid in named.keys)


def witnessed_heads(ledger: Ledger, service: str) -> Iterator[tuple[int, int, str]]:
    """(record position in the witness's log, head position, head link) for a service."""
    for record in ledger.records():
        if record.topic != WITNESSED_TOPIC:
            continue
        head = json.loads(record.state).get("head", {})
        if head.get("service") == service:
            yield record.position, int(head["position"]), str(head["link"])


__all__ = [
    "OUTBOUND",
    "PUBLISHED_TOPIC",
    "WITNESSED_TOPIC",
    "HeadPublished",
    "HeadWitnessed",
    "Witness",
    "record_head",
    "witnessed_heads",
]
