"""Patient-identifying fields sealed in the log with their patient's own key (ADR 0031).

An event that carries a patient (name, date of birth, contact) holds a `PatientFields`.
On its way into the log the `PatientSealing` transcoding replaces it by AES-GCM
ciphertext under the patient's data key, with the key's id (the patient's keyed
reference, `mhg.access.patient_ref`) beside it. On the way out it decrypts; when the
patient's key has been destroyed (an erasure) every field reads `ERASED`, and when this
process has no key store (an offline replay or verify) every field reads `SEALED`.
The hash chain seals the stored bytes, so an erasure changes nothing it covers.
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from eventsourcing.persistence import Transcoding

ERASED = "erased"
"""What every field of a patient whose key was destroyed reads."""
SEALED = "sealed"
"""What every field reads where no key store is at hand (offline replay or verify)."""


class PatientFields(Mapping[str, str]):
    """A patient's identifying fields as an event carries them; sealed in storage."""

    __slots__ = ("_sealed", "_values")

    def __init__(self, values: Mapping[str, str], sealed: Mapping[str, Any] | None = None):
        self._values = {str(k): str(v) for k, v in values.items()}
        self._sealed = dict(sealed) if sealed is not None else None

    @classmethod
    def unreadable(cls, sealed: Mapping[str, Any], marker: str) -> PatientFields:
        return cls(dict.fromkeys(sealed["fields"], marker), sealed)

    @property
    def erased(self) -> bool:
        """The patient's key is gone: the fields can never be read again."""
        return self._sealed is not None and set(self._values.values()) <= {ERASED}

    @property
    def sealed(self) -> Mapping[str, Any] | None:
        """The stored form, when the fields could not be opened (kept to store it again)."""
        return self._sealed

    def __getitem__(self, key: str) -> str:
        return self._values[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:  # never the values: they must not reach a log
        return f"PatientFields(fields={sorted(self._values)}, erased={self.erased})"


class PatientKeys(Protocol):
    """Where patients' data keys live, outside the event log (a table, or a KMS)."""

    def key_for(self, key_id: str) -> bytes:
        """The patient's data key, made and kept on first use."""

    def find(self, key_id: str) -> bytes | None:
        """The patient's data key, or None once it was destroyed."""

    def destroy(self, key_id: str) -> bool:
        """Destroy the key for good; True when there was one."""


Reference = Callable[[str, str], str]
"""(name, date of birth) -> the patient's keyed reference, the id of their key."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


class PatientSealing(Transcoding):
    """The transcoding that seals `PatientFields`; its key store is set when the store opens."""

    type = PatientFields
    name = "patient_sealed"

    def __init__(self) -> None:
        self.keys: PatientKeys | None = None
        self.reference: Reference | None = None

    def key_id(self, fields: Mapping[str, str]) -> str:
        if self.reference is None:
            raise RuntimeError("patient data cannot be stored: no patient reference key")
        return self.reference(fields.get("name", ""), fields.get("date_of_birth", ""))

    def encode(self, obj: PatientFields) -> dict[str, Any]:
        if obj.sealed is not None:
            return dict(obj.sealed)
        if self.keys is None:
            raise RuntimeError("patient data cannot be stored: no patient key store")
        key_id = self.key_id(obj)
        names = sorted(obj)
        nonce = os.urandom(12)
        plain = json.dumps({k: obj[k] for k in names}, separators=(",", ":")).encode()
        cipher = AESGCM(self.keys.key_for(key_id)).encrypt(nonce, plain, _aad(key_id, names))
        return {"key": key_id, "fields": names, "nonce": _b64(nonce), "ciphertext": _b64(cipher)}

    def decode(self, data: dict[str, Any]) -> PatientFields:
        if self.keys is None:
            return PatientFields.unreadable(data, SEALED)
        key = self.keys.find(data["key"])
        if key is None:
            return PatientFields.unreadable(data, ERASED)
        try:
            plain = AESGCM(key).decrypt(
                base64.b64decode(data["nonce"]),
                base64.b64decode(data["ciphertext"]),
                _aad(data["key"], data["fields"]),
            )
        except InvalidTag:  # a key that is not this record's: it cannot be read, as erased
            return PatientFields.unreadable(data, ERASED)
        return PatientFields(json.loads(plain))


def _aad(key_id: str, names: list[str]) -> bytes:
    return f"{key_id}|{','.join(names)}".encode()
