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


def _field(data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + data


def digest(record: Record) -> bytes:
    canonical = b"".join(
        (
            struct.pack(">qq", record.position, record.originator_version),
            _field(record.originator_id),
            _field(record.topic.encode()),
            _field(record.state),
        )
    )
    return hashlib.sha256(canonical).digest()


def link(previous: bytes, record_digest: bytes) -> bytes:
    return hashlib.sha256(previous + record_digest).digest()
