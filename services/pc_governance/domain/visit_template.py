"""Visit templates: the patient volume and clinician hours the Medical Director approves.

A template is versioned like a protocol, more lightly. A version is a draft (revised
freely) until the Medical Director approves it, effective from a day and on a decision
basis; approving the next version ends the standing one on the day the new one takes
effect, in the same event (the approved message of the new version tells the MSO so).
Retiring ends the whole template on a day (today or later): every version's period is
cut there, a version due later never takes effect, and nothing can be drafted or
approved afterwards. Each approval and the retirement is a decision with its own id.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from mhg.meta import Meta
from services.pc_governance.domain.document_lifecycle import (
    RetirableDocument,
    TermsDrafted,
    record_approval,
    record_draft,
    record_retirement,
)
from services.pc_governance.domain.visit_template_errors import (
    InvalidVisitTemplateTransition,
    UnworkableVisitTemplateDate,
    VisitTemplateVersionNotFound,
)
from services.pc_governance.domain.visit_terms import TemplateVersion, VisitTerms


class VisitTemplate(RetirableDocument[TemplateVersion], Aggregate):
    refusal = InvalidVisitTemplateTransition
    noun = "visit template"
    short_noun = dated_noun = "template"
    unworkable_date = UnworkableVisitTemplateDate

    class Created(Aggregate.Created):
        terms: dict[str, Any]
        at: datetime
        meta: Meta

    @event(Created)
    def __init__(self, id: UUID, terms: dict[str, Any], at: datetime, meta: Meta) -> None:
        self.created_at = at
        self.created_by = meta.actor_id
        self.versions = [self._draft_version(1, terms, meta.actor_id, at)]
        self.retirement = None

    @classmethod
    def draft(cls, *, id: UUID, terms: VisitTerms, meta: Meta) -> VisitTemplate:
        return cls(id=id, terms=terms.as_dict(), at=datetime.now(UTC), meta=meta)

    def _draft_version(
        self, number: int, terms: dict[str, Any], by: str, at: datetime
    ) -> TemplateVersion:
        return TemplateVersion(number, VisitTerms(**terms), by, at)

    # reading

    def no_such_version(self, number: int) -> VisitTemplateVersionNotFound:
        return VisitTemplateVersionNotFound(f"visit template {self.id} has no version {number}")

    # drafting

    def add_draft(self, *, terms: VisitTerms, meta: Meta) -> int:
        self._check_open("revise")
        return self._add_draft(terms.as_dict(), meta)

    class VersionDrafted(TermsDrafted):
        pass

    _version_drafted = event(VersionDrafted)(record_draft)

    def revise_draft(self, number: int, *, terms: VisitTerms, meta: Meta) -> None:
        version = self._draft_numbered(number, "revise")
        self._draft_revised(
            number=number, revision=version.revision + 1, terms=terms.as_dict(), meta=meta
        )

    class DraftRevised(Aggregate.Event):
        number: int
        revision: int
        terms: dict[str, Any]
        meta: Meta

    @event(DraftRevised)
    def _draft_revised(self, number: int, revision: int, terms: dict[str, Any], meta: Meta) -> None:
        version = self.versions[number - 1]
        version.terms = VisitTerms(**terms)
        version.revision = revision

    # deciding

    def approve(
        self, number: int, *, effective_from: date, basis: dict[str, str], today: date, meta: Meta
    ) -> UUID:
        version, standing = self._approvable_from(number, effective_from, basis, today)
        return self._decide(
            self.Approved,
            version,
            basis,
            meta,
            effective_from=effective_from,
            approved_at=datetime.now(UTC),
            supersedes=None if standing is None else standing.number,
        )

    def _decided(self, version: TemplateVersion) -> dict[str, Any]:
        return {"terms": version.terms.as_dict()}

    class VersionDecided(Aggregate.Event):
        """What every decision on a version records; `terms` repeats the version's, so the
        event alone says what was decided."""

        number: int
        decision_id: UUID
        basis: dict[str, str]
        terms: dict[str, Any]
        meta: Meta

    class Approved(VersionDecided):
        effective_from: date
        approved_at: datetime
        supersedes: int | None

    _approved = event(Approved)(record_approval)

    class Retired(VersionDecided):
        ended_on: date
        reason: str
        retired_at: datetime

    _retired = event(Retired)(record_retirement)
