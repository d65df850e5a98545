"""A PC clinician and the credentials that make them eligible to practice and supervise.

Eligibility (decided here, and published to the MSO on every change):
- every credential kind the role requires (REQUIRED_KINDS) is held by at least one
  verified credential: one never verified does not count, but neither does it block;
- no credential on file is expired, whatever its kind or verification: an expired
  credential removes the clinician from supervision and coverage until renewed.
Dates become facts only through the sweep (`record_expirations`), so eligibility
changes exactly when an event says so, never silently with the clock; the service runs
the sweep itself each day (docs/adr/0019). What it publishes for an eligible clinician
names the day eligibility lapses unless renewed (the earliest expiry of the verified
credentials), republished whenever that day moves, so the MSO judges a shift's day by
it even before the lapse arrives.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from mhg.meta import Meta
from services.pc_governance.domain.clinician_errors import (
    CredentialAlreadyOnFile,
    CredentialNotFound,
    CredentialOutOfDate,
    InvalidClinician,
    InvalidCredential,
    InvalidCredentialTransition,
)
from services.pc_governance.domain.credential import (
    EXPIRED,
    UNVERIFIED,
    Credential,
    check_new_credential,
    check_source,
    lapse_day,
    requirements_met,
)

ROLES = ("physician", "medical_director", "np", "pa")
APP_ROLES = ("np", "pa")
SUPERVISING_ROLES = ("physician", "medical_director")
CREDENTIALING = "credentialing"  # registered, never yet eligible
ELIGIBLE = "eligible"
INELIGIBLE = "ineligible"  # was eligible, is no longer

_NAMESPACE = uuid.UUID("9c4f1f0e-3b7a-4c55-9d0e-2f6a8b1c7d43")


class Clinician(Aggregate):
    @staticmethod
    def create_id(npi: str) -> UUID:
        return uuid.uuid5(_NAMESPACE, npi.strip())

    @classmethod
    def register(cls, *, npi: str, name: str, role: str, meta: Meta) -> Clinician:
        if role not in ROLES:
            raise InvalidClinician(f"role must be one of {', '.join(ROLES)}")
        if not npi.strip() or not name.strip():
            raise InvalidClinician("a clinician needs a name and an NPI")
        return cls(
            id=cls.create_id(npi),
            npi=npi.strip(),
            name=name.strip(),
            role=role,
            registered_at=datetime.now(UTC),
            meta=meta,
        )

    class Registered(Aggregate.Created):
        npi: str
        name: str
        role: str
        registered_at: datetime
        meta: Meta

    @event(Registered)
    def __init__(
        self, id: UUID, npi: str, name: str, role: str, registered_at: datetime, meta: Meta
    ) -> None:
        self.npi = npi
        self.name = name
        self.role = role
        self.registered_at = registered_at
        self.registered_by = meta.actor_id
        self.status = CREDENTIALING
        self.eligibility_reason = "registered"
        self.published_lapse: date | None = None  # the lapse day last published
        self.credentials: dict[UUID, Credential] = {}

    @property
    def eligible(self) -> bool:
        return self.status == ELIGIBLE

    @property
    def is_app(self) -> bool:
        return self.role in APP_ROLES

    @property
    def lapses_on(self) -> date | None:
        return lapse_day(self.credentials.values())

    def meets_requirements(self) -> bool:
        return requirements_met(self.role, self.credentials.values())

    def credential(self, credential_id: UUID) -> Credential:
        try:
            return self.credentials[credential_id]
        except KeyError:
            raise CredentialNotFound(f"{self.name} has no credential {credential_id}") from None

    # commands
    def add_credential(
        self,
        *,
        credential_id: UUID,
        kind: str,
        number: str,
        issuer: str,
        issued_on: date,
        expires_on: date,
        meta: Meta,
    ) -> None:
        check_new_credential(kind, number, issuer, issued_on, expires_on)
        key = (kind, issuer.strip(), number.strip())
        if any((c.kind, c.issuer, c.number) == key for c in self.credentials.values()):
            raise CredentialAlreadyOnFile(f"{kind} {number} from {issuer} is on file already")
        if credential_id in self.credentials:
            raise CredentialAlreadyOnFile(f"credential {credential_id} is on file already")
        self._credential_added(
            credential_id=credential_id,
            kind=kind,
            number=number.strip(),
            issuer=issuer.strip(),
            issued_on=issued_on,
            expires_on=expires_on,
            meta=meta,
        )

    def verify_credential(
        self, credential_id: UUID, *, source: str, today: date, meta: Meta
    ) -> None:
        """Primary-source verification of a credential as put on file."""
        credential = self.credential(credential_id)
        if credential.status != UNVERIFIED:
            raise InvalidCredentialTransition(
                f"the credential is {credential.status}; only an unverified one can be verified",
                current_status=credential.status,
            )
        if credential.expires_on < today:
            raise CredentialOutOfDate(f"the credential expired on {credential.expires_on}")
        check_source(source)
        self._credential_verified(
            credential_id=credential_id, source=source.strip(), verified_on=today, meta=meta
        )
        self._follow_eligibility("credential_verified", meta)

    def renew_credential(
        self, credential_id: UUID, *, expires_on: date, source: str, today: date, meta: Meta
    ) -> None:
        """A new expiry, verified against its source: the credential holds again."""
        credential = self.credential(credential_id)
        if expires_on <= credential.expires_on:
            raise InvalidCredential(f"a renewal must expire after {credential.expires_on}")
        if expires_on < today:
            raise InvalidCredential("a renewal cannot expire in the past")
        check_source(source)
        self._credential_renewed(
            credential_id=credential_id,
            expires_on=expires_on,
            source=source.strip(),
            verified_on=today,
            meta=meta,
        )
        self._follow_eligibility("credential_renewed", meta)

    def record_expirations(self, *, as_of: date, meta: Meta) -> list[UUID]:
        """Mark every credential that expired before `as_of`; none twice."""
        lapsed = [
            c.credential_id
            for c in self.credentials.values()
            if c.expires_on < as_of and c.status != EXPIRED
        ]
        for credential_id in lapsed:
            self._credential_expired(credential_id=credential_id, as_of=as_of, meta=meta)
        if lapsed:
            self._follow_eligibility("credential_expired", meta)
        return lapsed

    def _follow_eligibility(self, reason: str, meta: Meta) -> None:
        eligible = self.meets_requirements()
        lapses_on = self.lapses_on if eligible else None
        if eligible != self.eligible or lapses_on != self.published_lapse:
            self._eligibility_changed(
                eligible=eligible,
                reason=reason,
                effective_at=datetime.now(UTC),
                name=self.name,
                role=self.role,
                meta=meta,
                lapses_on=lapses_on,
            )

    # events
    class CredentialAdded(Aggregate.Event):
        credential_id: UUID
        kind: str
        number: str
        issuer: str
        issued_on: date
        expires_on: date
        meta: Meta

    @event(CredentialAdded)
    def _credential_added(
        self,
        credential_id: UUID,
        kind: str,
        number: str,
        issuer: str,
        issued_on: date,
        expires_on: date,
        meta: Meta,
    ) -> None:
        self.credentials[credential_id] = Credential(
            credential_id=credential_id,
            kind=kind,
            number=number,
            issuer=issuer,
            issued_on=issued_on,
            expires_on=expires_on,
        )

    class CredentialVerified(Aggregate.Event):
        credential_id: UUID
        source: str
        verified_on: date
        meta: Meta

    @event(CredentialVerified)
    def _credential_verified(
        self, credential_id: UUID, source: str, verified_on: date, meta: Meta
    ) -> None:
        self.credentials[credential_id].verified(source, verified_on, meta)

    class CredentialRenewed(Aggregate.Event):
        credential_id: UUID
        expires_on: date
        source: str
        verified_on: date
        meta: Meta

    @event(CredentialRenewed)
    def _credential_renewed(
        self, credential_id: UUID, expires_on: date, source: str, verified_on: date, meta: Meta
    ) -> None:
        credential = self.credentials[credential_id]
        credential.expires_on = expires_on
        credential.verified(source, verified_on, meta)

    class CredentialExpired(Aggregate.Event):
        credential_id: UUID
        as_of: date
        meta: Meta

    @event(CredentialExpired)
    def _credential_expired(self, credential_id: UUID, as_of: date, meta: Meta) -> None:
        self.credentials[credential_id].status = EXPIRED

    class EligibilityChanged(Aggregate.Event):
        eligible: bool
        reason: str
        effective_at: datetime
        name: str
        role: str
        meta: Meta
        lapses_on: date | None = None  # absent from events before ADR 0019

    @event(EligibilityChanged)
    def _eligibility_changed(
        self,
        eligible: bool,
        reason: str,
        effective_at: datetime,
        name: str,
        role: str,
        meta: Meta,
        lapses_on: date | None = None,  # absent from events before ADR 0019
    ) -> None:
        self.status = ELIGIBLE if eligible else INELIGIBLE
        self.eligibility_reason = reason
        self.published_lapse = lapses_on


# Credential moved to credential.py; importers still name it with the clinician.
__all__ = ["Clinician", "Credential"]
