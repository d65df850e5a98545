"""An organisation's token keys: Ed25519, each with a `kid`, the newest signing.

Kept as a JSON Web Key Set with the private parts (`d`) in a file only that
organisation's service reads (mode 0600). Rotation adds a key: the newest signs new
tokens, and the older ones stay published so tokens they signed stay valid until
they expire. Retiring a key (after the longest token lifetime) removes it.
"""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from jwt.algorithms import OKPAlgorithm

ALGORITHM = "EdDSA"
TOKEN_KEYS = "token-keys.json"  # noqa: S105 - a file name
TOKEN_JWKS = "token-jwks.json"  # noqa: S105 - a file name


class TokenKeyError(ValueError):
    """The token keys are missing or not what they should be."""


@dataclass(frozen=True)
class TokenKey:
    kid: str
    private: Ed25519PrivateKey

    @classmethod
    def generate(cls, kid: str | None = None) -> TokenKey:
        return cls(kid or new_kid(), Ed25519PrivateKey.generate())

    @classmethod
    def from_seed(cls, seed: bytes, kid: str) -> TokenKey:
        return cls(kid, Ed25519PrivateKey.from_private_bytes(seed))

    def jwk(self, *, private: bool = False) -> dict[str, Any]:
        key = self.private if private else self.private.public_key()
        jwk: dict[str, Any] = OKPAlgorithm.to_jwk(key, as_dict=True)
        return {**jwk, "kid": self.kid, "alg": ALGORITHM, "use": "sig"}


def new_kid() -> str:
    """Sortable by creation: the date, then randomness."""
    return time.strftime("%Y%m%d", time.gmtime()) + "-" + secrets.token_hex(4)


@dataclass(frozen=True)
class KeyRing:
    """An organisation's token keys, oldest first; the last one signs."""

    keys: tuple[TokenKey, ...]

    @property
    def signing(self) -> TokenKey:
        return self.keys[-1]

    def public_jwks(self) -> dict[str, Any]:
        return {"keys": [key.jwk() for key in self.keys]}

    def rotated(self, kid: str | None = None) -> KeyRing:
        fresh = TokenKey.generate(kid)
        if any(key.kid == fresh.kid for key in self.keys):
            msg = f"a key with kid {fresh.kid} exists already"
            raise TokenKeyError(msg)
        return KeyRing((*self.keys, fresh))

    def retired(self, kid: str) -> KeyRing:
        kept = tuple(key for key in self.keys if key.kid != kid)
        if len(kept) == len(self.keys):
            raise TokenKeyError(f"no key with kid {kid}")
        if not kept:
            raise TokenKeyError("the last key cannot be retired: rotate first")
        return KeyRing(kept)

    def to_json(self) -> str:
        return json.dumps({"keys": [key.jwk(private=True) for key in self.keys]}, indent=2)

    @classmethod
    def from_json(cls, text: str) -> KeyRing:
        try:
            document = json.loads(text)
            keys = tuple(_private_key(jwk) for jwk in document["keys"])
        except (ValueError, KeyError, TypeError) as error:
            raise TokenKeyError(f"not a private Ed25519 key set: {error}") from None
        if not keys:
            raise TokenKeyError("the key set holds no key")
        return cls(keys)


def _private_key(jwk: dict[str, Any]) -> TokenKey:
    key = OKPAlgorithm.from_jwk(jwk)
    if not isinstance(key, Ed25519PrivateKey) or not isinstance(jwk.get("kid"), str):
        raise TypeError("each key must be a private Ed25519 key with a kid")
    return TokenKey(jwk["kid"], key)


def load(path: Path) -> KeyRing:
    if not path.exists():
        msg = (
            f"no token keys at {path}: `mhg keys init` creates development keys; "
            "a deployment points MHG_<SERVICE>_TOKEN_KEYS_FILE at its organisation's keys"
        )
        raise TokenKeyError(msg)
    return KeyRing.from_json(path.read_text())


def save(ring: KeyRing, directory: Path) -> None:
    """The private set (0600) and, beside it, the public JWKS a peer may be given."""
    directory.mkdir(parents=True, exist_ok=True)
    private = directory / TOKEN_KEYS
    private.touch(mode=0o600, exist_ok=True)
    private.chmod(0o600)
    private.write_text(ring.to_json())
    (directory / TOKEN_JWKS).write_text(json.dumps(ring.public_jwks(), indent=2))


def ensure(directory: Path) -> KeyRing:
    """The development keys in `directory`, generated the first time."""
    path = directory / TOKEN_KEYS
    if path.exists():
        return load(path)
    ring = KeyRing((TokenKey.generate(),))
    save(ring, directory)
    return ring
