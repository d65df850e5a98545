"""A site's way to go-live: the MSO readies it (checklist evidence, the pro forma) and
asks the PC; the PC's decisions arrive through its feed (an approval, a denial, a
suspension of the authorization, its reinstatement, a revocation); once the approval is
effective, the MSO opens the site.

A mixin of `Site`, which declares the events: the commands here check what is asked,
then trigger the site's event methods, named below (their event classes in site.py type
the fields, and the event refuses a field it does not declare).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, date, datetime
from uuid import UUID

from mhg.meta import Meta
from services.mso_ops.domain.errors import DecisionDoesNotMatch
from services.mso_ops.domain.pc_answer import (
    DENIED,
    REVOKED,
    PcApproval,
    PcReinstatement,
    PcWithdrawal,
)
from services.mso_ops.domain.pro_forma import ProForma
from services.mso_ops.domain.readiness_standard import SITE_GO_LIVE_V0, ChecklistStandard
from services.mso_ops.domain.site_errors import EvidenceRequired, GoLiveNotEffective, SiteNotReady
from services.mso_ops.domain.site_lifecycle import (
    APPROVED,
    AUTHORIZED,
    CLOSED,
    LIVE,
    PC,
    READYING,
    SUBMITTED,
    check_step,
)
from services.mso_ops.domain.site_readiness import Evidence


class GoLive:
    name: str
    status: str
    checklist: dict[str, Evidence]
    pro_forma: ProForma | None
    request_id: UUID | None
    effective_date: date | None
    holds: dict[str, str]
    # the site's event methods, and its steps that hold and release it
    _readiness_started: Callable[..., None]
    _evidence_recorded: Callable[..., None]
    _pro_forma_set: Callable[..., None]
    _go_live_requested: Callable[..., None]
    _go_live_approved: Callable[..., None]
    _go_live_denied: Callable[..., None]
    _opened: Callable[..., None]
    _closed: Callable[..., None]
    _hold: Callable[[str, str, UUID | None, Meta], None]
    _release: Callable[[str, str, UUID | None, Meta], None]

    # -- readiness, by the MSO ------------------------------------------------------

    def start_readiness(self, meta: Meta) -> None:
        check_step(self.status, "start readiness")
        self._readiness_started(status=READYING, meta=meta)

    def record_evidence(
        self,
        *,
        item: str,
        met: bool,
        document_ref: str | None,
        note: str | None,
        meta: Meta,
        standard: ChecklistStandard = SITE_GO_LIVE_V0,
    ) -> None:
        """Evidence for an item of the readiness standard in force (`standard`; the
        application names it, version 0 until the PC approves one)."""
        asked = standard.item_named(item)
        check_step(self.status, "record checklist evidence")
        if asked.evidence_required and met and not (document_ref or "").strip():
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

    def set_pro_forma(self, pro_forma: ProForma, meta: Meta) -> None:
        check_step(self.status, "set the pro forma")
        self._pro_forma_set(pro_forma=pro_forma.as_dict(), status=self.status, meta=meta)

    def request_go_live(
        self, *, summary: str, meta: Meta, standard: ChecklistStandard = SITE_GO_LIVE_V0
    ) -> UUID:
        """Ask the PC to approve the go-live, with the checklist and the pro forma: every item
        of the readiness standard in force (`standard`) met; the request records which."""
        check_step(self.status, "request go-live")
        missing = standard.unmet(self.checklist)
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
            standard=standard.judged(),
            status=SUBMITTED,
            meta=meta,
        )
        return request_id

    # -- the PC's decisions, as they arrive through its feed --------------------------

    def _check_answers(self, request_id: UUID, allowed: frozenset[str]) -> None:
        if request_id != self.request_id or self.status not in allowed:
            raise DecisionDoesNotMatch(
                f"decision for request {request_id}; the site is {self.status} "
                f"with go-live request {self.request_id}"
            )

    def record_approval(self, request_id: UUID, approval: PcApproval, meta: Meta) -> None:
        self._check_answers(request_id, frozenset({SUBMITTED}))
        self._go_live_approved(**asdict(approval), status=APPROVED, meta=meta)

    def record_withdrawal(self, request_id: UUID, withdrawal: PcWithdrawal, meta: Meta) -> None:
        """A denial sends the site back to readying; a suspension of the authorization
        stops it until the PC reinstates; a revocation closes it."""
        reason, decision_id = withdrawal.reason, withdrawal.decision_id
        if withdrawal.outcome == DENIED:
            self._check_answers(request_id, frozenset({SUBMITTED}))
            self._go_live_denied(
                authorization_id=withdrawal.authorization_id,
                decision_id=decision_id,
                reason=reason,
                status=READYING,
                meta=meta,
            )
            return
        self._check_answers(request_id, AUTHORIZED)
        if withdrawal.outcome == REVOKED:
            self._closed(by=PC, reason=reason, decision_id=decision_id, status=CLOSED, meta=meta)
            return
        if PC in self.holds:
            raise DecisionDoesNotMatch("the PC already holds this site suspended")
        self._hold(PC, reason, decision_id, meta)

    def record_reinstatement(
        self, request_id: UUID, reinstatement: PcReinstatement, meta: Meta
    ) -> None:
        """The PC lifted its suspension of the go-live authorization."""
        self._check_answers(request_id, AUTHORIZED)
        if PC not in self.holds:
            raise DecisionDoesNotMatch("the PC holds no suspension of this site to lift")
        self._release(PC, reinstatement.reason, reinstatement.decision_id, meta)

    # -- opening, by the MSO ----------------------------------------------------------

    def go_live(self, *, on: date, meta: Meta) -> None:
        check_step(self.status, "go live")
        assert self.effective_date is not None
        if on < self.effective_date:
            raise GoLiveNotEffective(
                f"the PC approved the go-live from {self.effective_date}",
                effective_date=self.effective_date.isoformat(),
            )
        self._opened(opened_on=on, status=LIVE, meta=meta)
