"""Signed contract messages: each producer signs the canonical envelope with its Ed25519 key.

Canonical form (what a signature covers): the envelope as a JSON object with every
field but `signature` (so `key_id`, `producer`, `position` and `payload` included),
keys sorted at every level, no whitespace, UTF-8 (non-ASCII kept as is). A consumer
computes it from the JSON object it received, not from its own model of the
envelope, so that a field it does not know yet is still covered.

The key id is `ed25519:` and the first 16 hex digits of the SHA-256 of the raw
public key: it names a key without carrying it, and a consumer trusts only the
public keys it was configured with.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

SIGNATURE_FIELD = "signature"
KEY_ID_FIELD = "key_id"


class ForgedMessage(ValueError):
    """A message whose signature is missing, unknown or does not match it."""


class InvalidKey(ValueError):
    """A configured key that is not a base64 Ed25519 key."""


def canonical(document: Mapping[str, Any]) -> bytes:
    """The bytes a message signature covers: every field but the signature itself."""
    unsigned = {name: value for name, value in document.items() if name != SIGNATURE_FIELD}
    text = json.dumps(unsigned, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode("utf-8", "surrogatepass")  # a lone surrogate must not crash a follower


def raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def key_id(key: Ed25519PublicKey) -> str:
    return "ed25519:" + hashlib.sha256(raw_public(key)).hexdigest()[:16]


def _b64(text: str, what: str) -> bytes:
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise InvalidKey(f"{what} is not base64") from None
    if len(raw) != 32:
        raise InvalidKey(f"{what} must be the base64 of 32 bytes")
    return raw


@dataclass(frozen=True)
class SigningKey:
    """A producer's private key and the id consumers know its public half by."""

    private: Ed25519PrivateKey

    @classmethod
    def from_text(cls, seed: str) -> SigningKey:
        return cls(Ed25519PrivateKey.from_private_bytes(_b64(seed, "a signing key")))

    @property
    def key_id(self) -> str:
        return key_id(self.private.public_key())

    @property
    def public_text(self) -> str:
        return base64.b64encode(raw_public(self.private.public_key())).decode()

    def sign(self, document: Mapping[str, Any]) -> dict[str, Any]:
        """The document with this key's id and its signature over the canonical form."""
        stamped = {**document, KEY_ID_FIELD: self.key_id}
        signature = self.private.sign(canonical(stamped))
        return {**stamped, SIGNATURE_FIELD: base64.b64encode(signature).decode()}


@dataclass(frozen=True)
class TrustedKeys:
    """The public keys a consumer accepts a producer's messages under, by key id."""

    keys: Mapping[str, Ed25519PublicKey]

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> TrustedKeys:
        keys = [
            Ed25519PublicKey.from_public_bytes(_b64(text, "a public key"))
            for text in texts
            if text.strip()
        ]
        return cls({key_id(key): key for key in keys})

    @classmethod
    def parse(cls, text: str) -> TrustedKeys:
        """Keys from configuration: base64 raw public keys separated by commas."""
        return cls.from_texts(text.split(","))

    def verify(self, document: Mapping[str, Any]) -> str:
        """The key id the document is signed under; raises ForgedMessage otherwise."""
        kid, signature = document.get(KEY_ID_FIELD), document.get(SIGNATURE_FIELD)
        if not isinstance(kid, str) or not isinstance(signature, str):
            raise ForgedMessage("unsigned: no key id or no signature")
        key = self.keys.get(kid)
        if key is None:
            raise ForgedMessage(f"signed under an unknown key {kid!r}")
        try:
            key.verify(base64.b64decode(signature, validate=True), canonical(document))
        except (InvalidSignature, binascii.Error, ValueError):
            raise ForgedMessage(f"the signature under {kid} does not match") from None
        return kid


def digest(document: Mapping[str, Any]) -> str:
    """SHA-256 of the canonical form, hex: names the exact bytes that were signed."""
    return hashlib.sha256(canonical(document)).hexdigest()
