"""Following the other service's contract feed, applying each message exactly once.

The follower pulls the producer's feed over HTTP and hands each envelope to an inbound
policy, which records the effects together with the envelope's position (a
`Tracking` row in the same transaction). A duplicate delivery is skipped; a crash
before the commit leaves the position where it was, and the message comes again.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
from eventsourcing.persistence import PersistenceError
from pydantic import ValidationError
from sqlalchemy.exc import SQLAlchemyError

from contracts import Envelope, FeedPage
from mhg.errors import ConcurrentUpdate
from mhg.eventstore import AlreadyApplied, ServiceApplication
from mhg.feed import PRODUCER_HEADER, reaction_meta
from mhg.received import Receipt, receiving
from mhg.signing import ForgedMessage, TrustedKeys

log = logging.getLogger(__name__)

FAULT_POINT_ENV = "MHG_FAULT_POINT"
BACKOFF_POLLS = 20
"""A failing feed is tried again after twice the last wait, up to this many poll intervals
(10 s at the default 0.5 s poll): a producer back from a restart is seen within that."""


@dataclass(frozen=True)
class Refusal:
    position: int
    reason: str

    def __str__(self) -> str:
        return f"refused the message at position {self.position}: {self.reason}"


class RefusedMessage(Exception):
    """The follower met a message it must not apply (forged); it goes no further."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(str(refusal))
        self.refusal = refusal


@dataclass
class FollowerStatus:
    consumed: int = 0
    """The feed position scanned: every message up to here is applied or was not ours."""
    producer_head: int = 0
    last_contact: datetime | None = None
    last_error: str | None = None
    refused: Refusal | None = None
    """A message whose signature does not hold: the follower stops at it."""
    failing_since: datetime | None = None
    """When reading the feed began to fail (None while it works)."""
    own_feed: bool = False
    """The peer feed URL serves this service's own feed: refused, never consumed."""

    @property
    def lag(self) -> int:
        return max(self.producer_head - self.consumed, 0)


class OwnFeed(Exception):
    """The feed followed is this service's own: consuming it would echo its own messages."""


# Failures a follower outlives: the peer or the store away, a page it cannot read,
# a write that lost a race, a misconfigured peer URL. Anything else is a bug: the
# thread ends, and /readyz says so.
RETRYABLE = (
    httpx.HTTPError,
    ValidationError,
    PersistenceError,
    SQLAlchemyError,
    ConcurrentUpdate,
    OwnFeed,
)


def fault_point(name: str) -> None:
    """Dies on the spot when the environment names this point (crash tests only)."""
    if os.environ.get(FAULT_POINT_ENV) == name:
        log.warning("fault point %s reached: exiting without cleanup", name)
        os._exit(70)


