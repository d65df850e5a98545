"""The contract feed: publishing this service's messages (following: `mhg.feed_follower`).

Publishing derives the feed from the event log itself: the events that map to a
contract message, in log order, positioned by their notification id. There is no
outbox to keep in step, and a message is published exactly when its event is stored.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from eventsourcing.utils import get_topic

from contracts import (
    Actor,
    ContractMessage,
    Envelope,
    FeedPage,
    UnknownMessageError,
    parse_message,
)
from mhg.eventstore import ServiceApplication
from mhg.meta import Meta
from mhg.signing import SigningKey

MESSAGE_NAMESPACE = uuid.UUID("0b6f7c1e-52a4-4a57-9b1f-6f2f6c8f1d20")
PRODUCER_HEADER = "X-Feed-Producer"

Translator = Callable[[Any], ContractMessage]
H = TypeVar("H")

log = logging.getLogger(__name__)


def signed_envelope(key: SigningKey, envelope: Envelope) -> Envelope:
    """The envelope with the key's id and its signature over the canonical envelope."""
    document = key.sign(envelope.model_dump(mode="json", exclude={"signature"}))
    return envelope.model_copy(
        update={"key_id": document["key_id"], "signature": document["signature"]}
    )


class FeedPublisher:
    """Serves a service's outgoing messages as an ordered, resumable feed."""

    def __init__(
        self,
        app: ServiceApplication,
        producer: str,
        outbound: Mapping[type[Any], Translator],
        key: SigningKey | None = None,
    ) -> None:
        self.app = app
        self.producer = producer
        self.outbound = dict(outbound)
        self.topics = [get_topic(cls) for cls in self.outbound]
        self.key = key

    def page(self, after: int, limit: int) -> FeedPage:
        """Messages after `after`; `next_after` is how far the log was scanned.

        The feed is sparse (most events are not messages), so a page that is not full
        has scanned the log up to the head it saw, and says so: a follower resumes from
        `next_after` and is caught up when it reaches `head`.
        """
        head = self.app.head_position()
        notifications = self.app.recorder.select_notifications(
            start=after, limit=limit, stop=head, topics=self.topics, inclusive_of_start=False
        )
        messages = []
        for notification in notifications:
            event = self.app.decode(notification)
            message = self.outbound[type(event)](event)
            messages.append(self.envelope(event, message, notification.id))
        full = len(notifications) == limit
        next_after = notifications[-1].id if full else max(head, after)
        return FeedPage(messages=messages, next_after=next_after, head=head)

    def envelope(self, event: Any, message: ContractMessage, position: int) -> Envelope:
        meta: Meta = event.meta
        event_ref = f"{event.originator_id}:{event.originator_version}"
        envelope = Envelope(
            message_id=uuid.uuid5(MESSAGE_NAMESPACE, f"{self.producer}|{event_ref}"),
            type=message.TYPE,
            version=message.VERSION,
            producer=self.producer,
            position=position,
            occurred_at=event.timestamp,
            correlation_id=meta.correlation_id,
            causation_id=meta.causation_id,
            actor=Actor(id=meta.actor_id, role=meta.actor_role, org=meta.actor_org),
            payload=message.model_dump(mode="json"),
        )
        return self.sign(envelope)

    def sign(self, envelope: Envelope) -> Envelope:
        """The envelope with this producer's key id and signature (unchanged without a key)."""
        return envelope if self.key is None else signed_envelope(self.key, envelope)


def reaction_meta(envelope: Envelope, consumer: str) -> Meta:
    """The metadata of events caused by a contract message: its actor, its conversation."""
    return Meta(
        actor_id=envelope.actor.id,
        actor_role=envelope.actor.role,
        actor_org=envelope.actor.org,
        request_id=f"{consumer}:{envelope.producer}:{envelope.position}",
        correlation_id=envelope.correlation_id,
        causation_id=str(envelope.message_id),
    )


def message_and_handler(
    envelope: Envelope,
    handlers: Mapping[type[ContractMessage], H],
    skip: Callable[[], None],
    reader: str,
) -> tuple[ContractMessage, H] | None:
    """A peer's message and the handler `reader` has for it; None once a message it has no
    use for (unknown to it, or of a type it has no handler for) is skipped with `skip`."""
    try:
        message = parse_message(envelope)
    except UnknownMessageError:
        log.info("skipping %s v%s: not a message %s uses", envelope.type, envelope.version, reader)
        skip()
        return None
    handler = handlers.get(type(message))
    if handler is None:
        skip()
        return None
    return message, handler
