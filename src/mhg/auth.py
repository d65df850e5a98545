"""Bearer tokens: who is calling, for which organisation, in which role.

Each organisation signs its own people's tokens with its own key (EdDSA, with a
`kid`); each service verifies them against the issuers it trusts (`mhg.trust`). A
role belongs to exactly one organisation; a token whose role and organisation
disagree is not valid.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import jwt

from mhg.meta import Org
from mhg.tokenkeys import ALGORITHM, TokenKey


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


PC_ROLES = frozenset({Role.MEDICAL_DIRECTOR, Role.PHYSICIAN, Role.APP, Role.PC_QUALITY})
MSO_ROLES = frozenset({Role.MSO_ADMIN, Role.MSO_SCHEDULER, Role.MSO_BILLING})

ROLE_ORG: dict[Role, set[Org]] = {
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
    key: TokenKey,
    *,
    issuer: str,
    audience: str | tuple[str, ...],
    subject: str,
    org: Org,
    role: Role,
    ttl_seconds: int = 3600,
    sites: tuple[str, ...] = (),
    now: float | None = None,
) -> str:
    """A token signed with `key` (its kid in the header) for the given audience(s)."""
    if org not in ROLE_ORG[role]:
        msg = f"role {role} does not act for org {org}"
        raise ValueError(msg)
    issued = int(now if now is not None else time.time())
    claims: dict[str, Any] = {
        "iss": issuer,
        "aud": audience if isinstance(audience, str) else list(audience),
        "sub": subject,
        "org": org,
        "role": role.value,
        "iat": issued,
        "exp": issued + ttl_seconds,
    }
    if sites:
        claims["sites"] = list(sites)
    return jwt.encode(claims, key.private, algorithm=ALGORITHM, headers={"kid": key.kid})
