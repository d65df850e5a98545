"""A PC readiness standard as the MSO has received it: its approved versions, its retirement.

Only the PC's feed changes it (inbound); no MSO command does. Keyed by its subject (the
site go-live, or one service line), so "the standard in force for this request" is one
load. The latest approved version is in force, unless a retirement came after it.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from mhg.errors import Conflict
from mhg.meta import Meta
from services.mso_ops.domain.readiness_standard import ChecklistStandard

_NAMESPACE = uuid.UUID("0d9e8f7a-5b4c-4a3d-8e2f-1c0b9a8d7e6f")


class StandardVersionRecorded(Conflict):
    code = "readiness-standard-version-recorded"
    title = "This version of the readiness standard is recorded, or a later one is"


@dataclass(frozen=True)
class StandardRetirement:
    """The PC's retirement of the version in force, as the record keeps it."""

    standard_id: UUID
    version: int
    reason: str
    decision_id: UUID
    retired_at: datetime


class ReceivedStandard(Aggregate):
    @staticmethod
    def create_id(kind: str, service_line: str | None) -> UUID:
        return uuid.uuid5(_NAMESPACE, f"readiness-standard|{kind}|{service_line or ''}")

    @classmethod
    def first_approved(cls, *, facts: dict[str, Any], meta: Meta) -> ReceivedStandard:
        return cls(id=cls.create_id(facts["kind"], facts["service_line"]), facts=facts, meta=meta)

    class Approved(Aggregate.Created):
        facts: dict[str, Any]
        meta: Meta

    @event(Approved)
    def __init__(self, id: UUID, facts: dict[str, Any], meta: Meta) -> None:
        self.versions: list[dict[str, Any]] = [facts]
        self.retirement: StandardRetirement | None = None

    def approve(self, *, facts: dict[str, Any], meta: Meta) -> None:
        latest = self.versions[-1]
        if facts["standard_id"] == latest["standard_id"] and facts["version"] <= latest["version"]:
            raise StandardVersionRecorded(
                f"version {latest['version']} of standard {latest['standard_id']} is recorded"
            )
        self._version_approved(facts=facts, meta=meta)

    class VersionApproved(Aggregate.Event):
        facts: dict[str, Any]
        meta: Meta

    @event(VersionApproved)
    def _version_approved(self, facts: dict[str, Any], meta: Meta) -> None:
        self.versions.append(facts)
        self.retirement = None

    def retire(self, *, retirement: StandardRetirement, meta: Meta) -> None:
        latest = self.versions[-1]
        named = (retirement.standard_id, retirement.version)
        if named != (latest["standard_id"], latest["version"]):
            raise StandardVersionRecorded(
                f"the retirement names version {retirement.version} of {retirement.standard_id}; "
                f"version {latest['version']} of {latest['standard_id']} is in force"
            )
        self.trigger_event(self.Retired, meta=meta, **asdict(retirement))

    class Retired(StandardRetirement, Aggregate.Event):
        meta: Meta

    @event(Retired)
    def _retired(
        self, standard_id: UUID, version: int, reason: str, decision_id: UUID, retired_at: datetime
    ) -> None:
        self.retirement = StandardRetirement(standard_id, version, reason, decision_id, retired_at)

    @property
    def in_force(self) -> ChecklistStandard | None:
        return None if self.retirement is not None else ChecklistStandard.of(self.versions[-1])
