"""Random moves, allowed or not, on a vendor contract and a downtime window."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from mhg.errors import DomainError
from mhg.meta import Meta
from services.mso_ops.domain.facilities_errors import (
    ContractTerminated,
    DowntimeNotOpen,
    DowntimeWithdrawn,
    InvalidContractTerm,
    InvalidDowntime,
)
from services.mso_ops.domain.facility import DowntimeWindow
from services.mso_ops.domain.vendor import Vendor, VendorContract

START = date(2027, 1, 1)
AT = datetime(2027, 1, 12, 9, tzinfo=UTC)
Refusal = type[DomainError] | None


def meta() -> Meta:
    return Meta("ann", "mso_admin", "mso", uuid.uuid4().hex, "corr", "cause")


class Harness(RuleBasedStateMachine):
    agg: Any
    events: list[Any]

    def attempt(self, act: Callable[[], None], refusal: Refusal) -> bool:
        version = self.agg.version
        refused: DomainError | None = None
        try:
            act()
        except DomainError as error:
            refused = error
        if refused is not None:
            assert type(refused) is refusal, f"refused with {refused!r}; the model says {refusal}"
            assert self.agg.version == version
            assert list(self.agg.collect_events()) == []
            return False
        assert refusal is None, f"accepted; the model refuses with {refusal}"
        new = list(self.agg.collect_events())
        assert len(new) == 1
        self.events.extend(new)
        return True

    def rebuilt(self) -> Any:
        aggregate: Any = None
        for e in self.events:
            aggregate = e.mutate(aggregate)
        assert aggregate.version == self.agg.version == len(self.events)
        return aggregate


class ContractLifecycle(Harness):
    @initialize(days=st.integers(30, 400))
    def sign(self, days: int) -> None:
        vendor = Vendor.register(vendor_id=uuid.uuid4(), name="V", contact="c", meta=meta())
        self.agg = VendorContract.sign(
            contract_id=uuid.uuid4(),
            vendor=vendor,
            supplies="it",
            description="",
            term_start=START,
            term_end=START + timedelta(days=days),
            renewal_date=START + timedelta(days=days - 30),
            site_ids=[],
            meta=meta(),
        )
        self.events = list(self.agg.collect_events())
        self.end, self.renewal = START + timedelta(days=days), START + timedelta(days=days - 30)
        self.terminated = False

    @rule(extra=st.integers(-10, 400), notice=st.integers(-10, 120))
    def renew(self, extra: int, notice: int) -> None:
        end = self.end + timedelta(days=extra)
        renewal = end - timedelta(days=notice)
        refusal: Refusal = None
        if self.terminated:
            refusal = ContractTerminated
        elif end <= self.end or not START <= renewal <= end or renewal <= self.renewal:
            refusal = InvalidContractTerm
        if self.attempt(
            lambda: self.agg.renew(
                term_end=end,
                renewal_date=renewal,
                pc_approval_status="not_required",
                meta=meta(),
            ),
            refusal,
        ):
            self.end, self.renewal = end, renewal

    @rule(day=st.integers(-5, 900))
    def terminate(self, day: int) -> None:
        last = START + timedelta(days=day)
        refusal: Refusal = None
        if self.terminated:
            refusal = ContractTerminated
        elif not START <= last <= self.end:
            refusal = InvalidContractTerm
        if self.attempt(
            lambda: self.agg.terminate(last_day=last, reason="r", meta=meta()), refusal
        ):
            self.end, self.terminated = last, True

    @invariant()
    def the_contract_matches_the_model_and_its_events(self) -> None:
        assert (self.agg.term_end, self.agg.status) == (
            self.end,
            "terminated" if self.terminated else "active",
        )
        if not self.terminated:
            assert START <= self.agg.renewal_date <= self.agg.term_end
        rebuilt = self.rebuilt()
        assert (rebuilt.term_end, rebuilt.renewal_date, rebuilt.status) == (
            self.agg.term_end,
            self.agg.renewal_date,
            self.agg.status,
        )


class DowntimeLifecycle(Harness):
    @initialize(open_ended=st.booleans())
    def record(self, open_ended: bool) -> None:
        self.agg = DowntimeWindow.record(
            window_id=uuid.uuid4(),
            site_id=uuid.uuid4(),
            start=AT,
            end=None if open_ended else AT + timedelta(hours=1),
            cause="power",
            incident_id=None,
            meta=meta(),
        )
        self.events = list(self.agg.collect_events())
        self.status = "open" if open_ended else "closed"

    @rule(minutes=st.integers(-60, 200 * 24 * 60))
    def close(self, minutes: int) -> None:
        end = AT + timedelta(minutes=minutes)
        refusal: Refusal = None
        if self.status != "open":
            refusal = DowntimeNotOpen
        elif minutes <= 0 or end - AT > timedelta(days=92):
            refusal = InvalidDowntime
        if self.attempt(lambda: self.agg.close(end=end, meta=meta()), refusal):
            self.status = "closed"

    @rule()
    def withdraw(self) -> None:
        refusal = DowntimeWithdrawn if self.status == "withdrawn" else None
        if self.attempt(lambda: self.agg.withdraw(reason="error", meta=meta()), refusal):
            self.status = "withdrawn"

    @invariant()
    def the_window_matches_the_model_and_its_events(self) -> None:
        assert self.agg.status == self.status
        if self.agg.end is not None:
            assert timedelta(0) < self.agg.end - self.agg.start <= timedelta(days=92)
        rebuilt = self.rebuilt()
        assert (rebuilt.status, rebuilt.end) == (self.agg.status, self.agg.end)


SETTINGS = settings(max_examples=100, stateful_step_count=25, deadline=None)
ContractLifecycle.TestCase.settings = SETTINGS
DowntimeLifecycle.TestCase.settings = SETTINGS
TestContractLifecycle = ContractLifecycle.TestCase
TestDowntimeLifecycle = DowntimeLifecycle.TestCase
