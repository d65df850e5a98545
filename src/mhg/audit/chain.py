"""The chain: what a record's canonical bytes are, and how links follow each other.

A record is what the event store keeps for one event: its position in the log, the
aggregate id and version, the topic and the state (the state carries the event's own
timestamp, its time of recording). Its digest is SHA-256 over a length-prefixed
encoding of those fields; the link at a position is SHA-256(previous link || digest),
starting from 32 zero bytes. Changing, removing, inserting or moving any record
changes a digest or breaks a link from that position on.
"""

from __future__ import annotations

import hashlib
import struct
import uuid
from collections.abc import Sequence
from typing import Any, NamedTuple

GENESIS = bytes(32)

# position, version and the aggregate id's length; then each variable field length-prefixed
_HEAD = struct.Struct(">qqI").pack
_LENGTH = struct.Struct(">I").pack
_sha256 = hashlib.sha256


class Record(NamedTuple):
    position: int
    originator_id: bytes
    originator_version: int
    topic: str
    state: bytes


def originator_bytes(value: object) -> bytes:
    """The aggregate id as bytes, however the backend returns it (UUID, hex text, text)."""
    if isinstance(value, uuid.UUID):
        return value.bytes
    text = str(value)
    if len(text) == 32:  # the SQLite recorder stores UUIDs as 32 hex digits
        try:
            return bytes.fromhex(text)
        except ValueError:
            return text.encode()
    try:
        return uuid.UUID(text).bytes
    except ValueError:
        return text.encode()


class _TopicFields(dict[str, bytes]):
    """A topic's length-prefixed UTF-8 bytes, encoded once per topic."""

    def __missing__(self, topic: str) -> bytes:
        encoded = topic.encode()
        field = self[topic] = _LENGTH(len(encoded)) + encoded
        return field


_TOPICS = _TopicFields()


def digest(record: Record) -> bytes:
    position, originator_id, version, topic, state = record
    return _sha256(
        _HEAD(position, version, len(originator_id))
        + originator_id
        + _TOPICS[topic]
        + _LENGTH(len(state))
        + state
    ).digest()


def originator_ids(values: Sequence[object]) -> list[bytes]:
    """`originator_bytes` of each value; the SQLite recorder's 32 hex digits on a fast path."""
    fromhex, to_bytes = bytes.fromhex, originator_bytes
    try:
        return [
            fromhex(value) if type(value) is str and len(value) == 32 else to_bytes(value)
            for value in values
        ]
    except ValueError:  # 32 characters that are not hex: the slow path knows what to do
        return [to_bytes(value) for value in values]


def digests(rows: Sequence[Sequence[Any]]) -> list[bytes]:
    """The digest of each stored row (position, aggregate id as the driver returns it,
    version, topic, state), as `digest` computes it for a `Record`, without building one."""
    head, length, topics, sha256, join = _HEAD, _LENGTH, _TOPICS, _sha256, b"".join
    ids = originator_ids([row[1] for row in rows])
    return [
        sha256(
            join(
                (
                    head(position, version, len(originator_id)),
                    originator_id,
                    topics[topic],
                    length(len(state)),
                    state,
                )
            )
        ).digest()
        for (position, _, version, topic, state), originator_id in zip(rows, ids, strict=True)
    ]


def link(previous: bytes, record_digest: bytes) -> bytes:
    return _sha256(previous + record_digest).digest()
