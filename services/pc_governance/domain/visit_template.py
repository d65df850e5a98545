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

import uuid
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from mhg.meta import Meta
from services.pc_governance.domain.authorization_basis import check_basis
from services.pc_governance.domain.protocol_version import LAST_DAY
from services.pc_governance.domain.versioned_document import (
    APPROVED,
    DRAFT,
    RETIRED,
    SUPERSEDED,
    RetirableDocument,
)
from services.pc_governance.domain.visit_template_errors import (
    InvalidVisitTemplateTransition,
    UnworkableVisitTemplateDate,
    VisitTemplateVersionNotFound,
)
from services.pc_governance.domain.visit_terms import (
    Retirement,
    TemplateVersion,
    VisitTerms,
)


class VisitTemplate(RetirableDocument[TemplateVersion], Aggregate):
    refusal = InvalidVisitTemplateTransition
    noun = "visit template"

    class Created(Aggregate.Created):
        terms: dict[str, Any]
        at: datetime
        meta: Meta

    @event(Created)
    def __init__(self, id: UUID, terms: dict[str, Any], at: datetime, meta: Meta) -> None:
        self.created_at = at
        self.created_by = meta.actor_id
        self.versions = [TemplateVersion(1, VisitTerms(**terms), meta.actor_id, at)]
        self.retirement: Retirement | None = None

    @classmethod
    def draft(cls, *, id: UUID, terms: VisitTerms, meta: Meta) -> VisitTemplate:
        return cls(id=id, terms=terms.as_dict(), at=datetime.now(UTC), meta=meta)

    # reading

    def no_such_version(self, number: int) -> VisitTemplateVersionNotFound:
        return VisitTemplateVersionNotFound(f"visit template {self.id} has no version {number}")

    # drafting

    def add_draft(self, *, terms: VisitTerms, meta: Meta) -> int:
        self._check_open("revise")
        if self.latest.status == DRAFT:
            raise self._refuse(f"start a new draft after version {self.latest.number}", DRAFT)
        number = len(self.versions) + 1
        self._version_drafted(number=number, terms=terms.as_dict(), at=datetime.now(UTC), meta=meta)
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
        self.versions.append(TemplateVersion(number, VisitTerms(**terms), meta.actor_id, at))

    def revise_draft(self, number: int, *, terms: VisitTerms, meta: Meta) -> None:
        version = self.version_numbered(number)
        self._check_open("revise")
        if version.status != DRAFT:
            raise self._refuse(f"revise version {number}", version.status)
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
        version = self.version_numbered(number)
        self._check_open("approve")
        if version.status != DRAFT:
            raise self._refuse(f"approve version {number}", version.status)
        check_basis(basis)
        _check_day("effective_from", effective_from, today)
        standing = self.standing
        starts = None if standing is None else standing.effective_from
        if starts is not None and effective_from <= starts:
            raise UnworkableVisitTemplateDate(
                f"effective_from must be after {starts}, when the standing version takes effect",
                field="effective_from",
            )
        return self._decide(
            self.Approved,
            version,
            basis,
            meta,
            effective_from=effective_from,
            approved_at=datetime.now(UTC),
            supersedes=None if standing is None else standing.number,
        )

    def _decide(
        self,
        decided: type[VersionDecided],
        version: TemplateVersion,
        basis: dict[str, str],
        meta: Meta,
        **particulars: Any,
    ) -> UUID:
        """A decision of the PC on `version`, with its own id, recorded as `decided`."""
        decision_id = uuid.uuid4()
        self.trigger_event(
            decided,
            number=version.number,
            decision_id=decision_id,
            basis=dict(basis),
            terms=version.terms.as_dict(),
            meta=meta,
            **particulars,
        )
        return decision_id

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

    @event(Approved)
    def _approved(
        self,
        number: int,
        effective_from: date,
        decision_id: UUID,
        basis: dict[str, str],
        approved_at: datetime,
        supersedes: int | None,
        meta: Meta,
    ) -> None:
        version = self.versions[number - 1]
        version.status = APPROVED
        version.effective_from = effective_from
        version.decision_id = decision_id
        version.basis = basis
        version.approved_by = meta.actor_id
        version.approved_at = approved_at
        if supersedes is not None:
            ended = self.versions[supersedes - 1]
            ended.status = SUPERSEDED
            ended.ended_on = effective_from

    def retire(
        self, *, ended_on: date, reason: str, basis: dict[str, str], today: date, meta: Meta
    ) -> UUID:
        self._check_open("retire")
        standing = self.standing
        if standing is None:
            raise self._refuse("retire a template no version of which is approved", DRAFT)
        check_basis(basis)
        _check_day("ended_on", ended_on, today)
        return self._decide(
            self.Retired,
            standing,
            basis,
            meta,
            ended_on=ended_on,
            reason=reason,
            retired_at=datetime.now(UTC),
        )

    class Retired(VersionDecided):
        ended_on: date
        reason: str
        retired_at: datetime

    @event(Retired)
    def _retired(
        self,
        number: int,
        ended_on: date,
        reason: str,
        decision_id: UUID,
        basis: dict[str, str],
        retired_at: datetime,
        meta: Meta,
    ) -> None:
        """Every period is cut at `ended_on`; one that starts later becomes empty."""
        for version in self.versions:
            if version.effective_from is not None:
                end = min(version.ended_on or ended_on, ended_on)
                version.ended_on = max(end, version.effective_from)
        self.versions[number - 1].status = RETIRED
        self.retirement = Retirement(
            ended_on, reason, decision_id, basis, meta.actor_id, retired_at
        )


def _check_day(field: str, day: date, today: date) -> None:
    if day < today:
        raise UnworkableVisitTemplateDate(
            f"{field} {day} is in the past: a template never acts retroactively",
            field=field,
        )
    if day > LAST_DAY:
        raise UnworkableVisitTemplateDate(f"{field} must be on or before {LAST_DAY}", field=field)
