"""Offline: does every fact resting on the peer's messages rest on a message it really signed?

Read from a consumer's database alone (plain SQL through the audit ledger) and the
producer's public keys. Each problem names the record (its log position):
- forged-receipt  a kept message whose signature does not hold under the producer's keys
                  (or whose feed position or producer is not the one it is kept under)
- unsigned-basis  a fact says it was caused by a message at a feed position, and no
                  signed message with that id is kept for that position
- claim-differs   a fact names a decision, authorization or request other than the one
                  the signed message it rests on names
- detached-fact   a fact resting on a message was not saved in the transaction that kept
                  it (the receipt is saved right after the facts a message caused)
- no-peer-message a fact of a kind only the peer's decisions create was not caused by
                  any message of the peer
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from eventsourcing.utils import get_topic

from mhg.audit.ledger import Ledger
from mhg.audit.verification import Finding
from mhg.received import ReceivedMessage
from mhg.signing import ForgedMessage, TrustedKeys

RECEIVED_TOPIC = get_topic(ReceivedMessage.Received)
CLAIM_FIELDS = ("decision_id", "authorization_id", "request_id")


@dataclass
class Kept:
    record: int
    envelope: dict[str, Any]
    problem: str | None


@dataclass
class DecisionVerdict:
    received: int = 0
    facts: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.findings


def _plain(value: Any) -> Any:
    """A value as the transcoder stored it, without its type tag; UUIDs in one spelling."""
    if isinstance(value, dict) and "_data_" in value:
        value = value["_data_"]
    if isinstance(value, str):
        try:
            return str(uuid.UUID(value))
        except ValueError:
            return value
    return value


def _states(ledger: Ledger) -> Iterator[tuple[int, str, dict[str, Any] | None]]:
    for record in ledger.records():
        try:
            state = json.loads(record.state)
        except (ValueError, UnicodeDecodeError):
            state = None
        yield record.position, record.topic, state if isinstance(state, dict) else None


def _kept_messages(
    ledger: Ledger, trusted: TrustedKeys, producer: str
) -> tuple[dict[int, Kept], list[Finding]]:
    kept: dict[int, Kept] = {}
    findings: list[Finding] = []
    for position, topic, state in _states(ledger):
        if topic != RECEIVED_TOPIC:
            continue
        envelope = _plain(state.get("envelope")) if state else None
        feed_position = _plain(state.get("position")) if state else None
        problem: str | None = None
        if not isinstance(envelope, dict):
            problem = "no envelope is kept"
            envelope = {}
        elif envelope.get("producer") != producer or envelope.get("position") != feed_position:
            problem = "the envelope is not the one kept at this feed position"
        elif feed_position in kept:
            problem = "a second message is kept for the same feed position"
        else:
            try:
                trusted.verify(envelope)
            except ForgedMessage as error:
                problem = str(error)
        if problem is not None:
            findings.append(Finding(position, "forged-receipt", problem))
        if isinstance(feed_position, int) and feed_position not in kept:
            kept[feed_position] = Kept(position, envelope, problem)
        elif isinstance(feed_position, int):  # a duplicate discredits the first one too
            kept[feed_position].problem = problem
    return kept, findings


def verify_decisions(
    ledger: Ledger,
    trusted: TrustedKeys,
    *,
    consumer: str,
    producer: str,
    decision_topics: Iterable[str],
) -> DecisionVerdict:
    """Every finding, in log order (not only the first: each names a record to look at)."""
    topics = frozenset(decision_topics)
    kept, findings = _kept_messages(ledger, trusted, producer)
    verdict = DecisionVerdict(received=len(kept), findings=findings)
    prefix = f"{consumer}:{producer}:"
    waiting: list[tuple[int, str]] = []  # facts not yet followed by their message's receipt
    for position, topic, state in _states(ledger):
        if topic == RECEIVED_TOPIC:
            feed_position = _plain(state.get("position")) if state else None
            verdict.findings.extend(_detached(waiting, str(feed_position)))
            waiting = []
            continue
        meta = _plain(state.get("meta")) if state else None
        meta = meta if isinstance(meta, dict) else {}
        request_id = meta.get("request_id", "")
        if not (isinstance(request_id, str) and request_id.startswith(prefix)):
            verdict.findings.extend(_detached(waiting, None))
            waiting = []
            if topic in topics:
                verdict.findings.append(
                    Finding(
                        position, "no-peer-message", f"{topic} not caused by a {producer} message"
                    )
                )
            continue
        verdict.facts += 1
        basis = request_id[len(prefix) :]
        waiting.append((position, basis))
        problem = _basis_problem(state or {}, meta, basis, kept)
        if problem is not None:
            verdict.findings.append(Finding(position, *problem))
    verdict.findings.extend(_detached(waiting, None))
    verdict.findings.sort(key=lambda finding: finding.position)
    return verdict


def _detached(waiting: list[tuple[int, str]], receipt_of: str | None) -> list[Finding]:
    """Facts not saved in the transaction that kept their message (it is saved last)."""
    return [
        Finding(position, "detached-fact", f"not recorded with the message at position {basis}")
        for position, basis in waiting
        if basis != receipt_of
    ]


def _basis_problem(
    state: dict[str, Any], meta: dict[str, Any], feed_position: str, kept: dict[int, Kept]
) -> tuple[str, str] | None:
    basis = kept.get(int(feed_position)) if feed_position.isdecimal() else None
    if basis is None or basis.problem is not None:
        return "unsigned-basis", f"no signed message is kept for feed position {feed_position}"
    if _plain(meta.get("causation_id")) != _plain(basis.envelope.get("message_id")):
        return "unsigned-basis", f"the message kept at position {feed_position} has another id"
    payload = basis.envelope.get("payload")
    payload = payload if isinstance(payload, dict) else {}
    for name in CLAIM_FIELDS:
        if name in state and name in payload and _plain(state[name]) != _plain(payload[name]):
            return "claim-differs", f"{name} differs from the signed message's"
    return None
