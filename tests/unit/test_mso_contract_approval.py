"""A clinical-supply vendor contract rests on PC-approved material changes, one per site."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mhg.meta import Meta
from services.mso_ops.domain.contract_approval import (
    APPROVING_ASPECT,
    IN_FORCE,
    NOT_REQUIRED,
    SUPERSEDED,
    OperatingTerms,
    approval_status,
    change_standing,
    standing,
)
from services.mso_ops.domain.facilities_errors import (
    ClinicalSupplyNeedsPcApproval,
    PcApprovalNotInForce,
)
from services.mso_ops.domain.pc_answer import PcApproval, PcWithdrawal
from services.mso_ops.domain.site_change import (
    APPROVED,
    REVOKED,
    SUSPENDED,
    SiteChange,
)
from services.mso_ops.domain.vendor import Vendor, VendorContract

NORTH, SOUTH = uuid.uuid4(), uuid.uuid4()


def meta() -> Meta:
    return Meta("ann", "mso_admin", "mso", uuid.uuid4().hex, "corr", "cause")


def change(site_id: uuid.UUID = NORTH, aspect: str = "lab_vendor", status: str = APPROVED) -> Any:
    """A material change at a site, taken to `status` by the PC's decisions."""
    made = SiteChange(
        id=uuid.uuid4(),
        site_id=site_id,
        site_name="North" if site_id == NORTH else "South",
        aspect=aspect,
        proposed="Quest",
        description="Switch reference lab",
        previous=None,
        operating_term=None,
        meta=meta(),
    )
    if status == "requested":
        return made
    authorization = uuid.uuid4()
    if status == "denied":
        made.record_withdrawal(PcWithdrawal("denied", authorization, uuid.uuid4(), "no"), meta())
        return made
    made.record_approval(PcApproval(authorization, uuid.uuid4(), date(2027, 1, 1), []), meta())
    if status in (SUSPENDED, REVOKED):
        withdrawal = PcWithdrawal(status, authorization, uuid.uuid4(), "chart review")
        made.record_withdrawal(withdrawal, meta())
    return made


def in_force(*changes: Any) -> OperatingTerms:
    """The sites' terms once `changes` are approved, in that order (a later one replaces)."""
    terms: dict[uuid.UUID, dict[str, Any]] = {}
    for made in changes:
        terms.setdefault(made.site_id, {})[made.aspect] = made.term()
    return terms


def sign(
    supplies: str,
    site_ids: list[uuid.UUID],
    changes: list[Any],
    terms: OperatingTerms | None = None,
) -> VendorContract:
    """Signed on `changes`, each its site's term unless `terms` say otherwise."""
    vendor = Vendor.register(vendor_id=uuid.uuid4(), name="Quest", contact="q@x", meta=meta())
    return VendorContract.sign(
        contract_id=uuid.uuid4(),
        vendor=vendor,
        supplies=supplies,
        description="Reference lab",
        term_start=date(2027, 1, 1),
        term_end=date(2027, 12, 31),
        renewal_date=date(2027, 10, 1),
        site_ids=site_ids,
        site_changes=changes,
        operating_terms=in_force(*changes) if terms is None else terms,
        meta=meta(),
    )


@pytest.mark.parametrize(("supplies", "aspect"), sorted(APPROVING_ASPECT.items()))
def test_a_clinical_contract_carries_the_pc_approval_of_each_site_it_covers(
    supplies: str, aspect: str
) -> None:
    north, south = change(NORTH, aspect), change(SOUTH, aspect)
    signed = sign(supplies, [SOUTH, NORTH, SOUTH], [north, south])
    assert signed.site_ids == [SOUTH, NORTH]
    assert signed.pc_approvals == [
        {
            "change_id": str(c.id),
            "site_id": str(c.site_id),
            "aspect": aspect,
            "authorization_id": str(c.authorization_id),
            "decision_id": str(c.decision_id),
        }
        for c in (south, north)
    ], "in site order, each with the PC authorization and decision it carries"
    assert signed.site_change_ids == [south.id, north.id]
    (event,) = signed.collect_events()
    assert event.pc_approvals == signed.pc_approvals  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("supplies", "sites", "changes"),
    [
        ("reference_lab", [NORTH], lambda: [change(aspect="clinical_supplies")]),
        ("pharmacy", [NORTH], lambda: [change(aspect="lab_vendor")]),
        ("reference_lab", [NORTH], lambda: [change(aspect="hours")]),
        ("reference_lab", [NORTH], lambda: [change(SOUTH)]),
        ("reference_lab", [NORTH, SOUTH], lambda: [change(NORTH)]),
        ("reference_lab", [NORTH], lambda: [change(NORTH), change(NORTH)]),
        ("reference_lab", [NORTH], lambda: []),
        ("janitorial", [NORTH], lambda: [change(NORTH)]),
    ],
    ids=[
        "lab-on-supplies",
        "pharmacy-on-lab",
        "lab-on-hours",
        "other-site",
        "site-uncovered",
        "two-for-one-site",
        "none",
        "non-clinical-names-one",
    ],
)
def test_changes_that_do_not_fit_the_contract_are_refused_naming_the_field(
    supplies: str, sites: list[uuid.UUID], changes: Any
) -> None:
    with pytest.raises(ClinicalSupplyNeedsPcApproval) as refused:
        sign(supplies, sites, changes())
    assert refused.value.extensions == {"field": "site_change_ids"}


