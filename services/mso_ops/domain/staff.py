"""A member of the MSO's staff list: a PC clinician, or a non-clinical employee.

A clinical staff member is one of the PC's clinicians: the MSO keeps only the
non-clinical paperwork (who works where), never the credentials. They are added only
once the PC has published the clinician, under the PC's clinician id, with the name
and role the PC gave; whether they may practise is read from the PC's eligibility.
"""

from __future__ import annotations

import uuid
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from mhg.meta import Meta
from services.mso_ops.domain.clinical_standing import ClinicianStanding
from services.mso_ops.domain.staffing_errors import InvalidStaffMember

CLINICAL = "clinical"
NON_CLINICAL = "non_clinical"
KINDS = (CLINICAL, NON_CLINICAL)

_NAMESPACE = uuid.UUID("5a9e7c13-2b4d-4e8f-9c61-7d0a3b2e5f14")


class StaffMember(Aggregate):
    @staticmethod
    def clinical_id(clinician_id: UUID) -> UUID:
        """One staff record per PC clinician."""
        return uuid.uuid5(_NAMESPACE, f"clinician|{clinician_id}")

    @classmethod
    def clinician(
        cls, *, standing: ClinicianStanding, home_site_id: UUID | None, meta: Meta
    ) -> StaffMember:
        return cls(
            id=cls.clinical_id(standing.clinician_id),
            kind=CLINICAL,
            name=standing.name,
            job_title=standing.role,
            clinician_id=standing.clinician_id,
            home_site_id=home_site_id,
            meta=meta,
        )

    @classmethod
    def employee(
        cls,
        *,
        staff_id: UUID,
        name: str,
        job_title: str,
        home_site_id: UUID | None,
        meta: Meta,
    ) -> StaffMember:
        if not name.strip() or not job_title.strip():
            raise InvalidStaffMember("a staff member needs a name and a job title")
        return cls(
            id=staff_id,
            kind=NON_CLINICAL,
            name=name.strip(),
            job_title=job_title.strip(),
            clinician_id=None,
            home_site_id=home_site_id,
            meta=meta,
        )

    class Registered(Aggregate.Created):
        kind: str
        name: str
        job_title: str
        clinician_id: UUID | None
        home_site_id: UUID | None
        meta: Meta

    @event(Registered)
    def __init__(
        self,
        id: UUID,
        kind: str,
        name: str,
        job_title: str,
        clinician_id: UUID | None,
        home_site_id: UUID | None,
        meta: Meta,
    ) -> None:
        self.kind = kind
        self.name = name
        self.job_title = job_title
        self.clinician_id = clinician_id
        self.home_site_id = home_site_id
        self.registered_by = meta.actor_id

    @property
    def is_clinical(self) -> bool:
        return self.kind == CLINICAL
