"""Wiring identity into a service: whom it trusts, its service credential, its public keys.

A service holds its own organisation's private token keys (to sign its service
credential toward the peer) and only public keys of anyone else. It trusts its own
issuer, the peer organisation's issuer and any configured OpenID Connect provider,
each for the roles `mhg.trust.assertable` allows that organisation.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict

from mhg import tokenkeys
from mhg.auth import Role, issue_token
from mhg.keysource import FileKeys, key_source
from mhg.settings import ServiceSettings
from mhg.tokenkeys import KeyRing
from mhg.trust import IssuerOrg, TrustedIssuer, Verifier, assertable


def own_issuer(settings: ServiceSettings) -> TrustedIssuer:
    return TrustedIssuer(
        issuer=settings.issuer,
        org=settings.org,
        roles=assertable(settings.org),
        algorithms=("EdDSA",),
    )


def peer_issuer(settings: ServiceSettings) -> TrustedIssuer:
    peer: IssuerOrg = "pc" if settings.org == "mso" else "mso"
    return TrustedIssuer(
        issuer=settings.peer_issuer,
        org=peer,
        roles=assertable(peer),
        jwks=settings.peer_jwks,
        algorithms=("EdDSA",),
    )


def own_keys(settings: ServiceSettings) -> FileKeys:
    """This organisation's public token keys, from its private key file (checked now, so a
    service without its keys does not start; read again when a rotation changes the file)."""
    tokenkeys.load(settings.token_keys_file)
    return FileKeys(
        settings.token_keys_file, public=lambda text: KeyRing.from_json(text).public_jwks()
    )


def build_verifier(settings: ServiceSettings, own: FileKeys) -> Verifier:
    options = {
        "lifespan": settings.jwks_lifespan,
        "refresh_cooldown": settings.jwks_refresh_cooldown,
    }
    peer = peer_issuer(settings)
    return Verifier(
        settings.audience,
        [
            (own_issuer(settings), own),
            (peer, key_source(peer.issuer, peer.jwks, **options)),
            *(
                (extra, key_source(extra.issuer, extra.jwks, **options))
                for extra in settings.trusted_issuers
            ),
        ],
    )


def service_token_factory(
    ring: Callable[[], KeyRing], settings: ServiceSettings, service: str
) -> Callable[[], str]:
    """This service's credential toward the peer, signed with its own org's key, re-issued
    before it expires. The keys are read at the first call (a rebuild never needs them)."""
    cache: dict[str, Any] = {"token": "", "until": 0.0}

    def token() -> str:
        now = time.time()
        if now >= cache["until"]:
            cache["token"] = issue_token(
                ring().signing,
                issuer=settings.issuer,
                audience=settings.peer_audience,
                subject=service,
                org="service",
                role=Role.SERVICE,
                ttl_seconds=600,
                now=now,
            )
            cache["until"] = now + 300
        return str(cache["token"])

    return token


class PublicKey(BaseModel):
    model_config = ConfigDict(extra="allow")

    kty: str
    kid: str
    alg: str
    use: str


class KeySet(BaseModel):
    keys: list[PublicKey]


def jwks_router() -> APIRouter:
    router = APIRouter(tags=["identity"])

    @router.get(
        "/.well-known/jwks.json",
        operation_id="getTokenKeys",
        summary="This organisation's public token keys (JWKS); no credential needed",
        description=(
            "The keys this service's organisation signs its tokens with, the newest last. "
            "A peer or a gateway verifies this organisation's tokens with them. Only public "
            "keys, and only this organisation's."
        ),
        response_model=KeySet,
    )
    def token_keys(request: Request) -> KeySet:
        keys: FileKeys = request.app.state.token_keys
        return KeySet.model_validate(keys.jwks())

    return router
