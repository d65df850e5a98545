"""Identity across the two services: who may vouch for whom, over HTTP, on both backends.

PC Governance takes a PC person's word only from the PC's issuer; a token is refused
(401) when its algorithm is not asymmetric, its kid unknown, its audience another's,
its issuer untrusted, or its role one that issuer may not assert.
"""

from __future__ import annotations

import base64
import time
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from mhg.auth import PC_ROLES, Role
from mhg.tokenkeys import TokenKey
from tests.conftest import ISSUERS, TEST_KEYS, StoreUrl, auth
from tests.integration.services import Pair, service_pair

# Issues 9 and 10 ask for every point on both backends.
pytestmark = pytest.mark.storage

PC_READ = "/meetings"


@pytest.fixture
def pair(store_url: StoreUrl) -> Any:
    with service_pair(store_url) as services:
        yield services


def token(key: TokenKey, *, headers: dict[str, Any] | None = None, **overrides: Any) -> str:
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": ISSUERS["pc"],
        "aud": "pc-governance",
        "sub": "dr-lee",
        "org": "pc",
        "role": "medical_director",
        "iat": now,
        "exp": now + 600,
        **overrides,
    }
    return jwt.encode(
        {k: v for k, v in claims.items() if v is not None},
        key.private,
        algorithm="EdDSA",
        headers={"kid": key.kid, **(headers or {})},
    )


def bearer(value: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {value}"}


def refused(response: Any, reason: str) -> None:
    assert response.status_code == 401, response.text
    assert response.json()["type"] == "/problems/unauthorized"
    assert reason in response.json()["detail"]


def test_the_pc_key_vouches_for_the_medical_director(pair: Pair) -> None:
    assert pair.pc.get(PC_READ, headers=bearer(token(TEST_KEYS["pc"].signing))).status_code == 200


@pytest.mark.parametrize("role", sorted(PC_ROLES))
def test_a_pc_role_signed_with_the_msos_key_is_401_at_pc_governance(pair: Pair, role: Role) -> None:
    mso_key = TEST_KEYS["mso"].signing
    as_mso = token(mso_key, iss=ISSUERS["mso"], role=role.value)
    refused(pair.pc.get(PC_READ, headers=bearer(as_mso)), f"may not assert the role {role}")
    # nor by naming the PC as issuer while signing with the MSO's key (and kid)
    claiming_pc = token(mso_key, role=role.value)
    refused(pair.pc.get(PC_READ, headers=bearer(claiming_pc)), "not one of the issuer's keys")
    # nor at the MSO itself: its own key cannot make a PC identity there either
    at_mso = token(mso_key, iss=ISSUERS["mso"], aud="mso-ops", role=role.value)
    refused(pair.mso.get("/audit/head", headers=bearer(at_mso)), "may not assert")


def test_unsigned_hs256_unknown_kid_wrong_audience_and_issuer_are_401(pair: Pair) -> None:
    pc_key = TEST_KEYS["pc"].signing
    claims = jwt.decode(token(pc_key), options={"verify_signature": False})
    unsigned = jwt.encode(claims, None, algorithm="none", headers={"kid": pc_key.kid})
    refused(pair.pc.get(PC_READ, headers=bearer(unsigned)), "'none' is not accepted")
    public = pc_key.private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    for secret in (public, base64.urlsafe_b64encode(public)):
        hs256 = jwt.encode(claims, secret, algorithm="HS256", headers={"kid": pc_key.kid})
        refused(pair.pc.get(PC_READ, headers=bearer(hs256)), "'HS256' is not accepted")
    unknown_kid = TokenKey(kid="not-published", private=pc_key.private)
    refused(pair.pc.get(PC_READ, headers=bearer(token(unknown_kid))), "'not-published'")
    for_the_mso = token(pc_key, aud="mso-ops")
    refused(pair.pc.get(PC_READ, headers=bearer(for_the_mso)), "not meant for pc-governance")
    elsewhere = token(pc_key, iss="https://idp.example/realms/pc")
    refused(pair.pc.get(PC_READ, headers=bearer(elsewhere)), "is not trusted here")
    expired = token(pc_key, iat=1_000, exp=2_000)
    refused(pair.pc.get(PC_READ, headers=bearer(expired)), "expired")


def test_each_organisation_vouches_for_its_services_not_for_the_other_ones_people(
    pair: Pair,
) -> None:
    feed = "/contracts/v1/feed"
    assert pair.pc.get(feed, headers=auth("service", "mso-ops")).status_code == 200
    assert pair.mso.get(feed, headers=auth("service", "pc-governance")).status_code == 200
    mso_key = TEST_KEYS["mso"].signing
    follower = token(mso_key, iss=ISSUERS["mso"], role="service", org="service", sub="mso-ops")
    assert pair.pc.get(feed, headers=bearer(follower)).status_code == 200
    refused(pair.pc.get(feed, headers=bearer(token(mso_key, iss=ISSUERS["mso"]))), "may not")


def test_the_msos_people_act_at_the_mso_with_its_key_and_pc_people_with_the_pcs(
    pair: Pair,
) -> None:
    mso_admin = token(
        TEST_KEYS["mso"].signing, iss=ISSUERS["mso"], aud="mso-ops", role="mso_admin", org="mso"
    )
    assert pair.mso.get("/sites", headers=bearer(mso_admin)).status_code == 200
    as_pc = token(TEST_KEYS["pc"].signing, aud="mso-ops", role="mso_admin", org="mso")
    refused(pair.mso.get("/sites", headers=bearer(as_pc)), "may not assert the role mso_admin")
    director = token(TEST_KEYS["pc"].signing, aud="mso-ops")
    assert pair.mso.get("/audit/head", headers=bearer(director)).status_code == 404


def test_each_service_publishes_only_its_own_public_keys(pair: Pair) -> None:
    for client, kid in ((pair.mso, "test-mso-1"), (pair.pc, "test-pc-1")):
        keys = client.get("/.well-known/jwks.json").json()["keys"]
        assert [key["kid"] for key in keys] == [kid]
        assert keys[0]["alg"] == "EdDSA"
        assert keys[0]["kty"] == "OKP"
        assert "d" not in keys[0]


@pytest.mark.parametrize("service", ["mso", "pc"])
def test_the_chain_head_answers_auditors_and_pc_roles_only(pair: Pair, service: str) -> None:
    client = pair.mso if service == "mso" else pair.pc
    for role in ("mso_admin", "mso_scheduler", "mso_billing", "vendor", "service"):
        sub = "pc-governance" if service == "mso" else "mso-ops"
        response = client.get("/audit/head", headers=auth(role, sub))
        assert response.status_code == 403, role
        assert response.json()["type"] == "/problems/forbidden"
    for role in ("auditor", *sorted(r.value for r in PC_ROLES)):
        assert client.get("/audit/head", headers=auth(role)).status_code == 404, role
    assert client.get("/audit/head").status_code == 401
