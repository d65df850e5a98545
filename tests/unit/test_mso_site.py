"""Site and SiteChange: what a go-live request carries, what a change does to the site."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from contracts.v1.authorization import AuthorizationRequestedV1
from mhg.meta import Meta
from services.mso_ops.domain.errors import DecisionDoesNotMatch, SiteClosed
from services.mso_ops.domain.pc_answer import PcApproval, PcReinstatement, PcWithdrawal
from services.mso_ops.domain.pro_forma import ProForma
from services.mso_ops.domain.readiness_standard import (
    SITE_GO_LIVE,
    SITE_GO_LIVE_V0,
    ChecklistStandard,
    StandardItem,
)
from services.mso_ops.domain.site import Site
from services.mso_ops.domain.site_change import SiteChange
from services.mso_ops.domain.site_errors import (
    InvalidSiteChange,
    InvalidSiteTransition,
    SiteNotLive,
    SiteNotOperating,
)
from services.mso_ops.domain.site_readiness import CHECKLIST_ITEMS, readiness_share
from services.mso_ops.outbound.sites import change_requested, go_live_requested

FIGURES = ProForma.of(
    lines=[
        {
            "service_line": "school_physical",
            "monthly_visits": 50,
            "revenue_per_visit": "60",
            "variable_cost_per_visit": "10",
        }
    ],
    fixed_monthly_cost="1500",
    startup_cost="5000",
)


def meta(actor: str = "ann") -> Meta:
    return Meta(actor, "mso_admin", "mso", uuid.uuid4().hex, "corr", "cause")


def submitted_site() -> tuple[Site, uuid.UUID]:
    site = Site(id=uuid.uuid4(), name="Eastside", kind="campus", address="1 Main", meta=meta())
    site.set_pro_forma(FIGURES, meta())
    site.start_readiness(meta())
    for item in CHECKLIST_ITEMS:
        site.record_evidence(
            item=item, met=True, document_ref=f"DOC-{item}", note="ok", meta=meta("bo")
        )
    return site, site.request_go_live(summary="ready", meta=meta())


def ids() -> tuple[uuid.UUID, uuid.UUID]:
    """A fresh authorization and decision."""
    return uuid.uuid4(), uuid.uuid4()


def approved_site() -> Site:
    site, request_id = submitted_site()
    site.record_approval(request_id, PcApproval(*ids(), date(2026, 1, 1), []), meta())
    return site


def test_the_go_live_request_carries_the_checklist_evidence_and_the_pro_forma() -> None:
    site, request_id = submitted_site()
    events: list[Any] = list(site.collect_events())
    requested = events[-1]
    assert requested.request_id == request_id
    assert SITE_GO_LIVE_V0.share(site.checklist) == 1
    message = go_live_requested(requested)
    assert isinstance(message, AuthorizationRequestedV1)
    assert (message.kind, message.service_line, message.site_id) == ("site_go_live", None, site.id)
    assert {c.item for c in message.readiness.checklist} == set(CHECKLIST_ITEMS)
    lease = next(c for c in message.readiness.checklist if c.item == "lease")
    assert (lease.recorded_by, lease.document_ref, lease.note) == ("bo", "DOC-lease", "ok")
    assert lease.evidence is not None
    assert "DOC-lease" in lease.evidence
    pro_forma = message.readiness.pro_forma
    assert pro_forma is not None
    assert pro_forma.monthly_margin == FIGURES.monthly_margin == 1000
    assert pro_forma.payback_months == 5


def test_a_stale_or_foreign_decision_does_not_apply() -> None:
    site, request_id = submitted_site()
    with pytest.raises(DecisionDoesNotMatch):
        site.record_approval(uuid.uuid4(), PcApproval(*ids(), date(2026, 1, 1), []), meta())
    with pytest.raises(DecisionDoesNotMatch):  # nothing approved yet to suspend
        site.record_withdrawal(request_id, PcWithdrawal("suspended", *ids(), "r"), meta())
    assert site.status == "submitted"


def test_bookings_wait_for_the_site_to_go_live() -> None:
    proposed = Site(id=uuid.uuid4(), name="Eastside", kind="campus", address="1", meta=meta())
    readying = Site(id=uuid.uuid4(), name="Eastside", kind="campus", address="1", meta=meta())
    readying.start_readiness(meta())
    for site in (proposed, readying, submitted_site()[0], approved_site()):
        with pytest.raises(SiteNotLive) as refused:
            site.check_open_for_bookings()
        assert refused.value.extensions == {"site_status": site.status}
    assert [s.status for s in (proposed, readying)] == ["proposed", "readying"]


def test_bookings_stop_at_a_suspended_or_closed_site() -> None:
    site = approved_site()
    site.go_live(on=date(2026, 2, 1), meta=meta())
    site.check_open_for_bookings()
    site.suspend(reason="flood", meta=meta())
    with pytest.raises(SiteNotOperating):
        site.check_open_for_bookings()
    site.close(reason="lease ended", meta=meta())
    with pytest.raises(SiteClosed):
        site.check_open_for_bookings()


def test_a_change_waits_for_the_pc_and_remembers_the_term_it_replaces() -> None:
    site = approved_site()
    change = SiteChange.request(
        request_id=uuid.uuid4(),
        site=site,
        aspect="lab_vendor",
        proposed="Quest",
        description="cheaper",
        meta=meta(),
    )
    assert (change.status, change.previous, change.request_id) == ("requested", None, change.id)
    message = change_requested(list(change.collect_events())[-1])
    assert message.kind == "material_change"
    assert message.change is not None
    assert (message.change.aspect, message.change.proposed) == ("lab_vendor", "Quest")
    authorization_id, decision_id = uuid.uuid4(), uuid.uuid4()
    change.record_approval(PcApproval(authorization_id, decision_id, date(2026, 3, 1), []), meta())
    site.set_operating_term(aspect="lab_vendor", term=change.term(), meta=meta())
    assert site.operations["lab_vendor"]["value"] == "Quest"
    assert site.operations["lab_vendor"]["decision_id"] == str(decision_id)

    with pytest.raises(InvalidSiteChange):  # the same value again changes nothing
        SiteChange.request(
            request_id=uuid.uuid4(),
            site=site,
            aspect="lab_vendor",
            proposed="Quest",
            description="again",
            meta=meta(),
        )
    later = SiteChange.request(
        request_id=uuid.uuid4(),
        site=site,
        aspect="lab_vendor",
        proposed="LabCorp",
        description="d",
        meta=meta(),
    )
    assert later.previous == change.term()
    with pytest.raises(DecisionDoesNotMatch):
        later.record_reinstatement(PcReinstatement(*ids(), "r"), meta())
    with pytest.raises(DecisionDoesNotMatch):  # another authorization's suspension
        change.record_withdrawal(PcWithdrawal("suspended", *ids(), "r"), meta())


@pytest.mark.parametrize(
    ("aspect", "proposed", "error"),
    [("protocol", "v2", InvalidSiteChange), ("hours", " ", InvalidSiteChange)],
)
def test_invalid_changes_are_refused(aspect: str, proposed: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        SiteChange.request(
            request_id=uuid.uuid4(),
            site=approved_site(),
            aspect=aspect,
            proposed=proposed,
            description="d",
            meta=meta(),
        )


def test_no_change_before_the_go_live_is_approved() -> None:
    site, _ = submitted_site()
    with pytest.raises(InvalidSiteTransition):
        SiteChange.request(
            request_id=uuid.uuid4(),
            site=site,
            aspect="hours",
            proposed="9-5",
            description="d",
            meta=meta(),
        )


def test_readiness_counts_the_items_of_the_standard_as_a_request_judges_them() -> None:
    standard = ChecklistStandard(
        SITE_GO_LIVE,
        None,
        1,
        None,
        (StandardItem("lease", "Lease", True), StandardItem("signage", "Signs", False)),
    )
    assert standard.met_count({}) == 0
    assert standard.met_count({"lease": (True, False), "signage": (True, False)}) == 1
    assert standard.met_count({"lease": (True, True), "parking": (True, True)}) == 1
    assert standard.met_count({"lease": (False, True), "signage": (True, False)}) == 1
    assert readiness_share(1, 3) == Decimal("0.3333")
    assert readiness_share(0, 0) == 1  # a standard of no items asks nothing
