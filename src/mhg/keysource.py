"""Where a trusted issuer's public keys come from: a JWKS given, a file, a URL, or discovery.

Remote sets are fetched with PyJWT's `PyJWKClient`: cached, and fetched again when
a token names a `kid` the cached set does not hold (the issuer rotated its keys).
An OpenID Connect issuer is found through its discovery document
(`<issuer>/.well-known/openid-configuration`), whose `issuer` must be the one trusted.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

import httpx
import jwt
from jwt import PyJWK, PyJWKClient, PyJWKClientError, PyJWKSet

from mhg.auth import InvalidToken

DISCOVERY = "/.well-known/openid-configuration"


class KeySource(Protocol):
    def key(self, kid: str) -> PyJWK:
        """The key named `kid`; may read a file or fetch from the issuer (call it off the
        event loop)."""
        ...

    def cached(self, kid: str) -> PyJWK | None:
        """The key `key(kid)` would give, when it is known from memory without waiting
        (no read, no fetch, no lock held by another thread); None: ask `key`."""
        ...


def _find(keys: PyJWKSet, kid: str) -> PyJWK | None:
    return next((key for key in keys.keys if key.key_id == kid), None)


class StaticKeys:
    """A JWKS known when the service starts (its own organisation's public keys)."""

    def __init__(self, jwks: dict[str, Any]) -> None:
        self._keys = PyJWKSet.from_dict(jwks)

    def key(self, kid: str) -> PyJWK:
        found = _find(self._keys, kid)
        if found is None:
            raise InvalidToken(f"the token's key id {kid!r} is not one of the issuer's keys")
        return found

    def cached(self, kid: str) -> PyJWK | None:
        return _find(self._keys, kid)


class FileKeys:
    """A JWKS in a file, read again whenever the file changes: a key added by rotation is
    trusted at once, a retired one no longer. `public` turns what the file holds (a
    private key set, for an organisation's own keys) into the public JWKS."""

    def __init__(self, path: Path, public: Callable[[str], dict[str, Any]] = json.loads) -> None:
        self._path = path
        self._public = public
        self._lock = threading.Lock()
        self._stamp: tuple[int, int] | None = None
        self._jwks: dict[str, Any] = {"keys": []}
        self._keys: PyJWKSet | None = None

    def jwks(self) -> dict[str, Any]:
        """The current public JWKS (read again if the file changed)."""
        with self._lock:
            self._refresh()
            return self._jwks

    def _refresh(self) -> None:
        try:
            stat = self._path.stat()
            stamp = (stat.st_mtime_ns, stat.st_size)
            if stamp != self._stamp:
                self._jwks = self._public(self._path.read_text())
                self._keys = PyJWKSet.from_dict(self._jwks)
                self._stamp = stamp
        except (OSError, ValueError, jwt.PyJWKSetError) as error:
            msg = f"cannot read the public keys in {self._path}: {error}"
            raise InvalidToken(msg) from None

    def key(self, kid: str) -> PyJWK:
        with self._lock:
            self._refresh()
            found = None if self._keys is None else _find(self._keys, kid)
        if found is None:
            raise InvalidToken(f"the token's key id {kid!r} is not one of the issuer's keys")
        return found

    def cached(self, kid: str) -> PyJWK | None:
        """The key from the set last read, if the file is still that one.

        Safe on the event loop: the lock is taken only if free (never waited for), and the
        file is not read, only `stat`ed, as `key` does on every call to see a rotation at
        once: a metadata lookup the kernel answers from its inode cache for a local file
        (the keys file is this service's own, read at start). A changed file, a key it
        does not hold, or a thread reading it: None, and `key` runs in a worker thread.
        """
        if not self._lock.acquire(blocking=False):
            return None
        try:
            stat = self._path.stat()
            if self._keys is None or (stat.st_mtime_ns, stat.st_size) != self._stamp:
                return None
            return _find(self._keys, kid)
        except OSError:
            return None
        finally:
            self._lock.release()


class RemoteKeys:
    """A JWKS served at a URL: cached for `lifespan` seconds, fetched again on an unknown kid."""

    def __init__(self, url: str, *, lifespan: float = 300, refresh_cooldown: float = 30) -> None:
        self._client = PyJWKClient(
            url, lifespan=lifespan, timeout=5, cooldown_duration=refresh_cooldown
        )

    def key(self, kid: str) -> PyJWK:
        try:
            return self._client.get_signing_key(kid)
        except PyJWKClientError as error:
            raise InvalidToken(f"no key {kid!r} at the issuer: {error}") from None

    def cached(self, kid: str) -> PyJWK | None:
        """The key from the set fetched last, while it is within its lifespan (what
        `key` would answer without a fetch); nothing is fetched and no lock is taken."""
        cache = self._client.jwk_set_cache
        keys = None if cache is None else cache.get()
        found = None if keys is None else _find(keys, kid)
        return found if found is not None and found.public_key_use in ("sig", None) else None


class DiscoveredKeys:
    """An OpenID Connect provider's keys, found through its discovery document (once)."""

    def __init__(self, issuer: str, *, lifespan: float = 300, refresh_cooldown: float = 30) -> None:
        self._issuer = issuer
        self._options = {"lifespan": lifespan, "refresh_cooldown": refresh_cooldown}
        self._lock = threading.Lock()
        self._remote: RemoteKeys | None = None

    def _discover(self) -> RemoteKeys:
        url = self._issuer.rstrip("/") + DISCOVERY
        try:
            response = httpx.get(url, timeout=5.0)
            response.raise_for_status()
            document = response.json()
        except (httpx.HTTPError, ValueError) as error:
            raise InvalidToken(f"cannot read the issuer's discovery document: {error}") from None
        if not isinstance(document, dict) or document.get("issuer") != self._issuer:
            raise InvalidToken("the discovery document names another issuer")
        jwks_uri = document.get("jwks_uri")
        if not isinstance(jwks_uri, str):
            raise InvalidToken("the discovery document has no jwks_uri")
        return RemoteKeys(jwks_uri, **self._options)

    def key(self, kid: str) -> PyJWK:
        with self._lock:
            if self._remote is None:
                self._remote = self._discover()
            remote = self._remote
        return remote.key(kid)

    def cached(self, kid: str) -> PyJWK | None:
        remote = self._remote  # None until discovered (by `key`, in a worker thread)
        return None if remote is None else remote.cached(kid)


def key_source(
    issuer: str, jwks: str | None, *, lifespan: float = 300, refresh_cooldown: float = 30
) -> KeySource:
    """A URL is fetched, anything else is a file; no JWKS at all means OIDC discovery."""
    if jwks is None:
        return DiscoveredKeys(issuer, lifespan=lifespan, refresh_cooldown=refresh_cooldown)
    if jwks.startswith(("https://", "http://")):
        return RemoteKeys(jwks, lifespan=lifespan, refresh_cooldown=refresh_cooldown)
    return FileKeys(Path(jwks))
