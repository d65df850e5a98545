"""Clinical policies: the coding rules and fee schedule of a service line, and the
medical-records policy, each a versioned document the Medical Director approves.

Both are decision rights of the PC (`coding_rules_and_fee_schedule`,
`medical_records_ownership`). A document's version is a draft until approved, effective
from a day (today or later) on a decision basis; approving the next version ends the
standing one on the day the new one takes effect. Retiring ends the whole document on a
day: every version's period is cut there and nothing is drafted or approved afterwards
(the PC starts a new document). Each approval and the retirement is a decision with its
own id, and its event carries the document's approved versions as they stand after it
(`published`), so the message the MSO receives says everything in force.
"""

from __future__ import annotations

import copy
import uuid
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from mhg.meta import Meta
from services.pc_governance.domain.clinical_policy_errors import (
    ClinicalPolicyVersionNotFound,
    InvalidClinicalPolicyTransition,
    UnworkableClinicalPolicyDate,
)
from services.pc_governance.domain.clinical_policy_terms import check_terms
from services.pc_governance.domain.clinical_policy_version import (
    PolicyVersion,
    Retirement,
    published_versions,
)
from services.pc_governance.domain.document_lifecycle import (
    RetirableDocument,
    apply_approval,
    apply_retirement,
)


class ClinicalPolicy(RetirableDocument[PolicyVersion], Aggregate):
    refusal = InvalidClinicalPolicyTransition
    noun = short_noun = "document"
    dated_noun = "policy"
    unworkable_date = UnworkableClinicalPolicyDate

    class Created(Aggregate.Created):
        kind: str
        name: str
        service_line: str | None
        terms: dict[str, Any]
        at: datetime
        meta: Meta

    @event(Created)
    def __init__(
        self,
        id: UUID,
        kind: str,
        name: str,
        service_line: str | None,
        terms: dict[str, Any],
        at: datetime,
        meta: Meta,
    ) -> None:
        self.kind = kind
        self.name = name
        self.service_line = service_line
        self.created_at = at
        self.created_by = meta.actor_id
        self.versions = [PolicyVersion(1, terms, meta.actor_id, at)]
        self.retirement: Retirement | None = None

    @classmethod
    def draft(
        cls,
        *,
        id: UUID,
        kind: str,
        name: str,
        meta: Meta,
        service_line: str | None = None,
        **terms: Any,
    ) -> ClinicalPolicy:
        check_terms(kind, terms, service_line)
        return cls(
            id=id,
            kind=kind,
            name=name,
            service_line=service_line,
            terms=terms,
            at=datetime.now(UTC),
            meta=meta,
        )

    @property
    def document(self) -> dict[str, Any]:
        """What names the document in a decision's message."""
        return {"kind": self.kind, "name": self.name, "service_line": self.service_line}

    def no_such_version(self, number: int) -> ClinicalPolicyVersionNotFound:
        return ClinicalPolicyVersionNotFound(f"{self.kind} {self.id} has no version {number}")

    def add_draft(self, *, meta: Meta, **terms: Any) -> int:
        self._check_open("revise")
        check_terms(self.kind, terms, self.service_line)
        number = self._next_draft_number()
        self._version_drafted(number=number, terms=terms, at=datetime.now(UTC), meta=meta)
        return number

    class VersionDrafted(Aggregate.Event):
        number: int
        terms: dict[str, Any]
        at: datetime
        meta: Meta

    @event(VersionDrafted)
    def _version_drafted(
        self, number: int, terms: dict[str, Any], at: datetime, meta: Meta
    ) -> None:
        self.versions.append(PolicyVersion(number, terms, meta.actor_id, at))

    def approve(
        self, number: int, *, effective_from: date, basis: dict[str, str], today: date, meta: Meta
    ) -> UUID:
        _, standing = self._approvable_from(number, effective_from, basis, today)
        decision_id = uuid.uuid4()
        decided: dict[str, Any] = {
            "effective_from": effective_from,
            "decision_id": decision_id,
            "basis": dict(basis),
            "approved_by": meta.actor_id,
            "approved_at": datetime.now(UTC),
            "supersedes": None if standing is None else standing.number,
        }
        after = copy.deepcopy(self.versions)
        apply_approval(after, number, **dict(decided))
        self._approved(
            number=number,
            document=self.document,
            published=published_versions(after),
            meta=meta,
            **decided,
        )
        return decision_id

    class Approved(Aggregate.Event):
        number: int
        effective_from: date
        decision_id: UUID
        basis: dict[str, str]
        approved_by: str
        approved_at: datetime
        supersedes: int | None
        document: dict[str, Any]
        published: list[dict[str, Any]]
        meta: Meta

    @event(Approved)
    def _approved(
        self,
        number: int,
        effective_from: date,
        decision_id: UUID,
        basis: dict[str, str],
        approved_by: str,
        approved_at: datetime,
        supersedes: int | None,
        document: dict[str, Any],
        published: list[dict[str, Any]],
        meta: Meta,
    ) -> None:
        apply_approval(
            self.versions,
            number,
            effective_from=effective_from,
            decision_id=decision_id,
            basis=basis,
            approved_by=approved_by,
            approved_at=approved_at,
            supersedes=supersedes,
        )

    def retire(
        self, *, ended_on: date, reason: str, basis: dict[str, str], today: date, meta: Meta
    ) -> UUID:
        standing = self._retirable(ended_on, basis, today)
        after = copy.deepcopy(self.versions)
        apply_retirement(after, standing.number, ended_on)
        decision_id = uuid.uuid4()
        self._retired(
            number=standing.number,
            ended_on=ended_on,
            reason=reason,
            decision_id=decision_id,
            basis=dict(basis),
            retired_at=datetime.now(UTC),
            document=self.document,
            published=published_versions(after),
            meta=meta,
        )
        return decision_id

    class Retired(Aggregate.Event):
        number: int
        ended_on: date
        reason: str
        decision_id: UUID
        basis: dict[str, str]
        retired_at: datetime
        document: dict[str, Any]
        published: list[dict[str, Any]]
        meta: Meta

    @event(Retired)
    def _retired(
        self,
        number: int,
        ended_on: date,
        reason: str,
        decision_id: UUID,
        basis: dict[str, str],
        retired_at: datetime,
        document: dict[str, Any],
        published: list[dict[str, Any]],
        meta: Meta,
    ) -> None:
        apply_retirement(self.versions, number, ended_on)
        self.retirement = Retirement(ended_on, reason, decision_id, meta.actor_id, retired_at)
