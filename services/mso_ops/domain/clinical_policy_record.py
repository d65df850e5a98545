"""The PC's clinical policies as the MSO has received them: the coding rules of a service
line, or the medical-records policy, and which version is in force on a day.

Only the PC's feed changes a record (inbound); no MSO command does. A record gathers
every PC document of one kind and scope (a service line's coding rules; the records
policy of the whole practice, scope `all`), each as its latest message published it,
so that "which version is in force on day D" is one load. Where two documents both have
a version in force on a day, the one that took effect last answers.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from mhg.errors import Conflict
from mhg.meta import Meta

_NAMESPACE = uuid.UUID("a3c9d1e7-52b4-4f08-9e6a-1d7c3b5f2a94")
CODING_RULES = "coding_rules"
RECORDS_POLICY = "records_policy"
EVERYWHERE = "all"  # the scope of a practice-wide policy


class PolicyNotInForce(Conflict):
    code = "clinical-policy-not-in-force"
    title = "No version of the PC's policy is in force on the day"


@dataclass(frozen=True)
class PolicyInForce:
    """One version of a PC document, as a fact that rests on it cites it."""

    document_id: UUID
    name: str
    version: int
    effective_from: date
    ended_on: date | None
    decision_id: UUID
    terms: dict[str, Any]

    def citation(self) -> dict[str, Any]:
        """What a fact records of the version it was made under (its terms stay here)."""
        return {
            "document_id": self.document_id,
            "name": self.name,
            "version": self.version,
            "effective_from": self.effective_from,
            "decision_id": self.decision_id,
        }


VERSION_FACTS = ("version", "effective_from", "ended_on", "decision_id", "basis", "approved_at")


class ClinicalPolicyRecord(Aggregate):
    @staticmethod
    def create_id(kind: str, scope: str) -> UUID:
        return uuid.uuid5(_NAMESPACE, f"{kind}|{scope}")

    class Received(Aggregate.Created):
        kind: str
        scope: str
        document: dict[str, Any]
        meta: Meta

    @event(Received)
    def __init__(self, kind: str, scope: str, document: dict[str, Any], meta: Meta) -> None:
        self.kind = kind
        self.scope = scope
        self.documents: dict[str, dict[str, Any]] = {}
        self._keep(document)

    @classmethod
    def first(
        cls, *, kind: str, scope: str, document: dict[str, Any], meta: Meta
    ) -> ClinicalPolicyRecord:
        return cls._create(
            cls.Received,
            id=cls.create_id(kind, scope),
            kind=kind,
            scope=scope,
            document=document,
            meta=meta,
        )

    class Replaced(Aggregate.Event):
        document: dict[str, Any]
        meta: Meta

    @event(Replaced)
    def replace(self, document: dict[str, Any], meta: Meta) -> None:
        """The document as its latest message published it."""
        self._keep(document)

    def _keep(self, document: dict[str, Any]) -> None:
        self.documents[str(document["document_id"])] = document

    def in_force_on(self, day: date) -> PolicyInForce | None:
        found = [
            PolicyInForce(
                document_id=document["document_id"],
                name=document["name"],
                version=v["version"],
                effective_from=v["effective_from"],
                ended_on=v["ended_on"],
                decision_id=v["decision_id"],
                terms={k: v[k] for k in v if k not in VERSION_FACTS},
            )
            for document in self.documents.values()
            for v in document["versions"]
            if v["effective_from"] <= day and (v["ended_on"] is None or day < v["ended_on"])
        ]
        return max(found, key=lambda f: f.effective_from, default=None)
