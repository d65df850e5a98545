"""The lifecycle the PC's documents other than protocols share (visit templates,
readiness standards, clinical policies): a draft at a time, revised freely, approved on a
decision basis, superseded by the next approval, and retired.

The events stay each document's own (their fields differ, and a stored event's topic
names its class); what is shared is what a command checks before it records one, and
what an approval or a retirement does to the versions.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate

from mhg.errors import Conflict, RuleViolation
from mhg.meta import Meta
from services.pc_governance.domain.authorization_basis import check_basis
from services.pc_governance.domain.protocol_version import LAST_DAY
from services.pc_governance.domain.versioned_document import (
    APPROVED,
    DRAFT,
    RETIRED,
    SUPERSEDED,
    DecidedVersion,
    VersionedDocument,
)
from services.pc_governance.domain.visit_terms import Retirement

V = TypeVar("V", bound=DecidedVersion)


class DocumentLifecycle(VersionedDocument[V]):
    """A document drafted and approved version by version (a visit template, a readiness
    standard, a clinical policy). `refusal` is the error its refused transitions raise."""

    refusal: type[Conflict]

    def _refuse(self, act: str, status: str) -> Conflict:
        return self.refusal(f"cannot {act}: it is {status}", current_status=status)

    def _check_open(self, act: str) -> None:
        """Whether the document still takes `act`: always, unless retired for good."""

    def _next_draft_number(self) -> int:
        """The number of a new draft: there is none while the latest version is one."""
        if self.latest.status == DRAFT:
            raise self._refuse(f"start a new draft after version {self.latest.number}", DRAFT)
        return len(self.versions) + 1

    def _draft_numbered(self, number: int, act: str) -> V:
        """Version `number`, if it is a draft the document lets one `act`."""
        version = self.version_numbered(number)
        self._check_open(act)
        if version.status != DRAFT:
            raise self._refuse(f"{act} version {number}", version.status)
        return version

    def _approvable(self, number: int, basis: dict[str, str]) -> V:
        version = self._draft_numbered(number, "approve")
        check_basis(basis)
        return version

    if TYPE_CHECKING:  # the aggregate's, which every document also is

        def trigger_event(self, event_class: type[Any], **kwargs: Any) -> None: ...

    def _decided(self, version: V) -> dict[str, Any]:
        """What every decision event on `version` repeats of it, so the event alone says
        what was decided."""
        raise NotImplementedError

    def _decide(
        self,
        decided: type[Any],
        version: V,
        basis: dict[str, str],
        meta: Meta,
        decision_id: UUID | None = None,
        **particulars: Any,
    ) -> UUID:
        """A decision of the PC on `version`, with its own id (a new one unless given),
        recorded as `decided`."""
        decision_id = decision_id or uuid.uuid4()
        self.trigger_event(
            decided,
            number=version.number,
            decision_id=decision_id,
            basis=dict(basis),
            meta=meta,
            **self._decided(version),
            **particulars,
        )
        return decision_id


class TermsDrafted(Aggregate.Event):
    """A new draft version of a document whose versions say terms (a visit template, a
    clinical policy); each declares its own `VersionDrafted` on it (`record_draft`)."""

    number: int
    terms: dict[str, Any]
    at: datetime
    meta: Meta


class RetirableDocument(DocumentLifecycle[V]):
    """A versioned document that is retired whole (a visit template, a clinical policy):
    draft until a version is approved, then approved, and retired for good. Its versions
    take effect on a day the approval names (today or later). `noun` is what the
    document is called in its refusals, `short_noun` in its retirement's and `dated_noun`
    in its dates'; `unworkable_date` is what a day it cannot take raises."""

    retirement: Retirement | None
    noun: str
    short_noun: str
    dated_noun: str
    unworkable_date: type[RuleViolation]

    @property
    def status(self) -> str:
        if self.retirement is not None:
            return RETIRED
        return DRAFT if self.standing is None else APPROVED

    def _check_open(self, act: str) -> None:
        if self.retirement is not None:
            raise self._refuse(f"{act} a retired {self.noun}", RETIRED)

    def _draft_version(self, number: int, terms: dict[str, Any], by: str, at: datetime) -> V:
        """Draft version `number` of the document, saying `terms` as its event stored them."""
        raise NotImplementedError

    def _add_draft(self, terms: dict[str, Any], meta: Meta) -> int:
        """A new draft saying `terms`, numbered after the latest version: its number."""
        number = self._next_draft_number()
        self._version_drafted(number=number, terms=terms, at=datetime.now(UTC), meta=meta)
        return number

    if TYPE_CHECKING:  # each document's, decorated with its own event class

        def _version_drafted(
            self, number: int, terms: dict[str, Any], at: datetime, meta: Meta
        ) -> None: ...

    def _approvable_from(
        self, number: int, effective_from: date, basis: dict[str, str], today: date
    ) -> tuple[V, V | None]:
        """Version `number` and the standing one it would supersede, if `number` is a
        draft that may take effect on `effective_from`: later than the standing one."""
        version = self._approvable(number, basis)
        self._check_day("effective_from", effective_from, today)
        standing = self.standing
        starts = None if standing is None else standing.effective_from
        if starts is not None and effective_from <= starts:
            raise self.unworkable_date(
                f"effective_from must be after {starts}, when the standing version takes effect",
                field="effective_from",
            )
        return version, standing

    def _retirable(self, ended_on: date, basis: dict[str, str], today: date) -> V:
        """The standing version, if the document may be retired on `ended_on`."""
        self._check_open("retire")
        standing = self.standing
        if standing is None:
            raise self._refuse(f"retire a {self.short_noun} no version of which is approved", DRAFT)
        check_basis(basis)
        self._check_day("ended_on", ended_on, today)
        return standing

    if TYPE_CHECKING:  # each document's own event class
        Retired: type[Any]

    def retire(
        self, *, ended_on: date, reason: str, basis: dict[str, str], today: date, meta: Meta
    ) -> UUID:
        """The document retired for good on `ended_on`, on a decision basis: the id of the
        decision."""
        standing = self._retirable(ended_on, basis, today)
        return self._decide(
            self.Retired,
            standing,
            basis,
            meta,
            ended_on=ended_on,
            reason=reason,
            retired_at=datetime.now(UTC),
            **self._retirement_particulars(standing.number, ended_on),
        )

    def _retirement_particulars(self, number: int, ended_on: date) -> dict[str, Any]:
        """What the document's retirement records besides what every one does: nothing."""
        return {}

    def _check_day(self, field: str, day: date, today: date) -> None:
        if day < today:
            raise self.unworkable_date(
                f"{field} {day} is in the past: a {self.dated_noun} never acts retroactively",
                field=field,
            )
        if day > LAST_DAY:
            raise self.unworkable_date(f"{field} must be on or before {LAST_DAY}", field=field)


