"""A state machine that makes random moves, allowed or not, on one site.

The lifecycle is modelled here independently of the aggregate (proposed -> readying ->
submitted -> approved -> live -> suspended / closed, with holds by each party); every
move is checked against the model: refused with the model's error and nothing
changed, or accepted with the model's new status.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from mhg.errors import DomainError
from mhg.meta import Meta
from services.mso_ops.domain.errors import DecisionDoesNotMatch, SiteClosed
from services.mso_ops.domain.pc_answer import PcApproval, PcReinstatement, PcWithdrawal
from services.mso_ops.domain.pro_forma import ProForma
from services.mso_ops.domain.site import STATUSES, Site
from services.mso_ops.domain.site_errors import (
    EvidenceRequired,
    GoLiveNotEffective,
    InvalidSiteTransition,
    SiteHeldByPc,
    SiteNotLive,
    SiteNotOperating,
    SiteNotReady,
    UnknownChecklistItem,
)
from services.mso_ops.domain.site_readiness import CHECKLIST_ITEMS

WHERE: dict[str, set[str]] = {
    "start": {"proposed"},
    "evidence": {"readying"},
    "pro forma": {"proposed", "readying"},
    "request": {"readying"},
    "go live": {"approved"},
    "suspend": {"live", "suspended"},
    "resume": {"suspended"},
    "close": {"proposed", "readying", "submitted", "approved", "live", "suspended"},
    "change": {"approved", "live", "suspended"},
}
AUTHORIZED = {"approved", "live", "suspended"}
EFFECTIVE = date(2026, 9, 1)
FIGURES = ProForma.of(
    lines=[
        {
            "service_line": "sports_clearance",
            "monthly_visits": 100,
            "revenue_per_visit": "80",
            "variable_cost_per_visit": "20",
        }
    ],
    fixed_monthly_cost="1000",
    startup_cost="10000",
)

Refusal = type[DomainError] | None


def meta() -> Meta:
    return Meta("ann", "mso_admin", "mso", uuid.uuid4().hex, "corr", "cause")


def ids() -> tuple[uuid.UUID, uuid.UUID]:
    """A fresh authorization and decision."""
    return uuid.uuid4(), uuid.uuid4()


class SiteLifecycle(RuleBasedStateMachine):
    @initialize(with_pro_forma=st.booleans())
    def propose(self, with_pro_forma: bool) -> None:
        self.agg = Site(
            id=uuid.uuid4(), name="Eastside", kind="campus", address="1 Main", meta=meta()
        )
        if with_pro_forma:
            self.agg.set_pro_forma(FIGURES, meta())
        self.events: list[Any] = list(self.agg.collect_events())
        self.status = "proposed"
        self.met: dict[str, bool] = {}
        self.has_pro_forma = with_pro_forma
        self.request_id: uuid.UUID | None = None
        self.holds: set[str] = set()
        self.opened = False
        self.ever_closed = False

    # -- the model -------------------------------------------------------------

    def _refusal(self, move: str) -> Refusal:
        return None if self.status in WHERE[move] else InvalidSiteTransition

    def _after_holds(self) -> str:
        if self.holds:
            return "suspended"
        return "live" if self.opened else "approved"

    def _decision_refusal(self, matching: bool, allowed: set[str]) -> Refusal:
        ok = matching and self.request_id is not None and self.status in allowed
        return None if ok else DecisionDoesNotMatch

    def _request(self, matching: bool) -> uuid.UUID:
        return self.request_id if matching and self.request_id else uuid.uuid4()

    # -- the harness -----------------------------------------------------------

    def _view(self, site: Site) -> Any:
        return copy.deepcopy(
            (
                site.status,
                site.checklist,
                site.pro_forma,
                site.request_id,
                site.authorization_id,
                site.decision_id,
                site.effective_date,
                site.holds,
                site.opened_on,
                site.closure_reason,
            )
        )

    def attempt(self, act: Callable[[], Any], refusal: Refusal) -> Any:
        version, before = self.agg.version, self._view(self.agg)
        refused: DomainError | None = None
        try:
            result = act()
        except DomainError as error:
            refused = error
        if refused is not None:
            assert refusal is not None, f"refused with {refused!r}; the model allows it"
            assert type(refused) is refusal, f"refused with {refused!r}; the model says {refusal}"
            assert self.agg.version == version
            assert self._view(self.agg) == before
            assert list(self.agg.collect_events()) == []
            return None
        assert refusal is None, f"accepted; the model refuses with {refusal}"
        new: list[Any] = list(self.agg.collect_events())
        assert len(new) == 1
        assert new[0].status == self.agg.status, "every event carries the status it leads to"
        self.events.extend(new)
        return result

    # -- the MSO's moves -------------------------------------------------------

    @rule()
    def start(self) -> None:
        refusal = self._refusal("start")
        self.attempt(lambda: self.agg.start_readiness(meta()), refusal)
        if refusal is None:
            self.status = "readying"

    @rule(
        item=st.sampled_from([*CHECKLIST_ITEMS, "parking"]),
        met=st.booleans(),
        document=st.sampled_from([None, "", "DOC-1"]),
    )
    def evidence(self, item: str, met: bool, document: str | None) -> None:
        refusal: Refusal = UnknownChecklistItem if item not in CHECKLIST_ITEMS else None
        refusal = refusal or self._refusal("evidence")
        if refusal is None and met and not document:
            refusal = EvidenceRequired
        self.attempt(
            lambda: self.agg.record_evidence(
                item=item, met=met, document_ref=document, note=None, meta=meta()
            ),
            refusal,
        )
        if refusal is None:
            self.met[item] = met

    @rule()
    def pro_forma(self) -> None:
        refusal = self._refusal("pro forma")
        self.attempt(lambda: self.agg.set_pro_forma(FIGURES, meta()), refusal)
        if refusal is None:
            self.has_pro_forma = True

    @rule()
    def request(self) -> None:
        refusal = self._refusal("request")
        ready = all(self.met.get(i) for i in CHECKLIST_ITEMS) and self.has_pro_forma
        if refusal is None and not ready:
            refusal = SiteNotReady
        request_id = self.attempt(
            lambda: self.agg.request_go_live(summary="s", meta=meta()), refusal
        )
        if refusal is None:
            self.status, self.request_id = "submitted", request_id

    @rule(days=st.integers(-3, 3))
    def go_live(self, days: int) -> None:
        refusal = self._refusal("go live")
        if refusal is None and days < 0:
            refusal = GoLiveNotEffective
        on = EFFECTIVE + timedelta(days=days)
        self.attempt(lambda: self.agg.go_live(on=on, meta=meta()), refusal)
        if refusal is None:
            self.status, self.opened = "live", True

    @rule()
    def suspend(self) -> None:
        refusal = self._refusal("suspend")
        if refusal is None and "mso" in self.holds:
            refusal = InvalidSiteTransition
        self.attempt(lambda: self.agg.suspend(reason="flood", meta=meta()), refusal)
        if refusal is None:
            self.holds.add("mso")
            self.status = self._after_holds()

    @rule()
    def resume(self) -> None:
        refusal = self._refusal("resume")
        if refusal is None and "mso" not in self.holds:
            refusal = SiteHeldByPc
        self.attempt(lambda: self.agg.resume(reason="dry", meta=meta()), refusal)
        if refusal is None:
            self.holds.discard("mso")
            self.status = self._after_holds()

    @rule()
    def close(self) -> None:
        refusal = self._refusal("close")
        self.attempt(lambda: self.agg.close(reason="lease ended", meta=meta()), refusal)
        if refusal is None:
            self.status, self.ever_closed = "closed", True

    @rule()
    def change(self) -> None:
        """A material change may be proposed only once the PC has approved the go-live."""
        refusal = self._refusal("change")
        try:
            self.agg.check_may_change()
        except InvalidSiteTransition:
            assert refusal is InvalidSiteTransition
        else:
            assert refusal is None

    # -- the PC's decisions, as they arrive ----------------------------------------

    @rule(matching=st.booleans())
    def pc_approves(self, matching: bool) -> None:
        refusal = self._decision_refusal(matching, {"submitted"})
        request_id = self._request(matching)
        self.attempt(
            lambda: self.agg.record_approval(
                request_id, PcApproval(*ids(), EFFECTIVE, ["MD on call"]), meta()
            ),
            refusal,
        )
        if refusal is None:
            self.status = "approved"

    @rule(matching=st.booleans())
    def pc_denies(self, matching: bool) -> None:
        refusal = self._decision_refusal(matching, {"submitted"})
        request_id = self._request(matching)
        self.attempt(
            lambda: self.agg.record_withdrawal(
                request_id, PcWithdrawal("denied", *ids(), "not yet"), meta()
            ),
            refusal,
        )
        if refusal is None:
            self.status = "readying"

    @rule(matching=st.booleans())
    def pc_suspends(self, matching: bool) -> None:
        refusal = self._decision_refusal(matching, AUTHORIZED)
        if refusal is None and "pc" in self.holds:
            refusal = DecisionDoesNotMatch
        request_id = self._request(matching)
        self.attempt(
            lambda: self.agg.record_withdrawal(
                request_id, PcWithdrawal("suspended", *ids(), "review"), meta()
            ),
            refusal,
        )
        if refusal is None:
            self.holds.add("pc")
            self.status = self._after_holds()

    @rule(matching=st.booleans())
    def pc_reinstates(self, matching: bool) -> None:
        refusal = self._decision_refusal(matching, AUTHORIZED)
        if refusal is None and "pc" not in self.holds:
            refusal = DecisionDoesNotMatch
        request_id = self._request(matching)
        self.attempt(
            lambda: self.agg.record_reinstatement(
                request_id, PcReinstatement(*ids(), "ok"), meta()
            ),
            refusal,
        )
        if refusal is None:
            self.holds.discard("pc")
            self.status = self._after_holds()

    @rule(matching=st.booleans())
    def pc_revokes(self, matching: bool) -> None:
        refusal = self._decision_refusal(matching, AUTHORIZED)
        request_id = self._request(matching)
        self.attempt(
            lambda: self.agg.record_withdrawal(
                request_id, PcWithdrawal("revoked", *ids(), "findings"), meta()
            ),
            refusal,
        )
        if refusal is None:
            self.status, self.ever_closed = "closed", True

    # A composed walk to the interesting states, judged move by move by the rules above.
    @precondition(lambda self: self.status in {"proposed", "readying"})
    @rule()
    def a_full_readiness(self) -> None:
        self.start()
        for item in CHECKLIST_ITEMS:
            self.evidence(item, met=True, document="DOC-1")
        self.pro_forma()
        self.request()
        self.pc_approves(matching=True)

    # -- invariants ------------------------------------------------------------

    @invariant()
    def the_state_matches_the_model(self) -> None:
        assert self.agg.status == self.status
        assert self.agg.status in STATUSES
        assert set(self.agg.holds) == self.holds
        assert (self.agg.opened_on is not None) == self.opened
        assert {i: e.met for i, e in self.agg.checklist.items()} == self.met

    @invariant()
    def suspended_exactly_while_held(self) -> None:
        if self.agg.status != "closed":
            assert (self.agg.status == "suspended") == bool(self.agg.holds)

    @invariant()
    def bookings_only_while_live(self) -> None:
        """The model's refusal of a booking: none while live, else why the site takes none."""
        expected = {"live": None, "suspended": SiteNotOperating, "closed": SiteClosed}.get(
            self.status, SiteNotLive
        )
        refused: DomainError | None = None
        try:
            self.agg.check_open_for_bookings()
        except DomainError as error:
            refused = error
        assert (type(refused) if refused else None) is expected, (self.status, refused)

    @invariant()
    def closed_is_final(self) -> None:
        if self.ever_closed:
            assert self.agg.status == "closed"

    @invariant()
    def authorized_states_carry_the_pcs_decision(self) -> None:
        if self.agg.status in AUTHORIZED:
            assert self.agg.authorization_id is not None
            assert self.agg.decision_id is not None
            assert self.agg.effective_date == EFFECTIVE

    @invariant()
    def rebuilding_from_the_events_gives_the_same_site(self) -> None:
        rebuilt: Any = None
        for e in self.events:
            rebuilt = e.mutate(rebuilt)
        assert isinstance(rebuilt, Site)
        assert rebuilt.version == self.agg.version == len(self.events)
        assert self._view(rebuilt) == self._view(self.agg)


SiteLifecycle.TestCase.settings = settings(max_examples=200, stateful_step_count=40, deadline=None)
TestSiteLifecycle = SiteLifecycle.TestCase
