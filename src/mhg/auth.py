"""Bearer tokens: who is calling, for which organisation, in which role.

Tokens are HS256 JWTs signed with the platform secret. A role belongs to exactly
one organisation; a token whose role and organisation disagree is not valid.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import jwt

from mhg.meta import Org

ISSUER = "mhg"


class Role(StrEnum):
    MSO_ADMIN = "mso_admin"
    MSO_SCHEDULER = "mso_scheduler"
    MSO_BILLING = "mso_billing"
    MEDICAL_DIRECTOR = "medical_director"
    PHYSICIAN = "physician"
    APP = "app"
    PC_QUALITY = "pc_quality"
    AUDITOR = "auditor"
    VENDOR = "vendor"
    SERVICE = "service"


ROLE_ORG: dict[Role, set[str]] = {
    Role.MSO_ADMIN: {"mso"},
    Role.MSO_SCHEDULER: {"mso"},
    Role.MSO_BILLING: {"mso"},
    Role.MEDICAL_DIRECTOR: {"pc"},
    Role.PHYSICIAN: {"pc"},
    Role.APP: {"pc"},
    Role.PC_QUALITY: {"pc"},
    Role.AUDITOR: {"mso", "pc"},
    Role.VENDOR: {"vendor"},
    Role.SERVICE: {"service"},
}


class InvalidToken(Exception):
    """The credential is missing, expired, badly signed or malformed."""


@dataclass(frozen=True)
class Principal:
    subject: str
    org: Org
    role: Role
    sites: frozenset[str] = field(default_factory=frozenset)

    @property
    def scope(self) -> str:
        return f"{self.org}:{self.subject}"


def issue_token(
    secret: str,
    *,
    subject: str,
    org: Org,
    role: Role,
    ttl_seconds: int = 3600,
    sites: tuple[str, ...] = (),
    now: float | None = None,
) -> str:
    if org not in ROLE_ORG[role]:
        msg = f"role {role} does not act for org {org}"
        raise ValueError(msg)
    issued = int(now if now is not None else time.time())
    claims: dict[str, Any] = {
        "iss": ISSUER,
        "sub": subject,
        "org": org,
        "role": role.value,
        "iat": issued,
        "exp": issued + ttl_seconds,
    }
    if sites:
        claims["sites"] = list(sites)
    return jwt.encode(claims, secret, algorithm="HS256")


def verify_token(secret: str, token: str) -> Principal:
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=["HS256"],
            issuer=ISSUER,
            options={"require": ["exp", "iat", "sub", "iss"]},
        )
    except jwt.ExpiredSignatureError:
        raise InvalidToken("the token has expired") from None
    except jwt.InvalidTokenError as error:
        raise InvalidToken(f"the token is not valid: {error}") from None
    try:
        role = Role(str(claims.get("role")))
    except ValueError:
        raise InvalidToken("the token names an unknown role") from None
    org = claims.get("org")
    if org not in ROLE_ORG[role]:
        raise InvalidToken(f"role {role} does not act for org {org!r}")
    sites = claims.get("sites", [])
    if not isinstance(sites, list) or not all(isinstance(s, str) for s in sites):
        raise InvalidToken("the token's sites claim must be a list of site ids")
    subject = claims["sub"]
    if not isinstance(subject, str) or not 0 < len(subject) <= 128:
        raise InvalidToken("the token's subject must be 1 to 128 characters")
    return Principal(subject=subject, org=org, role=role, sites=frozenset(sites))
