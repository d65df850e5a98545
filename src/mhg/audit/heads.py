"""The chain head (last sealed position and its link), optionally signed with Ed25519.

A copy of a signed head kept elsewhere proves later that the history up to it was
only ever appended to: `mhg audit verify --against HEAD.json` checks it.
"""

from __future__ import annotations

import base64
import json
from dataclasses import asdict, dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

ALGORITHM = "Ed25519"


@dataclass(frozen=True)
class Head:
    service: str
    position: int
    link: str
    sealed_at: str

    def message(self) -> bytes:
        """The exact bytes a signature covers."""
        fields = {"service": self.service, "position": self.position, "link": self.link}
        return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()


class InvalidSigningKey(ValueError):
    pass


def signing_key(encoded: str) -> Ed25519PrivateKey:
    """A key from configuration: the base64 of a 32-byte Ed25519 seed (`mhg audit keygen`)."""
    try:
        seed = base64.b64decode(encoded, validate=True)
        return Ed25519PrivateKey.from_private_bytes(seed)
    except ValueError:
        raise InvalidSigningKey("MHG_AUDIT_SIGNING_KEY must be the base64 of 32 bytes") from None


def new_signing_key() -> str:
    key = Ed25519PrivateKey.generate()
    seed = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    return base64.b64encode(seed).decode()


def public_key_text(key: Ed25519PrivateKey) -> str:
    return base64.b64encode(key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)).decode()


def signed(head: Head, key: Ed25519PrivateKey | None) -> dict[str, Any]:
    document: dict[str, Any] = asdict(head)
    if key is not None:
        document["algorithm"] = ALGORITHM
        document["public_key"] = public_key_text(key)
        document["signature"] = base64.b64encode(key.sign(head.message())).decode()
    return document


def check_signature(document: dict[str, Any]) -> bool:
    """Does the document's signature match its head and the public key it names?"""
    head = Head(
        service=document["service"],
        position=document["position"],
        link=document["link"],
        sealed_at=document["sealed_at"],
    )
    try:
        public = Ed25519PublicKey.from_public_bytes(base64.b64decode(document["public_key"]))
        public.verify(base64.b64decode(document["signature"]), head.message())
    except (InvalidSignature, ValueError, KeyError):
        return False
    return True
