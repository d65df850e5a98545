"""A clinic or campus site the MSO runs, from proposal through readiness to go-live.

Lifecycle: proposed -> readying -> submitted (go-live requested from the PC) ->
approved (the PC's approval arrived through its feed) -> live (opened on or after the
approval's effective date) -> suspended / closed. A PC denial sends a submitted site
back to readying. A site is suspended while anyone holds it: the MSO (its own
operational reasons) or the PC (a suspension of the go-live authorization); each lifts
only its own hold. A PC revocation of the go-live closes the site. Closed is final.
Every event after the proposal carries the status it leads to.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from mhg.meta import Meta
from services.mso_ops.domain.errors import DecisionDoesNotMatch, SiteClosed
from services.mso_ops.domain.pro_forma import ProForma
from services.mso_ops.domain.site_errors import (
    EvidenceRequired,
    GoLiveNotEffective,
    InvalidSiteTransition,
    SiteHeldByPc,
    SiteNotLive,
    SiteNotOperating,
    SiteNotReady,
)
from services.mso_ops.domain.site_readiness import Evidence, check_item, unmet_items

SITE_KINDS = ("clinic", "campus", "community")

PROPOSED = "proposed"
READYING = "readying"
SUBMITTED = "submitted"
APPROVED = "approved"
LIVE = "live"
SUSPENDED = "suspended"
CLOSED = "closed"
STATUSES = (PROPOSED, READYING, SUBMITTED, APPROVED, LIVE, SUSPENDED, CLOSED)

MSO, PC = "mso", "pc"

# step -> the statuses it may be taken in
ALLOWED_IN: dict[str, frozenset[str]] = {
    "start readiness": frozenset({PROPOSED}),
    "record checklist evidence": frozenset({READYING}),
    "set the pro forma": frozenset({PROPOSED, READYING}),
    "request go-live": frozenset({READYING}),
    "go live": frozenset({APPROVED}),
    "suspend": frozenset({LIVE, SUSPENDED}),
    "resume": frozenset({SUSPENDED}),
    "close": frozenset(set(STATUSES) - {CLOSED}),
    "request a material change": frozenset({APPROVED, LIVE, SUSPENDED}),
}
_AUTHORIZED = frozenset({APPROVED, LIVE, SUSPENDED})


class Site(Aggregate):
    class Proposed(Aggregate.Created):
        name: str
        kind: str
        address: str
        meta: Meta

    @event(Proposed)
    def __init__(self, id: UUID, name: str, kind: str, address: str, meta: Meta) -> None:
        self.name = name
        self.kind = kind
        self.address = address
        self.status = PROPOSED
        self.checklist: dict[str, Evidence] = {}
        self.pro_forma: ProForma | None = None
        self.request_id: UUID | None = None
        self.authorization_id: UUID | None = None
        self.decision_id: UUID | None = None
        self.effective_date: date | None = None
        self.conditions: list[str] = []
        self.denial_reason: str | None = None
        self.holds: dict[str, str] = {}  # who holds the site suspended -> why
        self.opened_on: date | None = None
        self.closure_reason: str | None = None
        self.operations: dict[str, dict[str, Any]] = {}  # aspect -> the term in effect

    def _check(self, step: str) -> None:
        if self.status not in ALLOWED_IN[step]:
            raise InvalidSiteTransition(
                f"cannot {step} at a site that is {self.status}", current_status=self.status
            )

    def _status_with(self, holds: dict[str, str]) -> str:
        if holds:
            return SUSPENDED
        return LIVE if self.opened_on is not None else APPROVED

    # -- readiness, by the MSO ------------------------------------------------------

    def start_readiness(self, meta: Meta) -> None:
        self._check("start readiness")
        self._readiness_started(status=READYING, meta=meta)

    class ReadinessStarted(Aggregate.Event):
        status: str
        meta: Meta

    @event(ReadinessStarted)
    def _readiness_started(self, status: str, meta: Meta) -> None:
        self.status = status

    def record_evidence(
        self, *, item: str, met: bool, document_ref: str | None, note: str | None, meta: Meta
    ) -> None:
        check_item(item)
        self._check("record checklist evidence")
        if met and not (document_ref or "").strip():
            raise EvidenceRequired(f"{item} is met on the strength of a document: name it")
        self._evidence_recorded(
            item=item,
            met=met,
            recorded_by=meta.actor_id,
            recorded_at=datetime.now(UTC),
            document_ref=document_ref,
            note=note,
            status=self.status,
            meta=meta,
        )

    class ChecklistEvidenceRecorded(Aggregate.Event):
        item: str
        met: bool
        recorded_by: str
        recorded_at: datetime
        document_ref: str | None
        note: str | None
        status: str
        meta: Meta

    @event(ChecklistEvidenceRecorded)
    def _evidence_recorded(
        self,
        item: str,
        met: bool,
        recorded_by: str,
        recorded_at: datetime,
        document_ref: str | None,
        note: str | None,
        status: str,
        meta: Meta,
    ) -> None:
        self.checklist[item] = Evidence(item, met, recorded_by, recorded_at, document_ref, note)

    def set_pro_forma(self, pro_forma: ProForma, meta: Meta) -> None:
        self._check("set the pro forma")
        self._pro_forma_set(pro_forma=pro_forma.as_dict(), status=self.status, meta=meta)

    class ProFormaSet(Aggregate.Event):
        pro_forma: dict[str, Any]
        status: str
        meta: Meta

    @event(ProFormaSet)
    def _pro_forma_set(self, pro_forma: dict[str, Any], status: str, meta: Meta) -> None:
        self.pro_forma = ProForma.from_dict(pro_forma)

    def request_go_live(self, *, summary: str, meta: Meta) -> UUID:
        """Ask the PC to approve the go-live, with the checklist and the pro forma."""
        self._check("request go-live")
        missing = unmet_items(self.checklist)
        if self.pro_forma is None:
            missing.append("pro_forma")
        if missing:
            raise SiteNotReady(f"not ready: {', '.join(missing)}", missing=missing)
        assert self.pro_forma is not None
        request_id = uuid.uuid4()
        self._go_live_requested(
            request_id=request_id,
            site_name=self.name,
            summary=summary,
            checklist=[self.checklist[item].as_dict() for item in sorted(self.checklist)],
            pro_forma=self.pro_forma.summary(),
            status=SUBMITTED,
            meta=meta,
        )
        return request_id

    class GoLiveRequested(Aggregate.Event):
        request_id: UUID
        site_name: str
        summary: str
        checklist: list[dict[str, Any]]
        pro_forma: dict[str, Any]
        status: str
        meta: Meta

    @event(GoLiveRequested)
    def _go_live_requested(
        self,
        request_id: UUID,
        site_name: str,
        summary: str,
        checklist: list[dict[str, Any]],
        pro_forma: dict[str, Any],
        status: str,
        meta: Meta,
    ) -> None:
        self.status = status
        self.request_id = request_id
        self.authorization_id = self.decision_id = self.effective_date = None
        self.conditions = []
        self.denial_reason = None

    # -- the PC's decisions, as they arrive through its feed --------------------------

    def _check_answers(self, request_id: UUID, allowed: frozenset[str]) -> None:
        if request_id != self.request_id or self.status not in allowed:
            raise DecisionDoesNotMatch(
                f"decision for request {request_id}; the site is {self.status} "
                f"with go-live request {self.request_id}"
            )

    def record_approval(
        self,
        *,
        request_id: UUID,
        authorization_id: UUID,
        decision_id: UUID,
        effective_date: date,
        conditions: list[str],
        meta: Meta,
    ) -> None:
        self._check_answers(request_id, frozenset({SUBMITTED}))
        self._go_live_approved(
            authorization_id=authorization_id,
            decision_id=decision_id,
            effective_date=effective_date,
            conditions=list(conditions),
            status=APPROVED,
            meta=meta,
        )

    class GoLiveApproved(Aggregate.Event):
        authorization_id: UUID
        decision_id: UUID
        effective_date: date
        conditions: list[str]
        status: str
        meta: Meta

    @event(GoLiveApproved)
    def _go_live_approved(
        self,
        authorization_id: UUID,
        decision_id: UUID,
        effective_date: date,
        conditions: list[str],
        status: str,
        meta: Meta,
    ) -> None:
        self.status = status
        self.authorization_id, self.decision_id = authorization_id, decision_id
        self.effective_date, self.conditions = effective_date, conditions

    def record_denial(
        self,
        *,
        request_id: UUID,
        authorization_id: UUID,
        decision_id: UUID,
        reason: str,
        meta: Meta,
    ) -> None:
        self._check_answers(request_id, frozenset({SUBMITTED}))
        self._go_live_denied(
            authorization_id=authorization_id,
            decision_id=decision_id,
            reason=reason,
            status=READYING,
            meta=meta,
        )

    class GoLiveDenied(Aggregate.Event):
        authorization_id: UUID
        decision_id: UUID
        reason: str
        status: str
        meta: Meta

    @event(GoLiveDenied)
    def _go_live_denied(
        self, authorization_id: UUID, decision_id: UUID, reason: str, status: str, meta: Meta
    ) -> None:
        self.status = status
        self.authorization_id, self.decision_id = authorization_id, decision_id
        self.denial_reason = reason

    def record_pc_hold(
        self, *, request_id: UUID, decision_id: UUID, reason: str, meta: Meta
    ) -> None:
        """The PC suspended the go-live authorization: the site stops until it reinstates."""
        self._check_answers(request_id, _AUTHORIZED)
        if PC in self.holds:
            raise DecisionDoesNotMatch("the PC already holds this site suspended")
        self._hold(PC, reason, decision_id, meta)

    def record_pc_release(
        self, *, request_id: UUID, decision_id: UUID, reason: str, meta: Meta
    ) -> None:
        self._check_answers(request_id, _AUTHORIZED)
        if PC not in self.holds:
            raise DecisionDoesNotMatch("the PC holds no suspension of this site to lift")
        self._release(PC, reason, decision_id, meta)

    def record_revocation(
        self, *, request_id: UUID, decision_id: UUID, reason: str, meta: Meta
    ) -> None:
        self._check_answers(request_id, _AUTHORIZED)
        self._closed(by=PC, reason=reason, decision_id=decision_id, status=CLOSED, meta=meta)

    # -- operating the site, by the MSO -------------------------------------------------

    def go_live(self, *, on: date, meta: Meta) -> None:
        self._check("go live")
        assert self.effective_date is not None
        if on < self.effective_date:
            raise GoLiveNotEffective(
                f"the PC approved the go-live from {self.effective_date}",
                effective_date=self.effective_date.isoformat(),
            )
        self._opened(opened_on=on, status=LIVE, meta=meta)

    class Opened(Aggregate.Event):
        opened_on: date
        status: str
        meta: Meta

    @event(Opened)
    def _opened(self, opened_on: date, status: str, meta: Meta) -> None:
        self.opened_on, self.status = opened_on, status

    def suspend(self, *, reason: str, meta: Meta) -> None:
        self._check("suspend")
        if MSO in self.holds:
            raise InvalidSiteTransition("the MSO has suspended this site already")
        self._hold(MSO, reason, None, meta)

    def resume(self, *, reason: str, meta: Meta) -> None:
        self._check("resume")
        if MSO not in self.holds:
            raise SiteHeldByPc("only a PC reinstatement lifts the PC's suspension")
        self._release(MSO, reason, None, meta)

    def _hold(self, by: str, reason: str, decision_id: UUID | None, meta: Meta) -> None:
        status = self._status_with({**self.holds, by: reason})
        self._held(by=by, reason=reason, decision_id=decision_id, status=status, meta=meta)

    class Held(Aggregate.Event):
        by: str
        reason: str
        decision_id: UUID | None
        status: str
        meta: Meta

    @event(Held)
    def _held(
        self, by: str, reason: str, decision_id: UUID | None, status: str, meta: Meta
    ) -> None:
        self.holds[by] = reason
        self.status = status

    def _release(self, by: str, reason: str, decision_id: UUID | None, meta: Meta) -> None:
        holds = {who: why for who, why in self.holds.items() if who != by}
        status = self._status_with(holds)
        self._released(by=by, reason=reason, decision_id=decision_id, status=status, meta=meta)

    class Released(Aggregate.Event):
        by: str
        reason: str
        decision_id: UUID | None
        status: str
        meta: Meta

    @event(Released)
    def _released(
        self, by: str, reason: str, decision_id: UUID | None, status: str, meta: Meta
    ) -> None:
        del self.holds[by]
        self.status = status

    def close(self, *, reason: str, meta: Meta) -> None:
        self._check("close")
        self._closed(by=MSO, reason=reason, decision_id=None, status=CLOSED, meta=meta)

    class Closed(Aggregate.Event):
        by: str
        reason: str
        decision_id: UUID | None
        status: str
        meta: Meta

    @event(Closed)
    def _closed(
        self, by: str, reason: str, decision_id: UUID | None, status: str, meta: Meta
    ) -> None:
        self.status, self.closure_reason = status, reason

    def check_may_change(self) -> None:
        self._check("request a material change")

    def set_operating_term(self, *, aspect: str, term: dict[str, Any] | None, meta: Meta) -> None:
        """A material change the PC approved (or withdrew) takes effect here."""
        self._term_set(aspect=aspect, term=term, status=self.status, meta=meta)

    class OperatingTermSet(Aggregate.Event):
        aspect: str
        term: dict[str, Any] | None
        status: str
        meta: Meta

    @event(OperatingTermSet)
    def _term_set(self, aspect: str, term: dict[str, Any] | None, status: str, meta: Meta) -> None:
        if term is None:
            self.operations.pop(aspect, None)
        else:
            self.operations[aspect] = dict(term)

    def check_open_for_bookings(self) -> None:
        """Only a live site takes patients (a booking, a hold, a move into it).

        Before go-live the PC has not approved the site against its readiness standards;
        schedules and slots may be prepared there, but nobody is booked.
        """
        if self.status == CLOSED:
            raise SiteClosed(f"{self.name} is closed", site_status=self.status)
        if self.status == SUSPENDED:
            raise SiteNotOperating(f"{self.name} is suspended", site_status=self.status)
        if self.status != LIVE:
            raise SiteNotLive(
                f"{self.name} is {self.status}: it takes bookings once the PC has approved "
                "its go-live and the site has opened",
                site_status=self.status,
            )
