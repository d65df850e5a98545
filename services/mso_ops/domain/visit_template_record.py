"""A PC visit template as the MSO has received it: every approved version, and its end.

Only the PC's feed changes it (inbound.py); no MSO command does. Keyed by the PC's
template id. A version number is recorded once; after a retirement no version is added
(the PC approves a new template instead), and a later retirement moves the end day.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from mhg.meta import Meta
from services.mso_ops.domain.template_errors import TemplateVersionRecorded, VisitTemplateRetired
from services.mso_ops.domain.visit_template import TemplateHistory

_NAMESPACE = uuid.UUID("4f1c8e2a-93b7-4d05-a6e1-7b2d9c0f3e58")


@dataclass(frozen=True)
class TemplateRetirement:
    """The PC's retirement of a template: the day it ends, and why."""

    ended_on: date
    reason: str
    decision_id: UUID
    retired_at: datetime


class VisitTemplate(Aggregate):
    @staticmethod
    def create_id(template_id: UUID) -> UUID:
        return uuid.uuid5(_NAMESPACE, f"visit-template|{template_id}")

    @classmethod
    def first_approved(cls, *, facts: dict[str, Any], meta: Meta) -> VisitTemplate:
        return cls(id=cls.create_id(facts["template_id"]), facts=facts, meta=meta)

    class Approved(Aggregate.Created):
        facts: dict[str, Any]
        meta: Meta

    @event(Approved)
    def __init__(self, id: UUID, facts: dict[str, Any], meta: Meta) -> None:
        self.template_id: UUID = facts["template_id"]
        self.versions: list[dict[str, Any]] = [facts]
        self.ended_on: date | None = None
        self.retirement: TemplateRetirement | None = None

    def approve(self, *, facts: dict[str, Any], meta: Meta) -> None:
        if self.ended_on is not None:
            raise VisitTemplateRetired(f"template {self.template_id} ended on {self.ended_on}")
        if any(v["version"] == facts["version"] for v in self.versions):
            raise TemplateVersionRecorded(
                f"version {facts['version']} of template {self.template_id} is recorded"
            )
        self._version_approved(facts=facts, meta=meta)

    class VersionApproved(Aggregate.Event):
        facts: dict[str, Any]
        meta: Meta

    @event(VersionApproved)
    def _version_approved(self, facts: dict[str, Any], meta: Meta) -> None:
        self.versions.append(facts)

    def retire(self, *, retirement: TemplateRetirement, meta: Meta) -> None:
        self.trigger_event(
            self.Retired, template_id=self.template_id, meta=meta, **asdict(retirement)
        )

    class Retired(TemplateRetirement, Aggregate.Event):
        template_id: UUID
        meta: Meta

    @event(Retired)
    def _retired(
        self, ended_on: date, reason: str, decision_id: UUID, retired_at: datetime
    ) -> None:
        self.ended_on = ended_on
        self.retirement = TemplateRetirement(ended_on, reason, decision_id, retired_at)

    def history(self) -> TemplateHistory:
        return TemplateHistory.of(self.versions, self.ended_on)

    @property
    def latest(self) -> dict[str, Any]:
        return max(self.versions, key=lambda v: int(v["version"]))
