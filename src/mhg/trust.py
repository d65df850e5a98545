"""Which issuers a service trusts, for which roles; and checking a token against them.

A token is accepted only if its `iss` is a trusted issuer, its header names an
asymmetric algorithm that issuer signs with and a `kid` among the issuer's keys, its
signature verifies, its `aud` includes this service's audience, it has not expired,
and the issuer may assert the role it claims. The roles an organisation's issuer may
assert never include the other organisation's: the MSO's key can never make a PC
identity (`assertable`).
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import jwt
from pydantic import BaseModel, Field, field_validator, model_validator

from mhg.auth import MSO_ROLES, PC_ROLES, ROLE_ORG, InvalidToken, Principal, Role
from mhg.keysource import KeySource

IssuerOrg = Literal["mso", "pc"]
ASYMMETRIC = frozenset({"EdDSA", "ES256", "ES384", "RS256", "RS384", "RS512", "PS256"})
LEEWAY_SECONDS = 30
VERIFIED_KEPT = 4096  # tokens whose verification a Verifier remembers (then it starts over)


def assertable(org: IssuerOrg) -> frozenset[Role]:
    """What an organisation's issuer may assert, at either service.

    Its own people's roles, auditors and service identities (which only read a contract
    feed); vendors are the MSO's to vouch for. Never the other organisation's people.
    """
    roles = set(PC_ROLES if org == "pc" else MSO_ROLES) | {Role.AUDITOR, Role.SERVICE}
    if org == "mso":
        roles.add(Role.VENDOR)
    return frozenset(roles)


class ClaimMapping(BaseModel):
    """Which claim holds what (a dotted path reaches into nested claims)."""

    subject: str = "sub"
    role: str = Field(default="role", description="a string or a list holding one known role")
    org: str | None = Field(
        default="org", description="required and must agree with the role; null: not in tokens"
    )
    sites: str = "sites"


class TrustedIssuer(BaseModel):
    issuer: str = Field(min_length=1)
    org: IssuerOrg
    roles: frozenset[Role]
    jwks: str | None = Field(
        default=None, description="a JWKS file or URL; unset: OpenID Connect discovery at issuer"
    )
    algorithms: tuple[str, ...] = ("EdDSA", "ES256", "RS256")
    claims: ClaimMapping = ClaimMapping()
    role_values: dict[str, Role] = Field(
        default_factory=dict, description="the provider's role names to ours (empty: ours)"
    )

    @field_validator("algorithms")
    @classmethod
    def _asymmetric_only(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        refused = [alg for alg in value if alg not in ASYMMETRIC]
        if refused or not value:
            raise ValueError(f"only asymmetric algorithms are trusted, not {refused}")
        return value

    @model_validator(mode="after")
    def _roles_of_its_org(self) -> TrustedIssuer:
        foreign = sorted(r.value for r in self.roles if r not in assertable(self.org))
        if foreign:
            raise ValueError(f"an issuer for org {self.org} may not assert {', '.join(foreign)}")
        return self


def _claim(claims: Mapping[str, Any], path: str) -> Any:
    value: Any = claims
    for part in path.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


@dataclass(frozen=True)
class Verified:
    """A token this verifier checked in full, and what that check relied on.

    The same token is answered again without parsing it while the key that signed it is
    still the one its issuer's keys hold in memory (a rotation, a retirement or a fetched
    set replaces the key object) and the token has not expired (with the leeway the full
    check allows). Nothing else in the check depends on time."""

    principal: Principal
    keys: KeySource
    kid: str
    key: jwt.PyJWK
    expires: float

    def holds(self) -> bool:
        return (
            time.time() < self.expires + LEEWAY_SECONDS and self.keys.cached(self.kid) is self.key
        )


class Verifier:
    """This service's view of identity: its audience and the issuers it trusts."""

    def __init__(self, audience: str, issuers: Sequence[tuple[TrustedIssuer, KeySource]]) -> None:
        self.audience = audience
        self._issuers = {config.issuer: (config, keys) for config, keys in issuers}
        self._verified: dict[str, Verified] = {}

    def verify(self, token: str) -> Principal:
        """The token's principal; may read a key file or fetch the issuer's keys."""
        config, keys, kid = self._issuer_of(token)
        return self._principal(self._decode(token, config, keys.key(kid)), config)

    def verify_from_memory(self, token: str) -> Principal | None:
        """What `verify` answers, when the issuer's key is known from memory (`cached`):
        no read, no fetch, no wait, so it may run on the event loop; None: call `verify`."""
        seen = self._verified.get(token)
        if seen is not None and seen.holds():
            return seen.principal
        config, keys, kid = self._issuer_of(token)
        key = keys.cached(kid)
        if key is None:
            return None
        claims = self._decode(token, config, key)
        principal = self._principal(claims, config)
        if len(self._verified) >= VERIFIED_KEPT:
            self._verified.clear()
        self._verified[token] = Verified(principal, keys, kid, key, float(claims["exp"]))
        return principal

    def _issuer_of(self, token: str) -> tuple[TrustedIssuer, KeySource, str]:
        """The trusted issuer the token names, its keys and the token's kid (unverified)."""
        try:
            header = jwt.get_unverified_header(token)
            unverified = jwt.decode(token, options={"verify_signature": False})
        except jwt.InvalidTokenError as error:
            raise InvalidToken(f"the token is not valid: {error}") from None
        algorithm = header.get("alg")
        if algorithm not in ASYMMETRIC:
            raise InvalidToken(f"algorithm {algorithm!r} is not accepted")
        trusted = self._issuers.get(str(unverified.get("iss")))
        if trusted is None:
            raise InvalidToken(f"issuer {unverified.get('iss')!r} is not trusted here")
        config, keys = trusted
        kid = header.get("kid")
        if not isinstance(kid, str):
            raise InvalidToken("the token names no key id (kid)")
        return config, keys, kid

    def _decode(self, token: str, config: TrustedIssuer, key: jwt.PyJWK) -> dict[str, Any]:
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=list(config.algorithms),
                audience=self.audience,
                issuer=config.issuer,
                leeway=LEEWAY_SECONDS,
                options={"require": ["exp", "iat", "iss", "aud"]},
            )
        except jwt.ExpiredSignatureError:
            raise InvalidToken("the token has expired") from None
        except jwt.InvalidAudienceError:
            raise InvalidToken(f"the token is not meant for {self.audience}") from None
        except jwt.InvalidTokenError as error:
            raise InvalidToken(f"the token is not valid: {error}") from None
        return claims

    def _principal(self, claims: Mapping[str, Any], config: TrustedIssuer) -> Principal:
        role = self._role(_claim(claims, config.claims.role), config)
        if role not in config.roles:
            raise InvalidToken(f"issuer {config.issuer} may not assert the role {role.value}")
        org = config.org if role == Role.AUDITOR else next(iter(ROLE_ORG[role]))
        if config.claims.org is not None:
            stated = _claim(claims, config.claims.org)
            if stated != org:
                raise InvalidToken(f"role {role} does not act for org {stated!r}")
        sites = _claim(claims, config.claims.sites) or []
        if not isinstance(sites, list) or not all(isinstance(s, str) for s in sites):
            raise InvalidToken("the token's sites claim must be a list of site ids")
        subject = _claim(claims, config.claims.subject)
        if not isinstance(subject, str) or not 0 < len(subject) <= 128:
            raise InvalidToken("the token's subject must be 1 to 128 characters")
        return Principal(subject=subject, org=org, role=role, sites=frozenset(sites))

    @staticmethod
    def _role(value: Any, config: TrustedIssuer) -> Role:
        values = value if isinstance(value, list) else [value]
        known = {role for role in (_known_role(v, config) for v in values) if role is not None}
        if not known:
            raise InvalidToken("the token names an unknown role")
        if len(known) > 1:
            raise InvalidToken("the token names more than one role")
        return known.pop()


def _known_role(value: Any, config: TrustedIssuer) -> Role | None:
    if not isinstance(value, str):
        return None
    if config.role_values:
        return config.role_values.get(value)
    try:
        return Role(value)
    except ValueError:
        return None
