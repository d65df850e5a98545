"""Keys over time and from elsewhere: rotation, and an OpenID Connect provider's tokens.

The provider is a real HTTP server on 127.0.0.1 serving a discovery document and a
JWKS, as Keycloak, Entra ID or Okta would; PC Governance finds its keys through
discovery, caches them, and fetches them again when a token names a new kid.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey, generate_private_key
from fastapi.testclient import TestClient
from jwt.algorithms import RSAAlgorithm

from mhg import tokenkeys
from mhg.auth import Role
from mhg.settings import MsoOpsSettings, PcGovernanceSettings
from mhg.tokenkeys import KeyRing, TokenKey
from mhg.trust import ClaimMapping, TrustedIssuer
from services.mso_ops.app import create_app as mso_ops_app
from services.pc_governance.app import create_app as pc_governance_app
from tests.conftest import SECRET, StoreUrl

# Issues 9 and 10 ask for every point on both backends.
pytestmark = pytest.mark.storage

BOTH = ["mso-ops", "pc-governance"]
QUIET = {"follow_peer": False, "run_projections": False, "seal": False, "auth_secret": SECRET}


def signed(key: TokenKey | tuple[str, RSAPrivateKey], **claims: Any) -> dict[str, str]:
    now = int(time.time())
    body = {"iat": now, "exp": now + 600, **claims}
    if isinstance(key, TokenKey):
        value = jwt.encode(body, key.private, algorithm="EdDSA", headers={"kid": key.kid})
    else:
        value = jwt.encode(body, key[1], algorithm="RS256", headers={"kid": key[0]})
    return {"Authorization": f"Bearer {value}"}


def pc_person(key: TokenKey, **overrides: Any) -> dict[str, str]:
    claims = {"iss": "urn:mhg:pc", "aud": BOTH, "sub": "dr-lee", "org": "pc"}
    return signed(key, **{**claims, "role": "medical_director", **overrides})


@contextmanager
def clients(store_url: StoreUrl, keys: Path) -> Iterator[tuple[TestClient, TestClient]]:
    """Both services over the organisations' keys in `keys/<org>/`."""
    mso = MsoOpsSettings(
        database_url=store_url("mso_ops"),
        token_keys_file=keys / "mso" / tokenkeys.TOKEN_KEYS,
        peer_jwks=str(keys / "pc" / tokenkeys.TOKEN_JWKS),
        **QUIET,
    )
    pc = PcGovernanceSettings(
        database_url=store_url("pc_governance"),
        token_keys_file=keys / "pc" / tokenkeys.TOKEN_KEYS,
        peer_jwks=str(keys / "mso" / tokenkeys.TOKEN_JWKS),
        **QUIET,
    )
    with TestClient(mso_ops_app(mso)) as mso_client, TestClient(pc_governance_app(pc)) as pc_client:
        yield mso_client, pc_client


def test_rotation_keeps_old_tokens_valid_until_they_expire_and_retiring_ends_them(
    store_url: StoreUrl, tmp_path: Path
) -> None:
    first, second = TokenKey.generate("pc-1"), TokenKey.generate("pc-2")
    tokenkeys.save(KeyRing((TokenKey.generate("mso-1"),)), tmp_path / "mso")
    tokenkeys.save(KeyRing((first,)), tmp_path / "pc")
    with clients(store_url, tmp_path) as (mso, pc):
        old = pc_person(first)
        lapsed = pc_person(first, iat=int(time.time()) - 700, exp=int(time.time()) - 60)
        assert pc.get("/meetings", headers=old).status_code == 200
        assert mso.get("/audit/head", headers=old).status_code == 404  # known, nothing sealed

        tokenkeys.save(KeyRing((first, second)), tmp_path / "pc")  # rotate: both published
        new = pc_person(second)
        published = pc.get("/.well-known/jwks.json").json()["keys"]
        assert [key["kid"] for key in published] == ["pc-1", "pc-2"]
        for headers in (old, new):
            assert pc.get("/meetings", headers=headers).status_code == 200
            assert mso.get("/audit/head", headers=headers).status_code == 404
        for client in (pc, mso):
            expired = client.get("/meetings" if client is pc else "/audit/head", headers=lapsed)
            assert expired.status_code == 401
            assert "expired" in expired.json()["detail"]

        tokenkeys.save(KeyRing((second,)), tmp_path / "pc")  # retire the first key
        for client, path in ((pc, "/meetings"), (mso, "/audit/head")):
            gone = client.get(path, headers=old)
            assert gone.status_code == 401
            assert "'pc-1' is not one of the issuer's keys" in gone.json()["detail"]
            assert client.get(path, headers=new).status_code in (200, 404)


