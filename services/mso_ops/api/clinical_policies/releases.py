"""Releases of medical records, each under the PC's records policy in force that day: to
a recipient its release rules name, on the authorization they require, due within their
turnaround; the release cites the policy version."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter
from pydantic import BaseModel, Field

from mhg.bounded import Line
from mhg.creation import recorded
from mhg.steps import Steps
from services.mso_ops.api.clinical_policies.routes import CitationOut
from services.mso_ops.api.dependencies import ClinicalPolicies, MsoReader, OpsCoordinator
from services.mso_ops.api.schemas import Strict
from services.mso_ops.domain.records_release import RecordsRelease

router = APIRouter(tags=["clinical-policies"])


class RecordsReleaseIn(Strict):
    appointment_id: UUID = Field(description="The appointment whose records are released")
    recipient: Annotated[str, Line(100, min_length=1)] = Field(
        description="One of the recipients the records policy in force names",
        examples=["school athletic department"],
    )
    authorization_reference: Annotated[str, Line(200, min_length=1)] = Field(
        description="The authorization on file that the policy requires for this recipient",
        examples=["Guardian authorization form 2027-031"],
    )


class RecordsReleaseOut(BaseModel):
    id: UUID
    appointment_id: UUID
    recipient: str
    authorization_required: str = Field(description="What the policy requires for the recipient")
    authorization_reference: str
    requested_on: date
    due_on: date = Field(description="The request's day plus the policy's turnaround")
    policy: CitationOut = Field(description="The records-policy version released under")
    requested_by: str
    version: int

    @classmethod
    def of(cls, release: RecordsRelease) -> RecordsReleaseOut:
        return cls.model_validate(release, from_attributes=True)


RELEASE = Steps(router, "/records-releases/{release_id}", ClinicalPolicies, RecordsReleaseOut.of)
RELEASE.created(
    "requestRecordsRelease",
    "Release an appointment's records under the PC's records policy in force",
    RecordsReleaseIn,
    OpsCoordinator,
    lambda policies: policies.request_records_release,
    (401, 403, 409, 422),
    find=lambda policies: recorded(policies.release_exists, policies.records_release),
)
RELEASE.shown(
    "getRecordsRelease",
    "One release of records, with the records-policy version it was made under",
    MsoReader,
    lambda policies: policies.records_release,
)
