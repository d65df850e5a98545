"""The signed message a consumer applied, kept in its own log beside what it caused.

The follower verifies a message's signature, then applies it with the signed envelope
set as the message being received. `ServiceApplication.record` saves a
`ReceivedMessage` (the envelope exactly as received, signature included) in the same
transaction as the message's effects and its tracking position, whatever the inbound
policy did with it (applied it, or skipped it). An offline check can then re-verify,
from this service's database and the producer's public keys alone, that every fact
caused by a message rests on a message the producer really signed.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event
from eventsourcing.persistence import Tracking

from mhg.meta import Meta
from mhg.signing import ForgedMessage, TrustedKeys, digest

RECEIPT_NAMESPACE = uuid.UUID("6c1f5f9e-3f0b-4c55-8a57-0f1a3e7b2d41")


@dataclass(frozen=True)
class Receipt:
    """A verified message being applied: under which subscription, its signed envelope."""

    subscription: str
    position: int
    document: dict[str, Any]
    key_id: str
    meta: Meta


_receiving: ContextVar[Receipt | None] = ContextVar("receiving", default=None)


@contextmanager
def receiving(receipt: Receipt) -> Iterator[None]:
    token = _receiving.set(receipt)
    try:
        yield
    finally:
        _receiving.reset(token)


def receipt_for(tracking: Tracking | None) -> Receipt | None:
    """The message being received, if this tracking position is its own."""
    receipt = _receiving.get()
    if (
        receipt is None
        or tracking is None
        or tracking.application_name != receipt.subscription
        or tracking.notification_id != receipt.position
    ):
        return None
    return receipt


class ReceivedMessage(Aggregate):
    """One message of a producer's feed, as received and verified (never changes)."""

    @staticmethod
    def create_id(subscription: str, position: int) -> UUID:
        return uuid.uuid5(RECEIPT_NAMESPACE, f"{subscription}|{position}")

    @classmethod
    def from_receipt(cls, receipt: Receipt) -> ReceivedMessage:
        return cls(
            id=cls.create_id(receipt.subscription, receipt.position),
            subscription=receipt.subscription,
            position=receipt.position,
            envelope=receipt.document,
            key_id=receipt.key_id,
            meta=receipt.meta,
        )

    class Received(Aggregate.Created):
        subscription: str
        position: int
        envelope: dict[str, Any]
        key_id: str
        meta: Meta

    @event(Received)
    def __init__(
        self,
        id: UUID,
        subscription: str,
        position: int,
        envelope: dict[str, Any],
        key_id: str,
        meta: Meta,
    ) -> None:
        self.subscription = subscription
        self.position = position
        self.envelope = envelope
        self.key_id = key_id


def subscription_of(producer: str) -> str:
    """The subscription a service follows a producer's v1 feed under."""
    return f"{producer}.feed.v1"


@dataclass(frozen=True)
class SignatureSeen:
    """The producer's signature on a kept message, checked again when asked."""

    key_id: str
    signature: str
    digest: str
    """SHA-256 (hex) of the canonical envelope the signature covers."""
    verified: bool
    """Does it hold now under the producer's public keys this service trusts?"""


def signature_seen(
    received: ReceivedMessage | None, trusted: TrustedKeys | None
) -> SignatureSeen | None:
    if received is None:
        return None
    envelope = received.envelope
    try:
        verified = trusted is not None and trusted.verify(envelope) == received.key_id
    except ForgedMessage:
        verified = False
    return SignatureSeen(
        key_id=received.key_id,
        signature=str(envelope.get("signature", "")),
        digest=digest(envelope),
        verified=verified,
    )
