"""Where a fact came from across the two services: the contract message that carried it.

Both ends of a message leave a trace in their own log, and these two functions read
them, so that a chain can be followed without any table kept for the purpose:

- the producer: a published event's message id is derived from the event's identity
  (`mhg.feed.FeedPublisher.envelope`), so it can be computed again from the event;
- the consumer: an event caused by a message carries the message id as its causation
  id, and the producer's feed position in its request id (`mhg.feed.reaction_meta`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from mhg.feed import MESSAGE_NAMESPACE, FeedPublisher
from mhg.meta import Meta


@dataclass(frozen=True)
class Arrival:
    """The contract message an event of this service applied."""

    producer: str
    position: int
    message_id: str


def published_message_id(producer: str, originator_id: UUID, originator_version: int) -> UUID:
    """The id of the message a published event appears as on its producer's feed."""
    return uuid.uuid5(MESSAGE_NAMESPACE, f"{producer}|{originator_id}:{originator_version}")


def arrival(event: Any) -> Arrival | None:
    """The message an event applied, if it was caused by one (read from its metadata)."""
    meta = getattr(event, "meta", None)
    if not isinstance(meta, Meta):
        return None
    parts = meta.request_id.split(":")
    if len(parts) != 3 or not parts[2].isdecimal():
        return None
    try:
        uuid.UUID(meta.causation_id)
    except ValueError:
        return None
    _consumer, producer, position = parts
    return Arrival(producer=producer, position=int(position), message_id=meta.causation_id)


@dataclass(frozen=True)
class Publication:
    """The contract message an event of this service appears as on its feed."""

    producer: str
    message_id: UUID
    message_type: str
    message_version: int


def publication(publisher: FeedPublisher, event: Any) -> Publication | None:
    """How the feed publishes this event (None if it is not a contract message)."""
    translate = publisher.outbound.get(type(event))
    if translate is None:
        return None
    message = translate(event)
    return Publication(
        producer=publisher.producer,
        message_id=published_message_id(
            publisher.producer, event.originator_id, event.originator_version
        ),
        message_type=message.TYPE,
        message_version=message.VERSION,
    )