class FeedFollower:
    """Follows another service's feed, applying each message exactly once."""

    def __init__(
        self,
        *,
        app: ServiceApplication,
        subscription: str,
        feed_url: str,
        token: Callable[[], str],
        apply: Callable[[Envelope], None],
        trusted: TrustedKeys,
        consumer: str,
        poll_interval: float = 0.5,
        batch_size: int = 100,
        client: httpx.Client | None = None,
        holds: Callable[[], bool] = lambda: True,
    ) -> None:
        self.app = app
        self.subscription = subscription
        self.feed_url = feed_url
        self.token = token
        self.apply = apply
        self.trusted = trusted
        self.consumer = consumer
        self.poll_interval = poll_interval
        self.batch_size = batch_size
        self.client = client or httpx.Client(timeout=10.0)
        self.holds = holds
        """Whether this process follows the feed now (one of several: mhg.ownership)."""
        self.status = FollowerStatus()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def fetch(self, after: int) -> tuple[FeedPage, list[dict[str, Any]]]:
        """A page, and each of its envelopes as the JSON object received (what was signed)."""
        response = self.client.get(
            self.feed_url,
            params={"after": after, "limit": self.batch_size},
            headers={"Authorization": f"Bearer {self.token()}"},
        )
        # Named before the status is judged: this service's own feed refuses its credential
        # (another audience), and that must read as a wrong URL, not as a peer that is down.
        self._refuse_own_feed({response.headers.get(PRODUCER_HEADER)})
        response.raise_for_status()
        page = FeedPage.model_validate_json(response.content)
        documents = response.json()["messages"]
        self._refuse_own_feed({m.producer for m in page.messages})
        self.status.own_feed = False
        return page, documents

    def _refuse_own_feed(self, producers: set[str | None]) -> None:
        if self.consumer in producers:
            self.status.own_feed = True
            raise OwnFeed(f"{self.feed_url} is the feed of {self.consumer} itself")

    def verified(self, envelope: Envelope, document: dict[str, Any]) -> Receipt:
        """The message's receipt if its producer signed it; raises RefusedMessage otherwise."""
        try:
            key_id = self.trusted.verify(document)
        except ForgedMessage as error:
            refusal = Refusal(envelope.position, str(error))
            self.status.refused = refusal
            self.status.last_error = str(refusal)
            log.error("%s: %s", self.subscription, refusal)
            raise RefusedMessage(refusal) from None
        return Receipt(
            subscription=self.subscription,
            position=envelope.position,
            document=document,
            key_id=key_id,
            meta=reaction_meta(envelope, self.consumer),
        )

    def run_once(self) -> int:
        """Fetch one page after the stored position and apply it; returns messages applied."""
        stored = self.app.consumed_position(self.subscription)
        # Positions between the stored one and what was scanned held no message for us.
        after = max(stored, self.status.consumed)
        page, documents = self.fetch(after)
        self.status.producer_head = page.head
        self.status.last_contact = datetime.now(UTC)
        applied = 0
        for envelope, document in zip(page.messages, documents, strict=True):
            if envelope.position <= stored:
                continue
            receipt = self.verified(envelope, document)
            fault_point("follower.before_commit")
            try:
                with receiving(receipt):
                    self.apply(envelope)
                applied += 1
            except AlreadyApplied:
                log.info("%s: position %s applied already", self.subscription, envelope.position)
            self.status.consumed = max(envelope.position, after)
        self.status.refused = None
        self.status.consumed = max(page.next_after, after)
        return applied

    def catch_up(self) -> int:
        """Apply everything the producer has now; returns messages applied."""
        total = self.run_once()
        while self.status.consumed < self.status.producer_head:
            total += self.run_once()
        return total

    def start(self) -> None:
        self._thread = threading.Thread(
            target=self._loop, name=f"follow-{self.subscription}", daemon=True
        )
        self._thread.start()

    @property
    def alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def _loop(self) -> None:
        delay = self.poll_interval
        while not self._stop.is_set():
            delay = self.poll(delay) if self.holds() else self.poll_interval
            self._stop.wait(delay)

    def poll(self, delay: float = 0.0) -> float:
        """One round of the loop: read and apply a page, note how it went in `status`;
        returns how long to wait before the next round (backing off while failing)."""
        try:
            self.run_once()
        except RefusedMessage:
            # Never skipped: the message stays refused until the producer's feed (or this
            # service's trusted keys) change; status and /readyz name it.
            return 10.0
        except RETRYABLE as error:
            if self.status.last_error is None:
                log.warning(
                    "%s: cannot read the feed (%s); retrying with back-off",
                    self.subscription,
                    type(error).__name__,
                )
            self.status.last_error = f"{type(error).__name__}: {error}"
            self.status.failing_since = self.status.failing_since or datetime.now(UTC)
            return min(max(delay * 2, self.poll_interval), self.poll_interval * BACKOFF_POLLS)
        if self.status.last_error is not None:
            log.warning("%s: reading the feed again", self.subscription)
        self.status.last_error = None
        self.status.failing_since = None
        more = self.status.consumed < self.status.producer_head
        return 0.0 if more else self.poll_interval