def apply_approval(versions: list[V], number: int, **decided: Any) -> None:
    """Version `number` approved; the one it supersedes ends the day it takes effect."""
    version = versions[number - 1]
    supersedes = decided.pop("supersedes")
    for name, value in decided.items():
        setattr(version, name, value)
    version.status = APPROVED
    if supersedes is not None:
        ended = versions[supersedes - 1]
        ended.status = SUPERSEDED
        ended.ended_on = version.effective_from


def apply_retirement(versions: list[V], number: int, ended_on: date) -> None:
    """Every period cut at `ended_on`; one that starts later becomes empty."""
    for version in versions:
        if version.effective_from is not None:
            end = min(version.ended_on or ended_on, ended_on)
            version.ended_on = max(end, version.effective_from)
    versions[number - 1].status = RETIRED


# The recorders of the events a retirable document's versions go through; each document
# declares its own event classes (their topics are its own) and decorates these with
# them, as in `_approved = event(Approved)(record_approval)`.


def record_draft(
    self: RetirableDocument[Any], number: int, terms: dict[str, Any], at: datetime, meta: Meta
) -> None:
    self.versions.append(self._draft_version(number, terms, meta.actor_id, at))


def record_approval(
    self: DocumentLifecycle[Any],
    number: int,
    effective_from: date,
    decision_id: UUID,
    basis: dict[str, str],
    approved_at: datetime,
    supersedes: int | None,
    meta: Meta,
) -> None:
    apply_approval(
        self.versions,
        number,
        effective_from=effective_from,
        decision_id=decision_id,
        basis=basis,
        approved_by=meta.actor_id,
        approved_at=approved_at,
        supersedes=supersedes,
    )


def record_retirement(
    self: RetirableDocument[Any],
    number: int,
    ended_on: date,
    reason: str,
    decision_id: UUID,
    basis: dict[str, str],
    retired_at: datetime,
    meta: Meta,
) -> None:
    apply_retirement(self.versions, number, ended_on)
    self.retirement = Retirement(ended_on, reason, decision_id, basis, meta.actor_id, retired_at)