@pytest.mark.parametrize("status", ["requested", "denied", SUSPENDED, REVOKED])
def test_a_change_not_approved_now_is_a_conflict(status: str) -> None:
    with pytest.raises(PcApprovalNotInForce):
        sign("reference_lab", [NORTH, SOUTH], [change(NORTH), change(SOUTH, status=status)])


def test_a_change_a_later_approval_replaced_at_its_site_is_superseded() -> None:
    earlier, later = change(NORTH), change(NORTH)
    replaced = in_force(earlier, later)
    assert standing(earlier, replaced) == SUPERSEDED
    assert standing(later, replaced) == APPROVED
    with pytest.raises(PcApprovalNotInForce) as refused:
        sign("reference_lab", [NORTH], [earlier], terms=replaced)
    assert "superseded" in refused.value.detail
    restored = in_force(later, earlier)  # the later one withdrawn: the earlier term returns
    assert sign("reference_lab", [NORTH], [earlier], terms=restored).site_change_ids == [earlier.id]
    other_aspect = in_force(earlier, change(NORTH, aspect="clinical_supplies"))
    assert standing(earlier, other_aspect) == APPROVED, "only the same aspect replaces it"
    assert standing(earlier, in_force(earlier, change(SOUTH))) == APPROVED, "and at its site"


@given(st.sampled_from(["requested", "denied", APPROVED, SUSPENDED, REVOKED]), st.booleans())
def test_only_an_approved_change_can_be_superseded(status: str, is_the_term: bool) -> None:
    change_id = uuid.uuid4()
    found = change_standing(status, change_id, change_id if is_the_term else uuid.uuid4())
    if status == APPROVED and not is_the_term:
        assert found == SUPERSEDED
    else:
        assert found == status, "the PC's own decision shows as it is"
    assert change_standing(status, change_id, None) == (
        SUPERSEDED if status == APPROVED else status
    ), "no term in force at the site: an approved change is not in force either"


def test_fit_is_checked_before_state() -> None:
    with pytest.raises(ClinicalSupplyNeedsPcApproval):
        sign("reference_lab", [NORTH], [change(aspect="clinical_supplies", status="requested")])


@pytest.mark.parametrize("status", [SUSPENDED, REVOKED, SUPERSEDED])
def test_a_contract_whose_approval_is_not_in_force_is_not_renewed_but_may_end(
    status: str,
) -> None:
    signed = sign("reference_lab", [NORTH], [change()])
    term = {"term_end": date(2028, 12, 31), "renewal_date": date(2028, 10, 1)}
    with pytest.raises(PcApprovalNotInForce):
        signed.renew(**term, pc_approval_status=status, meta=meta())
    signed.renew(**term, pc_approval_status=IN_FORCE, meta=meta())
    assert signed.term_end == date(2028, 12, 31)
    signed.terminate(last_day=date(2028, 3, 31), reason="PC revoked the lab", meta=meta())


def test_a_contract_signed_before_clinical_supplies_rests_on_no_approval() -> None:
    signed = sign("janitorial", [NORTH], [])
    (event,) = signed.collect_events()
    del event.__dict__["pc_approvals"]  # as stored before the field existed
    rebuilt = event.mutate(None)
    assert rebuilt.pc_approvals == []
    assert rebuilt.site_change_ids == []


@given(st.lists(st.sampled_from([APPROVED, SUPERSEDED, SUSPENDED, REVOKED])))
def test_a_contract_shows_the_worst_standing_of_its_approvals(standings: list[str]) -> None:
    status = approval_status(standings)
    assert status == approval_status(reversed(standings)), "the order does not matter"
    if not standings:
        assert status == NOT_REQUIRED
    elif REVOKED in standings:
        assert status == REVOKED
    elif SUSPENDED in standings:
        assert status == SUSPENDED
    elif SUPERSEDED in standings:
        assert status == SUPERSEDED
    else:
        assert status == IN_FORCE
