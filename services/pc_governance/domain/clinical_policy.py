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
    published_versions,
)
from services.pc_governance.domain.document_lifecycle import (
    RetirableDocument,
    TermsDrafted,
    apply_approval,
    apply_retirement,
    record_approval,
    record_draft,
    record_retirement,
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
        self.versions = [self._draft_version(1, terms, meta.actor_id, at)]
        self.retirement = None

    def _draft_version(
        self, number: int, terms: dict[str, Any], by: str, at: datetime
    ) -> PolicyVersion:
        return PolicyVersion(number, terms, by, at)

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
        return self._add_draft(terms, meta)

    class VersionDrafted(TermsDrafted):
        pass

    _version_drafted = event(VersionDrafted)(record_draft)

    def approve(
        self, number: int, *, effective_from: date, basis: dict[str, str], today: date, meta: Meta
    ) -> UUID:
        version, standing = self._approvable_from(number, effective_from, basis, today)
        decision_id = uuid.uuid4()
        decided: dict[str, Any] = {
            "effective_from": effective_from,
            "approved_by": meta.actor_id,
            "approved_at": datetime.now(UTC),
            "supersedes": None if standing is None else standing.number,
        }
        after = copy.deepcopy(self.versions)
        apply_approval(after, number, decision_id=decision_id, basis=dict(basis), **decided)
        published = published_versions(after)
        return self._decide(
            self.Approved, version, basis, meta, decision_id, published=published, **decided
        )

    def _decided(self, version: PolicyVersion) -> dict[str, Any]:
        return {"document": self.document}

    class VersionDecided(Aggregate.Event):
        """What every decision on the document records: `document` names it and
        `published` is its approved versions after the decision, so the message the MSO
        receives says everything in force."""

        number: int
        decision_id: UUID
        basis: dict[str, str]
        document: dict[str, Any]
        published: list[dict[str, Any]]
        meta: Meta

    class Approved(VersionDecided):
        effective_from: date
        approved_by: str  # who `meta` names: the version keeps it from there
        approved_at: datetime
        supersedes: int | None

    _approved = event(Approved)(record_approval)

    def _retirement_particulars(self, number: int, ended_on: date) -> dict[str, Any]:
        after = copy.deepcopy(self.versions)
        apply_retirement(after, number, ended_on)
        return {"published": published_versions(after)}

    class Retired(VersionDecided):
        ended_on: date
        reason: str
        retired_at: datetime

    _retired = event(Retired)(record_retirement)
