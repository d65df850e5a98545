"""Readiness standards: the checklist the PC judges a go-live or an authorization against.

One standard per subject (the site go-live; each service line), its id following from
the subject, so a second draft of the same subject is refused. Versioned like a visit
template: a version is a draft (revised freely) until the Medical Director approves it
on a decision basis. An approved version is in force from its approval until the next
version's approval supersedes it, or until the standard is retired: the MSO judges each
request against the version in force when it asks, so there is no future effective day.
After a retirement nothing of the subject is in force until a new version is drafted and
approved. Each approval and the retirement is a decision with its own id; every decision
event repeats the subject and the items, so the event alone says what was decided.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from mhg.meta import Meta
from services.pc_governance.domain.authorization_basis import check_basis
from services.pc_governance.domain.document_lifecycle import DocumentLifecycle, record_approval
from services.pc_governance.domain.readiness_items import (
    InvalidReadinessStandardTransition,
    ReadinessStandardVersionNotFound,
    StandardItem,
    StandardVersion,
    item_dicts,
)
from services.pc_governance.domain.versioned_document import APPROVED, DRAFT, RETIRED
from services.pc_governance.domain.visit_terms import Retirement

_NAMESPACE = uuid.UUID("6b0f3d7e-2c41-4e8a-9f15-d7a2c3b4e5f6")


def _items(items: list[dict[str, Any]]) -> tuple[StandardItem, ...]:
    return tuple(StandardItem(**item) for item in items)


class ReadinessStandard(DocumentLifecycle[StandardVersion], Aggregate):
    refusal = InvalidReadinessStandardTransition

    @staticmethod
    def create_id(kind: str, service_line: str | None) -> UUID:
        return uuid.uuid5(_NAMESPACE, f"{kind}|{service_line or ''}")

    class Created(Aggregate.Created):
        kind: str
        service_line: str | None
        items: list[dict[str, Any]]
        at: datetime
        meta: Meta

    @event(Created)
    def __init__(
        self,
        id: UUID,
        kind: str,
        service_line: str | None,
        items: list[dict[str, Any]],
        at: datetime,
        meta: Meta,
    ) -> None:
        self.kind = kind
        self.service_line = service_line
        self.created_at = at
        self.created_by = meta.actor_id
        self.versions = [StandardVersion(1, _items(items), meta.actor_id, at)]
        self.retirement: Retirement | None = None

    @classmethod
    def draft(
        cls,
        *,
        kind: str,
        service_line: str | None,
        items: tuple[StandardItem, ...],
        meta: Meta,
    ) -> ReadinessStandard:
        return cls(
            id=cls.create_id(kind, service_line),
            kind=kind,
            service_line=service_line,
            items=item_dicts(items),
            at=datetime.now(UTC),
            meta=meta,
        )

    # reading

    def no_such_version(self, number: int) -> ReadinessStandardVersionNotFound:
        return ReadinessStandardVersionNotFound(
            f"readiness standard {self.id} has no version {number}"
        )

    @property
    def status(self) -> str:
        if self.standing is not None:
            return APPROVED
        return DRAFT if self.retirement is None else RETIRED

    # drafting

    def add_draft(self, *, items: tuple[StandardItem, ...], meta: Meta) -> int:
        number = self._next_draft_number()
        self._version_drafted(
            number=number, items=item_dicts(items), at=datetime.now(UTC), meta=meta
        )
        return number

    class VersionDrafted(Aggregate.Event):
        number: int
        items: list[dict[str, Any]]
        at: datetime
        meta: Meta

    @event(VersionDrafted)
    def _version_drafted(
        self, number: int, items: list[dict[str, Any]], at: datetime, meta: Meta
    ) -> None:
        self.versions.append(StandardVersion(number, _items(items), meta.actor_id, at))

    def revise_draft(self, number: int, *, items: tuple[StandardItem, ...], meta: Meta) -> None:
        version = self._draft_numbered(number, "revise")
        self._draft_revised(
            number=number, revision=version.revision + 1, items=item_dicts(items), meta=meta
        )

    class DraftRevised(Aggregate.Event):
        number: int
        revision: int
        items: list[dict[str, Any]]
        meta: Meta

    @event(DraftRevised)
    def _draft_revised(
        self, number: int, revision: int, items: list[dict[str, Any]], meta: Meta
    ) -> None:
        version = self.versions[number - 1]
        version.items = _items(items)
        version.revision = revision

    # deciding

    def approve(self, number: int, *, basis: dict[str, str], meta: Meta) -> UUID:
        """Approve a draft: in force at once; the standing version ends today."""
        version = self._approvable(number, basis)
        standing = self.standing
        return self._decide(
            self.Approved,
            version,
            basis,
            meta,
            approved_at=datetime.now(UTC),
            supersedes=None if standing is None else standing.number,
        )

    def _decided(self, version: StandardVersion) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "service_line": self.service_line,
            "items": item_dicts(version.items),
        }

    class VersionDecided(Aggregate.Event):
        number: int
        decision_id: UUID
        basis: dict[str, str]
        kind: str
        service_line: str | None
        items: list[dict[str, Any]]
        meta: Meta

    class Approved(VersionDecided):
        approved_at: datetime
        supersedes: int | None

    @event(Approved)  # in force at once: from the day it is approved
    def _approved(
        self,
        number: int,
        decision_id: UUID,
        basis: dict[str, str],
        approved_at: datetime,
        supersedes: int | None,
        meta: Meta,
    ) -> None:
        effective_from = approved_at.date()
        record_approval(
            self, number, effective_from, decision_id, basis, approved_at, supersedes, meta
        )

    def retire(self, *, reason: str, basis: dict[str, str], meta: Meta) -> UUID:
        standing = self.standing
        if standing is None:
            raise self._refuse("retire a standard no version of which is in force", self.status)
        check_basis(basis)
        return self._decide(
            self.Retired, standing, basis, meta, reason=reason, retired_at=datetime.now(UTC)
        )

    class Retired(VersionDecided):
        reason: str
        retired_at: datetime

    @event(Retired)
    def _retired(
        self,
        number: int,
        decision_id: UUID,
        basis: dict[str, str],
        reason: str,
        retired_at: datetime,
        meta: Meta,
    ) -> None:
        version = self.versions[number - 1]
        version.status = RETIRED
        version.ended_on = retired_at.date()
        self.retirement = Retirement(
            retired_at.date(), reason, decision_id, basis, meta.actor_id, retired_at
        )
