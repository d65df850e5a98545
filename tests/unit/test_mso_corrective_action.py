"""The MSO's side of a corrective action, under random moves allowed or not."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from mhg.errors import DomainError
from mhg.meta import Meta
from services.mso_ops.domain import corrective_action_errors as err
from services.mso_ops.domain.corrective_action import CorrectiveAction

AT = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
DUE = date(2026, 12, 15)

# The lifecycle as the brief and the PC describe it, written independently of the aggregate.
REPORT_FROM = {"in_progress": {"open", "in_progress"}, "completed": {"in_progress"}}


def meta(actor: str = "ann") -> Meta:
    return Meta(actor, "mso_admin", "mso", uuid.uuid4().hex, "corr", "cause")


def assigned() -> CorrectiveAction:
    return CorrectiveAction(
        id=uuid.uuid4(),
        title="Re-train front desk on consent forms",
        description="Three charts lacked a signed consent",
        assignee="Site manager",
        due_on=DUE,
        source={"kind": "meeting_decision", "reference": "GM-2026-11 item 5"},
        assigned_at=AT,
        meta=meta("dr-lee"),
    )


class ActionLifecycle(RuleBasedStateMachine):
    @initialize()
    def assign(self) -> None:
        self.action = assigned()
        self.action.collect_events()
        self.status = "open"
        self.reports: list[str] = []
        self.verdicts: list[bool] = []

    def attempt(self, act: Callable[[], None], refusal: type[DomainError] | None) -> None:
        version = self.action.version
        before = copy.deepcopy((self.action.status, self.action.reports, self.action.verdicts))
        refused: DomainError | None = None
        try:
            act()
        except DomainError as error:
            refused = error
        if refused is not None:
            assert refusal is not None, f"refused with {refused!r}; the model allows it"
            assert type(refused) is refusal
            assert self.action.version == version
            assert (self.action.status, self.action.reports, self.action.verdicts) == before
            assert list(self.action.collect_events()) == []
            return
        assert refusal is None, f"accepted; the model refuses with {refusal}"
        assert len(list(self.action.collect_events())) == 1
        assert self.action.version == version + 1

    @rule(
        status=st.sampled_from(["in_progress", "completed", "done"]),
        evidence=st.sampled_from(["Training held 4/2", "  ", "x" * 2001]),
        document_ref=st.sampled_from([None, "DOC-1", ""]),
    )
    def report(self, status: str, evidence: str, document_ref: str | None) -> None:
        refusal: type[DomainError] | None = None
        unfit = not evidence.strip() or len(evidence) > 2000 or document_ref == ""
        if status not in REPORT_FROM or unfit:
            refusal = err.InvalidProgressReport
        elif self.status not in REPORT_FROM[status]:
            refusal = err.InvalidCorrectiveActionTransition

        def act() -> None:
            self.action.report_progress(
                status=status, evidence=evidence, document_ref=document_ref, at=AT, meta=meta()
            )

        self.attempt(act, refusal)
        if refusal is None:
            self.status = status
            self.reports.append(status)

    @rule(effective=st.booleans())
    def pc_verdict(self, effective: bool) -> None:
        refusal = err.InvalidCorrectiveActionTransition if self.status == "closed" else None

        def act() -> None:
            record = self.action.record_verified if effective else self.action.record_reopened
            record(note="reviewed", at=AT, meta=meta("dr-lee"))

        self.attempt(act, refusal)
        if refusal is None:
            self.status = "closed" if effective else "in_progress"
            self.verdicts.append(effective)

    @invariant()
    def matches_the_model(self) -> None:
        assert self.action.status == self.status
        assert [r.status for r in self.action.reports] == self.reports
        assert [v.effective for v in self.action.verdicts] == self.verdicts
        assert self.action.reopen_count == self.verdicts.count(False)
        assert self.action.overdue(date(2027, 1, 1)) == (self.status in ("open", "in_progress"))
        assert not self.action.overdue(DUE)


TestActionLifecycle = ActionLifecycle.TestCase
TestActionLifecycle.settings = settings(max_examples=60, stateful_step_count=15, deadline=None)


def test_a_report_records_who_reported_what_and_when() -> None:
    action = assigned()
    action.report_progress(
        status="in_progress", evidence="Scheduled", document_ref=None, at=AT, meta=meta("bo")
    )
    action.report_progress(
        status="completed", evidence="Done", document_ref="LOG-7", at=AT, meta=meta("cy")
    )
    events: list[Any] = list(action.collect_events())
    assert [type(e).__name__ for e in events] == [
        "Assigned",
        "ProgressReported",
        "ProgressReported",
    ]
    assert (events[2].status, events[2].evidence, events[2].document_ref) == (
        "completed",
        "Done",
        "LOG-7",
    )
    assert [(r.reported_by, r.status) for r in action.reports] == [
        ("bo", "in_progress"),
        ("cy", "completed"),
    ]
    assert action.assigned_by == "dr-lee"
    action.record_verified(note="No repeat in December", at=AT, meta=meta("dr-lee"))
    assert action.status == "closed"
    with pytest.raises(err.InvalidCorrectiveActionTransition):
        action.report_progress(
            status="in_progress", evidence="more", document_ref=None, at=AT, meta=meta()
        )
