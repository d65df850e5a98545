"""Bearer tokens: issue, verify against the issuers a service trusts, and every refusal."""

from __future__ import annotations

import base64
import time
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from mhg import trust
from mhg.auth import PC_ROLES, ROLE_ORG, InvalidToken, Principal, Role, issue_token
from mhg.keysource import StaticKeys
from mhg.tokenkeys import KeyRing, TokenKey
from mhg.trust import ClaimMapping, TrustedIssuer, Verifier, assertable

MSO_KEY = TokenKey.from_seed(b"1" * 32, "mso-k1")
PC_KEY = TokenKey.from_seed(b"2" * 32, "pc-k1")
ISSUER = {"mso": "urn:mhg:mso", "pc": "urn:mhg:pc"}
KEY = {"mso": MSO_KEY, "pc": PC_KEY}

ROLE_ORG_PAIRS = [(role, org) for role in Role for org in sorted(ROLE_ORG[role])]
ALL_ORGS = ("mso", "pc", "vendor", "service")
MISMATCHED = [(role, org) for role in Role for org in ALL_ORGS if org not in ROLE_ORG[role]]


def verifier(audience: str = "pc-governance", *, home: str = "pc") -> Verifier:
    return Verifier(
        audience,
        [
            (
                TrustedIssuer(issuer=ISSUER[org], org=org, roles=assertable(org)),
                StaticKeys(KeyRing((KEY[org],)).public_jwks()),
            )
            for org in ("mso", "pc")
        ],
    )


def signer(role: Role, org: str) -> str:
    if org in KEY:
        return org
    return "mso" if role == Role.VENDOR else "pc"  # the PC's service, toward the MSO


