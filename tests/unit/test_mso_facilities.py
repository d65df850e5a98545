"""Vendors and contracts, facility incidents, downtime windows and downtime per month."""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mhg.meta import Meta
from services.mso_ops.domain.facilities_errors import (
    ClinicalSupplyNeedsPcApproval,
    ContractTerminated,
    DowntimeNotOpen,
    DowntimeWithdrawn,
    IncidentAlreadyResolved,
    InvalidContractTerm,
    InvalidDowntime,
    InvalidIncident,
    InvalidVendor,
)
from services.mso_ops.domain.facility import (
    CLOSED,
    OPEN,
    RESOLVED,
    WITHDRAWN,
    DowntimeWindow,
    FacilityIncident,
    minutes_by_month,
)
from services.mso_ops.domain.vendor import (
    CLINICAL_SUPPLIES,
    TERMINATED,
    Vendor,
    VendorContract,
)

PACIFIC = timezone(timedelta(hours=-8))
SITE = uuid.uuid4()


def meta() -> Meta:
    return Meta("ann", "mso_admin", "mso", uuid.uuid4().hex, "corr", "cause")


def ungoverned() -> dict[str, Any]:
    """A renewal's arguments beyond the term, for a contract that rests on no PC approval."""
    return {"pc_approval_status": "not_required", "meta": meta()}


def vendor() -> Vendor:
    return Vendor.register(
        vendor_id=uuid.uuid4(), name=" Bay Janitorial ", contact="ops@bay.example", meta=meta()
    )


def contract(**overrides: Any) -> VendorContract:
    values: dict[str, Any] = {
        "contract_id": uuid.uuid4(),
        "vendor": vendor(),
        "supplies": "janitorial",
        "description": "Nightly cleaning",
        "term_start": date(2027, 1, 1),
        "term_end": date(2027, 12, 31),
        "renewal_date": date(2027, 10, 1),
        "site_ids": [SITE, SITE],
        "meta": meta(),
    }
    return VendorContract.sign(**{**values, **overrides})


def test_a_vendor_needs_a_name_and_a_contact() -> None:
    assert vendor().name == "Bay Janitorial"
    with pytest.raises(InvalidVendor):
        Vendor.register(vendor_id=uuid.uuid4(), name="X", contact=" ", meta=meta())


@pytest.mark.parametrize("supplies", CLINICAL_SUPPLIES)
def test_a_clinical_supply_or_lab_vendor_without_a_pc_approval_is_not_recorded(
    supplies: str,
) -> None:
    with pytest.raises(ClinicalSupplyNeedsPcApproval) as refused:
        contract(supplies=supplies)
    assert refused.value.extensions == {"field": "site_change_ids"}
    with pytest.raises(ClinicalSupplyNeedsPcApproval) as nowhere:
        contract(supplies=supplies, site_ids=[])
    assert nowhere.value.extensions == {"field": "site_ids"}


def test_a_contract_term_holds_its_renewal_date() -> None:
    signed = contract()
    assert signed.site_ids == [SITE], "a site listed twice is covered once"
    assert (signed.vendor_name, signed.status) == ("Bay Janitorial", "active")
    for bad, field in (
        ({"term_end": date(2027, 1, 1)}, "term_end"),
        ({"renewal_date": date(2026, 12, 31)}, "renewal_date"),
        ({"renewal_date": date(2028, 1, 1)}, "renewal_date"),
        ({"supplies": "gold"}, "supplies"),
    ):
        with pytest.raises(InvalidContractTerm) as refused:
            contract(**bad)
        assert refused.value.extensions["field"] == field


def test_a_renewal_extends_the_term_and_moves_the_renewal_date_forward() -> None:
    signed = contract()
    with pytest.raises(InvalidContractTerm):
        signed.renew(term_end=date(2027, 12, 31), renewal_date=date(2027, 11, 1), **ungoverned())
    with pytest.raises(InvalidContractTerm):
        signed.renew(term_end=date(2028, 12, 31), renewal_date=date(2027, 9, 1), **ungoverned())
    signed.renew(term_end=date(2028, 12, 31), renewal_date=date(2028, 10, 1), **ungoverned())
    assert (signed.term_end, signed.renewal_date, signed.version) == (
        date(2028, 12, 31),
        date(2028, 10, 1),
        2,
    )


def test_a_terminated_contract_ends_on_its_last_day_and_takes_no_renewal() -> None:
    signed = contract()
    with pytest.raises(InvalidContractTerm):
        signed.terminate(last_day=date(2029, 1, 1), reason="x", meta=meta())
    signed.terminate(last_day=date(2027, 6, 30), reason="moved out", meta=meta())
    assert (signed.status, signed.term_end) == (TERMINATED, date(2027, 6, 30))
    with pytest.raises(ContractTerminated):
        signed.renew(term_end=date(2028, 12, 31), renewal_date=date(2028, 10, 1), **ungoverned())
    with pytest.raises(ContractTerminated):
        signed.terminate(last_day=date(2027, 6, 1), reason="again", meta=meta())


