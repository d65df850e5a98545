"""Clinician eligibility messages, major version 1.

PC Governance tells the MSO whether a clinician may be scheduled, supervise or be
supervised: status, and the day an eligible clinician's eligibility lapses unless a
credential is renewed first; never a credential's number, issuer, kind or own dates (the
credentialing file stays with the PC).
"""

from datetime import date
from typing import ClassVar, Literal
from uuid import UUID

from pydantic import AwareDatetime, Field

from contracts.base import ContractMessage

ClinicianRole = Literal["physician", "medical_director", "np", "pa"]
EligibilityReason = Literal[
    "registered", "credential_verified", "credential_expired", "credential_renewed"
]


class ClinicianEligibilityChangedV1(ContractMessage):
    """A clinician became eligible or ineligible (sent once, not eligible, at registration)."""

    TYPE: ClassVar[str] = "clinician.eligibility-changed"
    VERSION: ClassVar[int] = 1

    clinician_id: UUID
    name: str = Field(min_length=1, max_length=200)
    role: ClinicianRole
    eligible: bool
    reason: EligibilityReason
    effective_at: AwareDatetime
    eligibility_lapses_on: date | None = Field(
        default=None,
        description=(
            "For an eligible clinician, the earliest expiry of the credentials that make them "
            "eligible: the MSO relies on them only for days before it (absent "
            "from older messages; docs/adr/0019)"
        ),
    )
