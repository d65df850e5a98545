"""Protocols and standing orders: versioned documents the Medical Director approves.

A version is a draft (revised freely) until approved; approval fixes its body and the
day it takes effect. Approving the next version records, at once, that the standing
one is superseded on the day the new one takes effect; retiring a version ends it
(or, if it has not taken effect yet, cancels it and lets the version it was to
supersede stand again). So effectivity periods never overlap, and "which version was
in effect on day D" has one answer, forever.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from mhg.meta import Meta
from services.pc_governance.domain.protocol_errors import (
    NoStandingVersion,
    VersionNotFound,
)
from services.pc_governance.domain.protocol_scope import check_scope, subject_for_mso
from services.pc_governance.domain.protocol_version import (
    ProtocolVersion,
    Review,
    approval_review_due,
    next_review_due_after,
    superseded_by,
)
from services.pc_governance.domain.versioned_document import (
    APPROVED,
    DRAFT,
    RETIRED,
    SUPERSEDED,
    VersionedDocument,
)


class Protocol(VersionedDocument[ProtocolVersion], Aggregate):
    class Created(Aggregate.Created):
        title: str
        protocol_type: str
        service_lines: list[str]
        site_ids: list[UUID] | None
        body: str
        at: datetime
        meta: Meta

    @event(Created)
    def __init__(
        self,
        id: UUID,
        title: str,
        protocol_type: str,
        service_lines: list[str],
        site_ids: list[UUID] | None,
        body: str,
        at: datetime,
        meta: Meta,
    ) -> None:
        self.title = title
        self.protocol_type = protocol_type
        self.service_lines = service_lines
        self.site_ids = site_ids
        self.created_at = at
        self.created_by = meta.actor_id
        self.versions = [ProtocolVersion(1, body, meta.actor_id, at)]

    @classmethod
    def draft(
        cls,
        *,
        id: UUID,
        title: str,
        protocol_type: str,
        service_lines: list[str],
        site_ids: list[UUID] | None,
        body: str,
        meta: Meta,
    ) -> Protocol:
        check_scope(protocol_type, service_lines, site_ids)
        return cls(
            id=id,
            title=title,
            protocol_type=protocol_type,
            service_lines=list(dict.fromkeys(service_lines)),
            site_ids=None if site_ids is None else list(dict.fromkeys(site_ids)),
            body=body,
            at=datetime.now(UTC),
            meta=meta,
        )

    # reading

    def no_such_version(self, number: int) -> VersionNotFound:
        return VersionNotFound(f"protocol {self.id} has no version {number}")

    # drafting

    def add_draft(self, *, body: str, meta: Meta) -> int:
        if self.latest.status == DRAFT:
            raise self.latest.refusal("start a new draft after")
        number = len(self.versions) + 1
        self._version_drafted(number=number, body=body, at=datetime.now(UTC), meta=meta)
        return number

    class VersionDrafted(Aggregate.Event):
        number: int
        body: str
        at: datetime
        meta: Meta

    @event(VersionDrafted)
    def _version_drafted(self, number: int, body: str, at: datetime, meta: Meta) -> None:
        self.versions.append(ProtocolVersion(number, body, meta.actor_id, at))

    def revise_draft(self, number: int, *, body: str, meta: Meta) -> None:
        version = self.version_numbered(number)
        if version.status != DRAFT:
            raise version.refusal("revise")
        self._draft_revised(number=number, revision=version.revision + 1, body=body, meta=meta)

    class DraftRevised(Aggregate.Event):
        number: int
        revision: int
        body: str
        meta: Meta

    @event(DraftRevised)
    def _draft_revised(self, number: int, revision: int, body: str, meta: Meta) -> None:
        self.versions[number - 1].revise(body, revision)

    # deciding

    def approve(
        self,
        number: int,
        *,
        effective_from: date,
        review_due: date | None,
        today: date,
        meta: Meta,
    ) -> None:
        version = self.version_numbered(number)
        if version.status != DRAFT:
            raise version.refusal("approve")
        standing = self.standing
        starts = None if standing is None else standing.effective_from
        due = approval_review_due(effective_from, review_due, today, starts)
        at = datetime.now(UTC)
        self._tell(
            self.Approved, number, meta, effective_from=effective_from, review_due=due, at=at
        )
        if standing is not None:
            self._tell(
                self.Superseded,
                standing.number,
                meta,
                ended_on=effective_from,
                superseded_by=number,
            )

    def _tell(self, told: type[VersionTold], number: int, meta: Meta, **particulars: Any) -> None:
        """Record what happened to version `number` as `told`, with the protocol's subject:
        the MSO is told each of these events, and the event alone must say what it is about."""
        self.trigger_event(told, number=number, subject=self.subject, meta=meta, **particulars)

    class VersionTold(Aggregate.Event):
        """What every event about a version the MSO is told of carries."""

        number: int
        subject: dict[str, object]
        meta: Meta

    class Approved(VersionTold):
        effective_from: date
        review_due: date
        at: datetime

    @event(Approved)
    def _approved(
        self, number: int, effective_from: date, review_due: date, at: datetime, meta: Meta
    ) -> None:
        self.versions[number - 1].approve(meta.actor_id, at, effective_from, review_due)

    class Superseded(VersionTold):
        ended_on: date
        superseded_by: int

    @event(Superseded)
    def _superseded(self, number: int, ended_on: date) -> None:
        """Recorded with the successor's approval: it ends the day the successor begins."""
        self.versions[number - 1].end(SUPERSEDED, ended_on)

    def retire(self, number: int, *, reason: str, today: date, meta: Meta) -> None:
        version = self.version_numbered(number)
        if version.status != APPROVED or version.effective_from is None:
            raise version.refusal("retire")
        ended_on = max(today, version.effective_from)
        self._tell(self.Retired, number, meta, ended_on=ended_on, reason=reason)
        if ended_on == version.effective_from:
            previous = superseded_by(self.versions, version)
            if previous is not None:
                self._tell(
                    self.Reinstated,
                    previous.number,
                    meta,
                    effective_from=previous.effective_from,
                    review_due=previous.review_due,
                )

    class Retired(VersionTold):
        ended_on: date
        reason: str

    @event(Retired)
    def _retired(self, number: int, ended_on: date, reason: str) -> None:
        self.versions[number - 1].end(RETIRED, ended_on, reason)

    class Reinstated(VersionTold):
        effective_from: date | None
        review_due: date | None

    @event(Reinstated)
    def _reinstated(self, number: int) -> None:
        """The scheduled successor was retired before taking effect: this version stands."""
        self.versions[number - 1].reinstate()

    def record_review(
        self, *, notes: str, next_review_due: date | None, today: date, meta: Meta
    ) -> int:
        standing = self.standing
        if standing is None:
            raise NoStandingVersion(f"protocol {self.id} has no approved version to review")
        due = next_review_due_after(today, next_review_due)
        self._reviewed(
            number=standing.number, reviewed_on=today, notes=notes, next_review_due=due, meta=meta
        )
        return standing.number

    class Reviewed(Aggregate.Event):
        number: int
        reviewed_on: date
        notes: str
        next_review_due: date
        meta: Meta

    @event(Reviewed)
    def _reviewed(
        self, number: int, reviewed_on: date, notes: str, next_review_due: date, meta: Meta
    ) -> None:
        self.versions[number - 1].review(Review(reviewed_on, meta.actor_id, notes, next_review_due))

    @property
    def subject(self) -> dict[str, object]:
        """What the MSO may know of the protocol, carried on each event it is told about."""
        return subject_for_mso(self.title, self.protocol_type, self.service_lines, self.site_ids)
