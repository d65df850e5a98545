"""The patients' data keys: a table in the service's read store, each key wrapped.

A data key is 32 random bytes, kept only wrapped (AES-GCM) under a master key from the
environment; the row names the master key by its fingerprint, so several master keys can
be configured at once while `rewrap` moves every row to the newest (rotation, without
touching the log). Destroying a key deletes its row: the patient's sealed fields can no
longer be opened anywhere (ADR 0031). `PatientKeys` (mhg.patient_fields) is the port a
KMS-backed store would implement instead.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import TYPE_CHECKING

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Column, LargeBinary, MetaData, String, Table, delete, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from mhg.access import patient_ref
from mhg.columns import UTCDateTime
from mhg.patient_fields import PatientSealing

if TYPE_CHECKING:
    from mhg.readstore import ReadStore
    from mhg.settings import ServiceSettings

KEY_BYTES = 32
OPEN_SECONDS = 30.0
"""How long a process keeps a data key unwrapped: an erasure made by another process of the
service takes effect here within this time (at once in the process that made it)."""


class MasterKeyError(ValueError):
    """The master keys are missing, malformed, or do not open a stored data key."""


@dataclass(frozen=True)
class MasterKey:
    key: bytes

    @property
    def id(self) -> str:
        return hashlib.sha256(b"mhg-patient-master|" + self.key).hexdigest()[:16]

    def wrap(self, key_id: str, data_key: bytes) -> bytes:
        nonce = os.urandom(12)
        return nonce + AESGCM(self.key).encrypt(nonce, data_key, key_id.encode())

    def unwrap(self, key_id: str, wrapped: bytes) -> bytes:
        return AESGCM(self.key).decrypt(wrapped[:12], wrapped[12:], key_id.encode())


@dataclass(frozen=True)
class MasterKeys:
    """The configured master keys, the first wrapping new data keys."""

    keys: tuple[MasterKey, ...]

    @classmethod
    def parse(cls, text: str) -> MasterKeys:
        """Comma-separated base64 keys of 32 bytes, newest first."""
        keys = []
        for part in (p.strip() for p in text.split(",")):
            try:
                raw = base64.b64decode(part, validate=True)
            except binascii.Error:
                raw = b""
            if len(raw) != KEY_BYTES:
                raise MasterKeyError("a patient master key is 32 bytes in base64")
            keys.append(MasterKey(raw))
        return cls(tuple(keys))

    @classmethod
    def configured(cls, text: str, secret: str) -> MasterKeys:
        """The configured keys; unset (tests), one derived from the service secret."""
        if text:
            return cls.parse(text)
        return cls((MasterKey(hashlib.sha256(b"mhg-patient-master|" + secret.encode()).digest()),))

    @staticmethod
    def generate() -> str:
        return base64.b64encode(os.urandom(KEY_BYTES)).decode()

    @property
    def current(self) -> MasterKey:
        return self.keys[0]

    def by_id(self, master_id: str) -> MasterKey:
        for key in self.keys:
            if key.id == master_id:
                return key
        raise MasterKeyError(f"data keys are wrapped under master key {master_id}, not configured")


def define(metadata: MetaData) -> Table:
    return Table(
        "patient_keys",
        metadata,
        Column("key_id", String(64), primary_key=True),
        Column("master_id", String(16), nullable=False),
        Column("wrapped", LargeBinary, nullable=False),
        Column("created_at", UTCDateTime, nullable=False),
    )


class StoredPatientKeys:
    """`PatientKeys` in a table of the service's database, wrapped under master keys."""

    def __init__(self, reader: Engine, writer: Engine, masters: MasterKeys) -> None:
        self.reader = reader
        self.writer = writer
        self.masters = masters
        self.table = define(MetaData())
        self._open: dict[str, tuple[bytes, float]] = {}
        self._lock = threading.Lock()

    @classmethod
    def open(
        cls, sealing: PatientSealing, store: ReadStore, settings: ServiceSettings
    ) -> StoredPatientKeys:
        """The service's key store, made ready and given to the log's sealing transcoding."""
        masters = MasterKeys.configured(settings.patient_master_keys, settings.auth_secret)
        keys = cls(store.reader, store.writer, masters)
        keys.create()
        sealing.keys = keys
        sealing.reference = partial(patient_ref, settings.auth_secret)
        return keys

    def create(self) -> None:
        with self.writer.begin() as conn:
            self.table.create(conn, checkfirst=True)

    def find(self, key_id: str) -> bytes | None:
        with self._lock:
            known = self._open.get(key_id)
        if known is not None and time.monotonic() - known[1] < OPEN_SECONDS:
            return known[0]
        with self.reader.connect() as conn:
            row = conn.execute(
                select(self.table.c.master_id, self.table.c.wrapped).where(
                    self.table.c.key_id == key_id
                )
            ).first()
        if row is None:
            return None
        key = self.masters.by_id(row.master_id).unwrap(key_id, bytes(row.wrapped))
        with self._lock:
            self._open[key_id] = (key, time.monotonic())
        return key

    def key_for(self, key_id: str) -> bytes:
        found = self.find(key_id)
        if found is not None:
            return found
        key = os.urandom(KEY_BYTES)
        master = self.masters.current
        try:
            with self.writer.begin() as conn:
                conn.execute(
                    self.table.insert().values(
                        key_id=key_id,
                        master_id=master.id,
                        wrapped=master.wrap(key_id, key),
                        created_at=datetime.now(UTC),
                    )
                )
        except IntegrityError:  # another request made it first: use theirs
            theirs = self.find(key_id)
            if theirs is None:  # pragma: no cover - destroyed in between
                raise
            return theirs
        with self._lock:
            self._open[key_id] = (key, time.monotonic())
        return key

    def forget_open_keys(self) -> None:
        """Drop the unwrapped keys this process holds (they are read again on use)."""
        with self._lock:
            self._open.clear()

    def destroy(self, key_id: str) -> bool:
        with self._lock:
            self._open.pop(key_id, None)
        with self.writer.begin() as conn:
            gone = conn.execute(delete(self.table).where(self.table.c.key_id == key_id))
        return bool(gone.rowcount)

    def rewrap(self) -> int:
        """Wrap every data key under the current master key; the number of keys moved."""
        current = self.masters.current
        moved = 0
        with self.writer.begin() as conn:
            rows = conn.execute(
                select(self.table.c.key_id, self.table.c.master_id, self.table.c.wrapped).where(
                    self.table.c.master_id != current.id
                )
            ).all()
            for row in rows:
                key = self.masters.by_id(row.master_id).unwrap(row.key_id, bytes(row.wrapped))
                conn.execute(
                    update(self.table)
                    .where(self.table.c.key_id == row.key_id)
                    .values(master_id=current.id, wrapped=current.wrap(row.key_id, key))
                )
                moved += 1
        return moved