def incident(**overrides: Any) -> FacilityIncident:
    values: dict[str, Any] = {
        "incident_id": uuid.uuid4(),
        "site_id": SITE,
        "occurred_at": datetime(2027, 1, 12, 9, tzinfo=PACIFIC),
        "category": "power",
        "description": " Power out in the east wing ",
        "meta": meta(),
    }
    return FacilityIncident.report(**{**values, **overrides})


def test_an_incident_is_reported_and_resolved_once() -> None:
    reported = incident()
    assert (reported.status, reported.description) == (OPEN, "Power out in the east wing")
    for bad in (
        {"category": "flood of patients"},
        {"description": "  "},
        {"occurred_at": datetime(2027, 1, 12, 9)},
    ):
        with pytest.raises(InvalidIncident):
            incident(**bad)
    with pytest.raises(InvalidIncident):
        reported.resolve(
            resolved_at=datetime(2027, 1, 12, 8, tzinfo=PACIFIC), resolution="x", meta=meta()
        )
    done = datetime(2027, 1, 12, 11, tzinfo=PACIFIC)
    reported.resolve(resolved_at=done, resolution="Breaker replaced", meta=meta())
    assert (reported.status, reported.resolved_at) == (RESOLVED, done)
    with pytest.raises(IncidentAlreadyResolved):
        reported.resolve(resolved_at=done, resolution="again", meta=meta())


def window(start: datetime, end: datetime | None) -> DowntimeWindow:
    return DowntimeWindow.record(
        window_id=uuid.uuid4(),
        site_id=SITE,
        start=start,
        end=end,
        cause=" power ",
        incident_id=None,
        meta=meta(),
    )


def test_a_downtime_window_opens_ends_once_and_can_be_withdrawn() -> None:
    start = datetime(2027, 1, 12, 9, tzinfo=PACIFIC)
    open_window = window(start, None)
    assert (open_window.status, open_window.cause) == (OPEN, "power")
    with pytest.raises(InvalidDowntime):
        open_window.close(end=start, meta=meta())
    open_window.close(end=start + timedelta(hours=2), meta=meta())
    assert open_window.status == CLOSED
    with pytest.raises(DowntimeNotOpen):
        open_window.close(end=start + timedelta(hours=3), meta=meta())
    open_window.withdraw(reason="recorded at the wrong site", meta=meta())
    assert open_window.status == WITHDRAWN
    with pytest.raises(DowntimeWithdrawn):
        open_window.withdraw(reason="again", meta=meta())
    with pytest.raises(DowntimeNotOpen):
        open_window.close(end=start + timedelta(hours=3), meta=meta())
    for end in (start, start - timedelta(minutes=5), start + timedelta(days=93)):
        with pytest.raises(InvalidDowntime):
            window(start, end)
    with pytest.raises(InvalidDowntime):
        window(start.replace(tzinfo=None), None)


def test_downtime_minutes_split_at_month_ends_in_the_offset_recorded() -> None:
    start = datetime(2027, 1, 31, 22, 0, tzinfo=PACIFIC)  # 06:00 UTC on 1 February
    assert minutes_by_month(start, start + timedelta(hours=3)) == {"2027-01": 120, "2027-02": 60}
    assert minutes_by_month(start.astimezone(UTC), start.astimezone(UTC) + timedelta(hours=3)) == {
        "2027-02": 180
    }
    year_end = datetime(2027, 12, 31, 23, 0, tzinfo=UTC)
    assert minutes_by_month(year_end, year_end + timedelta(days=32)) == {
        "2027-12": 60,
        "2028-01": 31 * 24 * 60,
        "2028-02": 23 * 60,
    }
    seconds = datetime(2027, 3, 1, tzinfo=UTC)
    assert minutes_by_month(seconds, seconds + timedelta(seconds=90)) == {"2027-03": 1}


@settings(max_examples=200, deadline=None)
@given(
    start=st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2029, 1, 1)),
    minutes=st.integers(1, 92 * 24 * 60),
    offset=st.integers(-12, 14),
)
def test_monthly_shares_add_up_to_the_window(start: datetime, minutes: int, offset: int) -> None:
    begin = start.replace(second=0, microsecond=0, tzinfo=timezone(timedelta(hours=offset)))
    shares = minutes_by_month(begin, begin + timedelta(minutes=minutes))
    assert sum(shares.values()) == minutes, "whole-minute windows lose nothing at month ends"
    assert all(v > 0 for v in shares.values())
    months = sorted(shares)
    assert months[0] == f"{begin.year:04d}-{begin.month:02d}"
    for earlier, later in itertools.pairwise(months):
        year, month = int(earlier[:4]), int(earlier[5:])
        assert later == (f"{year + 1}-01" if month == 12 else f"{year:04d}-{month + 1:02d}")
