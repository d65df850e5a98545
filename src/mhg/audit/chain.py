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
from typing import NamedTuple

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


_TOPICS: dict[str, bytes] = {}


def digest(record: Record) -> bytes:
    position, originator_id, version, topic, state = record
    topic_field = _TOPICS.get(topic)
    if topic_field is None:
        encoded = topic.encode()
        topic_field = _TOPICS.setdefault(topic, _LENGTH(len(encoded)) + encoded)
    return _sha256(
        b"".join(
            (
                _HEAD(position, version, len(originator_id)),
                originator_id,
                topic_field,
                _LENGTH(len(state)),
                state,
            )
        )
    ).digest()


def link(previous: bytes, record_digest: bytes) -> bytes:
    return _sha256(previous + record_digest).digest()