class Provider:
    """A minimal OpenID Connect provider: discovery and JWKS, counting what is fetched."""

    def __init__(self) -> None:
        self.keys: dict[str, RSAPrivateKey] = {}
        self.fetched: list[str] = []
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                provider.fetched.append(self.path)
                document = provider.document(self.path)
                body = json.dumps(document).encode()
                self.send_response(200 if document else 404)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.issuer = f"http://127.0.0.1:{self.server.server_address[1]}/realms/pc"

    def document(self, path: str) -> dict[str, Any]:
        if path == "/realms/pc/.well-known/openid-configuration":
            return {"issuer": self.issuer, "jwks_uri": self.issuer + "/certs"}
        if path == "/realms/pc/certs":
            return {"keys": [self.public(kid) for kid in self.keys]}
        return {}

    def public(self, kid: str) -> dict[str, Any]:
        jwk: dict[str, Any] = RSAAlgorithm.to_jwk(self.keys[kid].public_key(), as_dict=True)
        return {**jwk, "kid": kid, "alg": "RS256", "use": "sig"}

    def add_key(self, kid: str) -> tuple[str, RSAPrivateKey]:
        self.keys[kid] = generate_private_key(public_exponent=65537, key_size=2048)
        return kid, self.keys[kid]


@pytest.fixture
def provider() -> Iterator[Provider]:
    idp = Provider()
    thread = threading.Thread(target=idp.server.serve_forever, daemon=True)
    thread.start()
    yield idp
    idp.server.shutdown()
    idp.server.server_close()
    thread.join(timeout=5)


def keycloak_like(issuer: str) -> TrustedIssuer:
    return TrustedIssuer(
        issuer=issuer,
        org="pc",
        roles={Role.MEDICAL_DIRECTOR, Role.PHYSICIAN},
        claims=ClaimMapping(subject="preferred_username", role="realm_access.roles", org=None),
        role_values={
            "director": Role.MEDICAL_DIRECTOR,
            "doctor": Role.PHYSICIAN,
            "quality": Role.PC_QUALITY,
        },
    )


def test_an_oidc_providers_tokens_are_accepted_with_its_claim_mapping(
    store_url: StoreUrl, provider: Provider, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = provider.add_key("idp-1")
    monkeypatch.setenv(
        "MHG_PC_GOVERNANCE_TRUSTED_ISSUERS",
        json.dumps([keycloak_like(provider.issuer).model_dump(mode="json")]),
    )
    monkeypatch.setenv("MHG_PC_GOVERNANCE_JWKS_REFRESH_COOLDOWN", "0")
    settings = PcGovernanceSettings(database_url=store_url("pc_governance"), **QUIET)
    assert settings.trusted_issuers == [keycloak_like(provider.issuer)]

    def person(key: tuple[str, RSAPrivateKey], roles: list[str], **claims: Any) -> dict[str, str]:
        base = {"iss": provider.issuer, "aud": "pc-governance", "sub": "f3a9-uuid"}
        return signed(
            key,
            **{**base, "preferred_username": "dr.lee", "realm_access": {"roles": roles}, **claims},
        )

    with TestClient(pc_governance_app(settings)) as pc:
        director = person(first, ["offline_access", "director"])
        assert pc.get("/meetings", headers=director).status_code == 200
        assert pc.get("/meetings", headers=director).status_code == 200
        assert provider.fetched == [
            "/realms/pc/.well-known/openid-configuration",
            "/realms/pc/certs",
        ]

        for roles, reason in (
            (["quality"], "may not assert the role pc_quality"),
            (["uma_authorization"], "unknown role"),
            (["director", "doctor"], "more than one role"),
        ):
            response = pc.get("/meetings", headers=person(first, roles))
            assert response.status_code == 401
            assert reason in response.json()["detail"]
        wrong_aud = pc.get("/meetings", headers=person(first, ["director"], aud="account"))
        assert wrong_aud.status_code == 401

        second = provider.add_key("idp-2")  # the provider rotates: a new kid is fetched
        assert pc.get("/meetings", headers=person(second, ["doctor"])).status_code == 200
        assert provider.fetched[-1] == "/realms/pc/certs"
        assert pc.get("/meetings", headers=director).status_code == 200
        stranger = ("idp-3", generate_private_key(public_exponent=65537, key_size=2048))
        refused = pc.get("/meetings", headers=person(stranger, ["director"]))
        assert refused.status_code == 401
        assert "idp-3" in refused.json()["detail"]
