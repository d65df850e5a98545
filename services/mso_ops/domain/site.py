"""A clinic or campus site the MSO runs, from proposal through readiness to go-live.

Lifecycle: proposed -> readying -> submitted (go-live requested from the PC) ->
approved (the PC's approval arrived through its feed) -> live (opened on or after the
approval's effective date) -> suspended / closed. A PC denial sends a submitted site
back to readying. A site is suspended while anyone holds it: the MSO (its own
operational reasons) or the PC (a suspension of the go-live authorization); each lifts
only its own hold. A PC revocation of the go-live closes the site. Closed is final.
Every event after the proposal carries the status it leads to.

The lifecycle's rules are in site_lifecycle.py; the steps to go-live (readiness, the
request, the PC's decisions, opening) in site_go_live.py. The events are declared here.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from mhg.meta import Meta
from services.mso_ops.domain.pro_forma import ProForma
from services.mso_ops.domain.site_errors import InvalidSiteTransition, SiteHeldByPc
from services.mso_ops.domain.site_go_live import GoLive
from services.mso_ops.domain.site_lifecycle import (
    CLOSED,
    LIVE,
    MSO,
    PROPOSED,
    STATUSES,
    SUSPENDED,
    check_open_for_bookings,
    check_step,
    status_with,
)
from services.mso_ops.domain.site_readiness import Evidence
from services.mso_ops.domain.site_time import checked_time_zone

__all__ = ["CLOSED", "LIVE", "STATUSES", "SUSPENDED", "Site"]  # the statuses others read here


class Site(GoLive, Aggregate):
    time_zone: str | None = None  # the site's IANA zone; none: its days are UTC days

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
        self.judged_against: dict[str, Any] | None = None  # the go-live request's standard
        self.authorization_id: UUID | None = None
        self.decision_id: UUID | None = None
        self.effective_date: date | None = None
        self.conditions: list[str] = []
        self.denial_reason: str | None = None
        self.holds: dict[str, str] = {}  # who holds the site suspended -> why
        self.opened_on: date | None = None
        self.closure_reason: str | None = None
        self.operations: dict[str, dict[str, Any]] = {}  # aspect -> the term in effect

    class ReadinessStarted(Aggregate.Event):
        status: str
        meta: Meta

    @event(ReadinessStarted)
    def _readiness_started(self, status: str, meta: Meta) -> None:
        self.status = status

    class ChecklistEvidenceRecorded(Evidence, Aggregate.Event):
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

    class ProFormaSet(Aggregate.Event):
        pro_forma: dict[str, Any]
        status: str
        meta: Meta

    @event(ProFormaSet)
    def _pro_forma_set(self, pro_forma: dict[str, Any], status: str, meta: Meta) -> None:
        self.pro_forma = ProForma.from_dict(pro_forma)

    class GoLiveRequested(Aggregate.Event):
        class_version = 2
        request_id: UUID
        site_name: str
        summary: str
        checklist: list[dict[str, Any]]
        pro_forma: dict[str, Any]
        standard: dict[str, Any] | None  # the readiness standard judged against (v2)
        status: str
        meta: Meta

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["standard"] = None  # judged against the fixed checklist, before standards

    @event(GoLiveRequested)
    def _go_live_requested(
        self,
        request_id: UUID,
        site_name: str,
        summary: str,
        checklist: list[dict[str, Any]],
        pro_forma: dict[str, Any],
        standard: dict[str, Any] | None,
        status: str,
        meta: Meta,
    ) -> None:
        self.status = status
        self.request_id = request_id
        self.judged_against = standard
        self.authorization_id = self.decision_id = self.effective_date = None
        self.conditions = []
        self.denial_reason = None

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

    # -- operating the site, by the MSO -------------------------------------------------

    class Opened(Aggregate.Event):
        opened_on: date
        status: str
        meta: Meta

    @event(Opened)
    def _opened(self, opened_on: date, status: str, meta: Meta) -> None:
        self.opened_on, self.status = opened_on, status

    def suspend(self, *, reason: str, meta: Meta) -> None:
        check_step(self.status, "suspend")
        if MSO in self.holds:
            raise InvalidSiteTransition("the MSO has suspended this site already")
        self._hold(MSO, reason, None, meta)

    def resume(self, *, reason: str, meta: Meta) -> None:
        check_step(self.status, "resume")
        if MSO not in self.holds:
            raise SiteHeldByPc("only a PC reinstatement lifts the PC's suspension")
        self._release(MSO, reason, None, meta)

    def _hold(self, by: str, reason: str, decision_id: UUID | None, meta: Meta) -> None:
        status = status_with({**self.holds, by: reason}, opened=self.opened_on is not None)
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
        status = status_with(holds, opened=self.opened_on is not None)
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
        check_step(self.status, "close")
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
        check_step(self.status, "request a material change")

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

    def set_time_zone(self, time_zone: str | None, meta: Meta) -> None:
        """The zone the site's days are judged in (site_time.py); none: UTC, as before."""
        self._time_zone_set(time_zone=checked_time_zone(time_zone), meta=meta)

    class TimeZoneSet(Aggregate.Event):
        time_zone: str | None
        meta: Meta

    @event(TimeZoneSet)
    def _time_zone_set(self, time_zone: str | None, meta: Meta) -> None:
        self.time_zone = time_zone

    def check_open_for_bookings(self) -> None:
        """Only a live site takes patients (see site_lifecycle.py)."""
        check_open_for_bookings(self.name, self.status)
