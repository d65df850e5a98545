"""Request and response bodies of clinicians and their credentials."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, Field, StringConstraints
from typing_extensions import TypeAliasType

from mhg.bounded import Day, Line
from services.pc_governance.api.schemas import Strict, read_off, with_example
from services.pc_governance.domain.clinician import Clinician, Credential

ClinicianRole = TypeAliasType("ClinicianRole", Literal["physician", "medical_director", "np", "pa"])
CredentialKind = TypeAliasType("CredentialKind", Literal["license", "dea", "board_certification"])
CredentialStatus = Literal["unverified", "verified", "expired"]
Source = Annotated[str, Line(500, min_length=1)]


class ClinicianIn(Strict):
    npi: Annotated[
        str,
        StringConstraints(
            strip_whitespace=True, min_length=1, max_length=20, pattern=r"^[A-Za-z0-9-]+$"
        ),
    ] = Field(examples=["1234567893"])
    name: Annotated[str, Line(200, min_length=1)]
    role: ClinicianRole


class CredentialIn(Strict):
    kind: CredentialKind
    number: Annotated[str, Line(64, min_length=1)]
    issuer: Annotated[str, Line(100, min_length=1)] = Field(
        description="Issuing board or agency, with its state", examples=["CA MBC"]
    )
    issued_on: Day
    expires_on: Day


class VerifyIn(Strict):
    source: Source = Field(
        description="What it was verified against", examples=["CA DCA BreEZe lookup"]
    )


class RenewIn(Strict):
    model_config = with_example(expires_on="2028-11-30", source="CA DCA BreEZe lookup")
    expires_on: Day
    source: Source


class SweepIn(Strict):
    model_config = with_example(as_of="2026-11-23")
    as_of: Day = Field(
        description="Record every credential that expired before this day (today at the latest)"
    )


class CredentialVerificationOut(BaseModel):
    verified_by: str
    verified_role: str
    source: str
    verified_on: date


class CredentialTerms(BaseModel):
    # what a credential is and the days it holds, as answered, stored and put in the
    # audit packet, each after its ids (no docstring: it would describe every schema
    # built on it; pydantic lays out the last base's fields first)
    kind: str
    number: str
    issuer: str
    issued_on: date
    expires_on: date
    status: str


class CredentialId(BaseModel):
    id: UUID


class CredentialOut(CredentialTerms, CredentialId):
    verification: CredentialVerificationOut | None

    @classmethod
    def of(cls, c: Credential) -> CredentialOut:
        return read_off(c, cls, id=c.credential_id)


class ClinicianCredentialOut(CredentialOut):
    """One credential, with its clinician and the clinician's version (for If-Match)."""

    clinician_id: UUID
    version: int

    @classmethod
    def on(cls, clinician: Clinician, credential_id: UUID) -> ClinicianCredentialOut:
        credential = CredentialOut.of(clinician.credential(credential_id))
        return cls(clinician_id=clinician.id, version=clinician.version, **credential.model_dump())


class ClinicianRecord(BaseModel):
    # who the clinician is and whether eligible, as answered and as listed (no docstring:
    # it would describe every schema built on it)
    id: UUID
    npi: str
    name: str
    role: str
    status: str
    eligible: bool
    eligibility_reason: str


class ClinicianOut(ClinicianRecord):
    registered_at: datetime
    registered_by: str
    credentials: list[CredentialOut]
    version: int

    @classmethod
    def of(cls, c: Clinician) -> ClinicianOut:
        credentials = [CredentialOut.of(x) for x in c.credentials.values()]
        return read_off(c, cls, credentials=credentials)


class ClinicianRow(ClinicianRecord):
    eligibility_changed_at: datetime
    registered_at: datetime


class CredentialHolder(CredentialId):
    clinician_id: UUID
    clinician_name: str


class StoredCredential(CredentialTerms, CredentialHolder):
    """A credential as the read model holds it; listed as a `CredentialRow` as of a day."""

    verified_on: date | None
    verified_by: str | None
    source: str | None


# days left below the first bound -> that alert; checked in order
ALERTS = ((0, "expired"), (31, "within_30"), (61, "within_60"), (91, "within_90"))


class CredentialRow(StoredCredential):
    days_left: int = Field(description="Days from today to expiry; negative once past")
    alert: Literal["expired", "within_30", "within_60", "within_90"] | None

    @classmethod
    def of(cls, stored: StoredCredential, today: date) -> CredentialRow:
        days_left = (stored.expires_on - today).days
        alert = next((name for bound, name in ALERTS if days_left < bound), None)
        return cls.model_validate({**stored.model_dump(), "days_left": days_left, "alert": alert})


class ExpiredCredentialOut(BaseModel):
    clinician_id: UUID
    credential_id: UUID
    kind: str
    expires_on: date


class SweepOut(BaseModel):
    as_of: date
    expired: list[ExpiredCredentialOut]
    no_longer_eligible: list[UUID] = Field(
        description="Clinicians this sweep made ineligible (published to the MSO)"
    )
