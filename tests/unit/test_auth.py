"""Bearer tokens: issue, verify, and every way a token is refused."""

from __future__ import annotations

import time
from typing import Any

import jwt
import pytest

from mhg.auth import ISSUER, ROLE_ORG, InvalidToken, Principal, Role, issue_token, verify_token

SECRET = "unit-secret-" + "s" * 40
OTHER_SECRET = "other-secret-" + "o" * 40

ROLE_ORG_PAIRS = [(role, org) for role in Role for org in sorted(ROLE_ORG[role])]
ALL_ORGS = ("mso", "pc", "vendor", "service")
MISMATCHED = [(role, org) for role in Role for org in ALL_ORGS if org not in ROLE_ORG[role]]


def claims(**overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    base: dict[str, Any] = {
        "iss": ISSUER,
        "sub": "someone",
        "org": "mso",
        "role": "mso_admin",
        "iat": now,
        "exp": now + 600,
    }
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


def craft(**overrides: Any) -> str:
    return jwt.encode(claims(**overrides), SECRET, algorithm="HS256")


@pytest.mark.parametrize(("role", "org"), ROLE_ORG_PAIRS)
def test_round_trip_for_every_role_and_org(role: Role, org: Any) -> None:
    token = issue_token(SECRET, subject="alice", org=org, role=role)
    principal = verify_token(SECRET, token)
    assert principal == Principal(subject="alice", org=org, role=role, sites=frozenset())
    assert principal.scope == f"{org}:alice"


def test_vendor_sites_round_trip() -> None:
    token = issue_token(
        SECRET, subject="courier-co", org="vendor", role=Role.VENDOR, sites=("site-1", "site-2")
    )
    principal = verify_token(SECRET, token)
    assert principal.role is Role.VENDOR
    assert principal.sites == frozenset({"site-1", "site-2"})


def test_issued_claims_are_the_documented_ones() -> None:
    token = issue_token(
        SECRET, subject="bob", org="pc", role=Role.PHYSICIAN, now=1_000, ttl_seconds=60
    )
    raw = jwt.decode(token, options={"verify_signature": False})
    assert raw == {
        "iss": ISSUER,
        "sub": "bob",
        "org": "pc",
        "role": "physician",
        "iat": 1_000,
        "exp": 1_060,
    }
    assert jwt.get_unverified_header(token)["alg"] == "HS256"


def test_an_expired_token_is_refused_as_expired() -> None:
    token = issue_token(
        SECRET,
        subject="alice",
        org="mso",
        role=Role.MSO_ADMIN,
        ttl_seconds=5,
        now=time.time() - 120,
    )
    with pytest.raises(InvalidToken, match="expired"):
        verify_token(SECRET, token)


def test_a_token_signed_with_another_secret_is_refused() -> None:
    token = issue_token(OTHER_SECRET, subject="alice", org="mso", role=Role.MSO_ADMIN)
    with pytest.raises(InvalidToken, match="not valid"):
        verify_token(SECRET, token)


def test_a_tampered_token_is_refused() -> None:
    token = issue_token(SECRET, subject="alice", org="mso", role=Role.MSO_SCHEDULER)
    header, _, signature = token.split(".")
    forged_payload = jwt.encode(claims(role="medical_director", org="pc"), SECRET).split(".")[1]
    with pytest.raises(InvalidToken):
        verify_token(SECRET, f"{header}.{forged_payload}.{signature}")


@pytest.mark.parametrize("garbage", ["", "not-a-jwt", "a.b.c", "Bearer x"])
def test_garbage_is_refused(garbage: str) -> None:
    with pytest.raises(InvalidToken):
        verify_token(SECRET, garbage)


def test_an_unsigned_token_is_refused() -> None:
    token = jwt.encode(claims(), None, algorithm="none")
    with pytest.raises(InvalidToken):
        verify_token(SECRET, token)


@pytest.mark.parametrize(("role", "org"), MISMATCHED)
def test_issue_token_refuses_a_role_for_another_org(role: Role, org: Any) -> None:
    with pytest.raises(ValueError, match="does not act for org"):
        issue_token(SECRET, subject="mallory", org=org, role=role)


@pytest.mark.parametrize(("role", "org"), MISMATCHED)
def test_verify_token_refuses_a_role_for_another_org(role: Role, org: str) -> None:
    with pytest.raises(InvalidToken, match="does not act for org"):
        verify_token(SECRET, craft(role=role.value, org=org))


@pytest.mark.parametrize("org", [None, "", "MSO", "hospital"])
def test_verify_token_refuses_a_missing_or_unknown_org(org: str | None) -> None:
    with pytest.raises(InvalidToken):
        verify_token(SECRET, craft(org=org))


@pytest.mark.parametrize("role", [None, "", "superuser", "MSO_ADMIN", "Medical_Director"])
def test_an_unknown_role_is_refused(role: str | None) -> None:
    with pytest.raises(InvalidToken, match="unknown role"):
        verify_token(SECRET, craft(role=role))


@pytest.mark.parametrize("missing", ["exp", "iat", "sub", "iss"])
def test_a_token_missing_a_required_claim_is_refused(missing: str) -> None:
    with pytest.raises(InvalidToken):
        verify_token(SECRET, craft(**{missing: None}))


def test_a_token_without_exp_is_refused() -> None:
    token = craft(exp=None)
    assert "exp" not in jwt.decode(token, options={"verify_signature": False})
    with pytest.raises(InvalidToken, match="exp"):
        verify_token(SECRET, token)


def test_a_token_from_another_issuer_is_refused() -> None:
    with pytest.raises(InvalidToken):
        verify_token(SECRET, craft(iss="someone-else"))


@pytest.mark.parametrize("sites", ["site-1", [1, 2], ["ok", None], {"a": "b"}])
def test_a_malformed_sites_claim_is_refused(sites: Any) -> None:
    with pytest.raises(InvalidToken, match="sites"):
        verify_token(SECRET, craft(role="vendor", org="vendor", sites=sites))


@pytest.mark.parametrize("subject", ["", "x" * 129])
def test_a_subject_outside_1_to_128_characters_is_refused(subject: str) -> None:
    with pytest.raises(InvalidToken):
        verify_token(SECRET, craft(sub=subject))


def test_a_128_character_subject_is_accepted() -> None:
    assert verify_token(SECRET, craft(sub="x" * 128)).subject == "x" * 128