def claims(**overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    base: dict[str, Any] = {
        "iss": ISSUER["mso"],
        "aud": "mso-ops",
        "sub": "someone",
        "org": "mso",
        "role": "mso_admin",
        "iat": now,
        "exp": now + 600,
    }
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


def craft(key: TokenKey = MSO_KEY, **overrides: Any) -> str:
    return jwt.encode(claims(**overrides), key.private, algorithm="EdDSA", headers={"kid": key.kid})


def at_mso(token: str) -> Principal:
    return verifier("mso-ops", home="mso").verify(token)


@pytest.mark.parametrize(("role", "org"), ROLE_ORG_PAIRS)
def test_round_trip_for_every_role_and_org(role: Role, org: Any) -> None:
    who = signer(role, org)
    token = issue_token(
        KEY[who], issuer=ISSUER[who], audience="mso-ops", subject="alice", org=org, role=role
    )
    principal = at_mso(token)
    assert principal == Principal(subject="alice", org=org, role=role, sites=frozenset())
    assert principal.scope == f"{org}:alice"


def test_vendor_sites_round_trip() -> None:
    token = issue_token(
        MSO_KEY,
        issuer=ISSUER["mso"],
        audience="mso-ops",
        subject="courier-co",
        org="vendor",
        role=Role.VENDOR,
        sites=("site-1", "site-2"),
    )
    principal = at_mso(token)
    assert principal.role is Role.VENDOR
    assert principal.sites == frozenset({"site-1", "site-2"})


def test_issued_claims_and_header_are_the_documented_ones() -> None:
    token = issue_token(
        PC_KEY,
        issuer=ISSUER["pc"],
        audience=("mso-ops", "pc-governance"),
        subject="bob",
        org="pc",
        role=Role.PHYSICIAN,
        now=1_000,
        ttl_seconds=60,
    )
    raw = jwt.decode(token, options={"verify_signature": False})
    assert raw == {
        "iss": "urn:mhg:pc",
        "aud": ["mso-ops", "pc-governance"],
        "sub": "bob",
        "org": "pc",
        "role": "physician",
        "iat": 1_000,
        "exp": 1_060,
    }
    header = jwt.get_unverified_header(token)
    assert (header["alg"], header["kid"]) == ("EdDSA", "pc-k1")


def test_an_expired_token_is_refused_as_expired() -> None:
    token = craft(iat=int(time.time()) - 600, exp=int(time.time()) - 120)
    with pytest.raises(InvalidToken, match="expired"):
        at_mso(token)


def test_a_token_signed_with_another_key_under_a_known_kid_is_refused() -> None:
    impostor = TokenKey.generate(MSO_KEY.kid)
    with pytest.raises(InvalidToken, match="not valid"):
        at_mso(craft(impostor))


def test_a_tampered_token_is_refused() -> None:
    header, _, signature = craft(role="mso_scheduler").split(".")
    forged_payload = craft(role="mso_admin").split(".")[1]
    with pytest.raises(InvalidToken):
        at_mso(f"{header}.{forged_payload}.{signature}")


@pytest.mark.parametrize("garbage", ["", "not-a-jwt", "a.b.c", "Bearer x"])
def test_garbage_is_refused(garbage: str) -> None:
    with pytest.raises(InvalidToken):
        at_mso(garbage)


def test_an_unsigned_token_is_refused() -> None:
    token = jwt.encode(claims(), None, algorithm="none", headers={"kid": MSO_KEY.kid})
    with pytest.raises(InvalidToken, match="'none' is not accepted"):
        at_mso(token)


def test_hs256_is_refused_even_keyed_with_the_issuers_public_key() -> None:
    public = MSO_KEY.private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    for secret in (public, base64.urlsafe_b64encode(public), b"s" * 48):
        token = jwt.encode(claims(), secret, algorithm="HS256", headers={"kid": MSO_KEY.kid})
        with pytest.raises(InvalidToken, match="'HS256' is not accepted"):
            at_mso(token)


def test_an_unknown_kid_a_missing_kid_and_an_unknown_issuer_are_refused() -> None:
    with pytest.raises(InvalidToken, match="key id 'rotated-away'"):
        at_mso(craft(TokenKey(kid="rotated-away", private=MSO_KEY.private)))
    no_kid = jwt.encode(claims(), MSO_KEY.private, algorithm="EdDSA")
    with pytest.raises(InvalidToken, match="kid"):
        at_mso(no_kid)
    with pytest.raises(InvalidToken, match="not trusted"):
        at_mso(craft(iss="urn:someone-else"))


def test_a_token_for_another_audience_is_refused() -> None:
    with pytest.raises(InvalidToken, match="not meant for mso-ops"):
        at_mso(craft(aud="pc-governance"))
    with pytest.raises(InvalidToken, match="aud"):
        at_mso(craft(aud=None))


@pytest.mark.parametrize("role", sorted(PC_ROLES))
def test_the_mso_key_cannot_make_a_pc_identity(role: Role) -> None:
    forged = craft(role=role.value, org="pc", aud="pc-governance")
    with pytest.raises(InvalidToken, match="may not assert"):
        verifier().verify(forged)


def test_a_service_identity_reads_feeds_from_either_org_but_never_as_a_person() -> None:
    own = craft(PC_KEY, iss=ISSUER["pc"], role="service", org="service", aud="pc-governance")
    assert verifier().verify(own).role is Role.SERVICE
    peer = craft(role="service", org="service", aud="pc-governance", sub="mso-ops")
    assert verifier().verify(peer) == Principal("mso-ops", "service", Role.SERVICE)
    as_person = craft(role="service", org="pc", aud="pc-governance", sub="mso-ops")
    with pytest.raises(InvalidToken, match="does not act for org"):
        verifier().verify(as_person)


def test_an_issuer_config_cannot_grant_the_other_organisations_roles() -> None:
    with pytest.raises(ValueError, match="may not assert medical_director"):
        TrustedIssuer(issuer="https://idp", org="mso", roles={Role.MEDICAL_DIRECTOR})
    with pytest.raises(ValueError, match="asymmetric"):
        TrustedIssuer(issuer="https://idp", org="pc", roles=PC_ROLES, algorithms=("HS256",))


def test_a_mapped_provider_role_and_nested_claims() -> None:
    config = TrustedIssuer(
        issuer="https://idp.example/realms/pc",
        org="pc",
        roles=PC_ROLES,
        claims=ClaimMapping(subject="preferred_username", role="realm_access.roles", org=None),
        role_values={"Director": Role.MEDICAL_DIRECTOR, "Doctor": Role.PHYSICIAN},
    )
    checker = Verifier("pc-governance", [(config, StaticKeys(KeyRing((PC_KEY,)).public_jwks()))])
    token = craft(
        PC_KEY,
        iss=config.issuer,
        aud="pc-governance",
        org=None,
        role=None,
        preferred_username="dr.lee",
        realm_access={"roles": ["offline_access", "Director"]},
    )
    assert checker.verify(token) == Principal("dr.lee", "pc", Role.MEDICAL_DIRECTOR)
    both = craft(
        PC_KEY,
        iss=config.issuer,
        aud="pc-governance",
        realm_access={"roles": ["Director", "Doctor"]},
    )
    with pytest.raises(InvalidToken, match="more than one role"):
        checker.verify(both)


@pytest.mark.parametrize(("role", "org"), MISMATCHED)
def test_issue_token_refuses_a_role_for_another_org(role: Role, org: Any) -> None:
    with pytest.raises(ValueError, match="does not act for org"):
        issue_token(MSO_KEY, issuer="x", audience="y", subject="mallory", org=org, role=role)


@pytest.mark.parametrize(("role", "org"), [(r, o) for r, o in MISMATCHED if r != Role.SERVICE])
def test_verify_refuses_a_role_for_another_org(role: Role, org: str) -> None:
    key = "pc" if role in PC_ROLES else "mso"
    token = craft(KEY[key], iss=ISSUER[key], role=role.value, org=org)
    with pytest.raises(InvalidToken, match="does not act for org"):
        at_mso(token)


@pytest.mark.parametrize("org", [None, "", "MSO", "hospital"])
def test_verify_refuses_a_missing_or_unknown_org(org: str | None) -> None:
    with pytest.raises(InvalidToken):
        at_mso(craft(org=org))


@pytest.mark.parametrize("role", [None, "", "superuser", "MSO_ADMIN", "Medical_Director"])
def test_an_unknown_role_is_refused(role: str | None) -> None:
    with pytest.raises(InvalidToken, match="unknown role"):
        at_mso(craft(role=role))


@pytest.mark.parametrize("missing", ["exp", "iat", "sub", "iss", "aud"])
def test_a_token_missing_a_required_claim_is_refused(missing: str) -> None:
    with pytest.raises(InvalidToken):
        at_mso(craft(**{missing: None}))


@pytest.mark.parametrize("sites", ["site-1", [1, 2], ["ok", None], {"a": "b"}])
def test_a_malformed_sites_claim_is_refused(sites: Any) -> None:
    with pytest.raises(InvalidToken, match="sites"):
        at_mso(craft(role="vendor", org="vendor", sites=sites))


@pytest.mark.parametrize("subject", ["", "x" * 129])
def test_a_subject_outside_1_to_128_characters_is_refused(subject: str) -> None:
    with pytest.raises(InvalidToken):
        at_mso(craft(sub=subject))


def test_a_128_character_subject_is_accepted() -> None:
    assert at_mso(craft(sub="x" * 128)).subject == "x" * 128


def test_a_rotated_ring_publishes_both_keys_and_signs_with_the_new_one() -> None:
    ring = KeyRing((MSO_KEY,)).rotated("mso-k2")
    assert [key["kid"] for key in ring.public_jwks()["keys"]] == ["mso-k1", "mso-k2"]
    assert all("d" not in key for key in ring.public_jwks()["keys"])
    assert ring.signing.kid == "mso-k2"
    assert KeyRing.from_json(ring.to_json()).public_jwks() == ring.public_jwks()
    assert ring.retired("mso-k1").public_jwks()["keys"][0]["kid"] == "mso-k2"


def refuse_to_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    """From here on, any token the verifier parses is refused."""

    def refused(*_: Any, **__: Any) -> Any:
        raise jwt.InvalidTokenError("parsed again")

    monkeypatch.setattr(jwt, "decode", refused)
    monkeypatch.setattr(jwt, "get_unverified_header", refused)


def test_a_token_verified_once_is_answered_again_without_parsing_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    checker = verifier("mso-ops", home="mso")
    token = craft()
    principal = checker.verify_from_memory(token)
    assert principal is not None

    refuse_to_parse(monkeypatch)
    assert checker.verify_from_memory(token) == principal
    with pytest.raises(InvalidToken, match="parsed again"):
        checker.verify_from_memory(craft(sub="someone-else"))


def test_a_remembered_token_past_its_expiry_is_checked_in_full_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    checker = verifier("mso-ops", home="mso")
    now = time.time()
    token = craft(exp=int(now) + 60)
    assert checker.verify_from_memory(token) is not None

    refuse_to_parse(monkeypatch)
    later = now + 60 + 31  # past the expiry and the 30 s leeway the full check allows
    monkeypatch.setattr(trust.time, "time", lambda: later)
    with pytest.raises(InvalidToken, match="parsed again"):
        checker.verify_from_memory(token)
