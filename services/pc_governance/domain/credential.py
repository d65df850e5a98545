"""A clinician's credential (license, DEA registration, board certification) and its checks.

A credential is `unverified` when put on file, `verified` once checked against a
source (or renewed), and `expired` once the expiry sweep has seen its date pass.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from mhg.meta import Meta
from services.pc_governance.domain.clinician_errors import InvalidCredential

CREDENTIAL_KINDS = ("license", "dea", "board_certification")

# Controlled-substance prescribing (DEA) is not needed for low-acuity clearance work.
REQUIRED_KINDS: dict[str, tuple[str, ...]] = {
    "physician": ("license", "board_certification"),
    "medical_director": ("license", "board_certification"),
    "np": ("license",),
    "pa": ("license",),
}

UNVERIFIED = "unverified"
VERIFIED = "verified"
EXPIRED = "expired"


@dataclass(frozen=True)
class Verification:
    verified_by: str
    verified_role: str
    source: str
    verified_on: date


@dataclass
class Credential:
    credential_id: UUID
    kind: str
    number: str
    issuer: str
    issued_on: date
    expires_on: date
    status: str = UNVERIFIED
    verification: Verification | None = None

    def verified(self, source: str, verified_on: date, meta: Meta) -> None:
        """Checked against `source` (on file or renewed): the credential holds."""
        self.status = VERIFIED
        self.verification = Verification(meta.actor_id, meta.actor_role, source, verified_on)


def check_new_credential(
    kind: str, number: str, issuer: str, issued_on: date, expires_on: date
) -> None:
    if kind not in CREDENTIAL_KINDS:
        raise InvalidCredential(f"kind must be one of {', '.join(CREDENTIAL_KINDS)}")
    if expires_on <= issued_on:
        raise InvalidCredential("expires_on must be after issued_on")
    if not number.strip() or not issuer.strip():
        raise InvalidCredential("a credential needs a number and an issuer")


def check_source(source: str) -> None:
    if not source.strip():
        raise InvalidCredential("name the source the credential was verified against")


def requirements_met(role: str, credentials: Collection[Credential]) -> bool:
    """Every kind the role requires held verified, and no credential on file expired."""
    if any(c.status == EXPIRED for c in credentials):
        return False
    verified = {c.kind for c in credentials if c.status == VERIFIED}
    return set(REQUIRED_KINDS[role]) <= verified


def lapse_day(credentials: Collection[Credential]) -> date | None:
    """The earliest expiry of the verified credentials in force, if any."""
    return min((c.expires_on for c in credentials if c.status == VERIFIED), default=None)
