"""Request and response bodies of the PC Governance API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal, Protocol, TypeVar
from uuid import UUID

from fastapi import Path
from pydantic import BaseModel, ConfigDict, Field, JsonValue

from mhg.bounded import Day, Line, Prose
from services.pc_governance.domain.authorization import Authorization


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def with_example(**body: JsonValue) -> ConfigDict:
    """A strict input's config, with one example of its body for the OpenAPI document."""
    return ConfigDict(extra="forbid", json_schema_extra={"examples": [body]})


VersionNumber = Annotated[int, Path(ge=1, le=100_000, description="The version number")]


M = TypeVar("M", bound=BaseModel)


def read_off(source: object, model: type[M], **given: object) -> M:
    """`model`, each field read off `source`'s attribute of its name (nested models too),
    but for those `given`: where the answer renames or derives a field. A field with a
    default that `source` does not have keeps its default (an invoice's currency)."""
    values = {
        name: given[name] if name in given else getattr(source, name)
        for name, field in model.model_fields.items()
        if name in given or field.is_required() or hasattr(source, name)
    }
    return model.model_validate(values, from_attributes=True)


class Numbered(Protocol):
    @property
    def number(self) -> int: ...


def number_of(version: Numbered | None) -> int | None:
    """A version's number; None where there is no such version (none standing yet)."""
    return None if version is None else version.number


SubjectKind = Literal[
    "authorization",
    "site",
    "service_line",
    "visit_template",
    "readiness_standard",
    "coding_rules",
    "records_policy",
]


class SubjectIn(Strict):
    """The one item a decision decides (docs/adr/0019)."""

    kind: SubjectKind
    id: Annotated[str, Line(250, min_length=1)] = Field(
        description="The item's id; a service line is <site id>/<service line>",
        examples=["6f1c2d4e-8a3b-4c5d-9e7f-0a1b2c3d4e5f"],
    )


class BasisIn(Strict):
    """The governance act this decision rests on, and what it decides.

    A meeting_decision names the decision id of a carried motion in the decision log
    (GET /decisions) whose subject is the item decided; a medical_director_act names the
    act's own reference. The recorded basis names the item decided as its subject; a
    subject given here must be that item (else 422 decision-subject-mismatch).
    """

    kind: Literal["meeting_decision", "medical_director_act"]
    reference: Annotated[str, Line(200, min_length=1)] = Field(
        examples=["MD-ACT-2026-014", "6f1c2d4e-8a3b-4c5d-9e7f-0a1b2c3d4e5f"],
        description="A carried motion's decision id for a meeting_decision; free for an act",
    )
    subject: SubjectIn | None = Field(
        default=None, description="What the act decides; when given, the item of this route"
    )


Condition = Annotated[str, Prose(1000, min_length=1)]
ProtocolRef = Annotated[str, Line(200, min_length=1)]
Reason = Annotated[str, Prose(2000, min_length=1)]


class ApproveIn(Strict):
    conditions: list[Condition] = Field(default_factory=list, max_length=50)
    protocol_refs: list[ProtocolRef] = Field(
        default_factory=list, max_length=50, examples=[["sports-clearance-protocol v3"]]
    )
    effective_date: Day
    basis: BasisIn


class WithdrawIn(Strict):
    model_config = with_example(
        reason="Decided at the November governance meeting; see the minutes, item 4",
        basis={
            "kind": "meeting_decision",
            "reference": "6f1c2d4e-8a3b-4c5d-9e7f-0a1b2c3d4e5f",
        },
    )
    reason: Reason
    basis: BasisIn


class DecisionOut(BaseModel):
    decision_id: UUID
    decision: str
    basis: dict[str, str]
    decided_at: datetime
    decided_by: str


class AuthorizationRecord(BaseModel):
    # what a request is for, as answered, listed and put in the audit packet (no
    # docstring: it would describe every schema built on it)
    id: UUID
    request_id: UUID
    kind: str
    site_id: UUID
    site_name: str
    service_line: str | None


class AuthorizationOut(AuthorizationRecord):
    status: str
    readiness: dict[str, Any] = Field(
        description="The evidence sent with the request: summary, checklist, and for a site "
        "go-live the pro forma"
    )
    change: dict[str, Any] | None = Field(
        default=None,
        description="For a material change: aspect, proposed and previous value, and the "
        "proposed term as structure (`operating_term`: openings, or the most clinicians a "
        "session and their roles) when the MSO gave one: what the site is held to if approved",
    )
    requested_at: datetime
    requested_by: str
    conditions: list[str]
    protocol_refs: list[str]
    effective_date: date | None
    reason: str | None
    decisions: list[DecisionOut]
    version: int

    @classmethod
    def of(cls, a: Authorization) -> AuthorizationOut:
        return read_off(a, cls)


class AuthorizationRow(AuthorizationRecord):
    status: str
    requested_at: datetime
    effective_date: date | None
    last_decision_id: UUID | None
    last_decided_at: datetime | None


class DecisionRightOut(BaseModel):
    decision: str
    owner: str
    deciding_roles: list[str]
    other_party_may: str
