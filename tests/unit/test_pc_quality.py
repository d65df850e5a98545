"""Chart-review samples and corrective actions as pure aggregates."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from eventsourcing.domain import Aggregate

from mhg.errors import Conflict, RuleViolation
from mhg.meta import Meta
from services.pc_governance.domain.corrective_action import CorrectiveAction
from services.pc_governance.domain.errors import (
    FindingNotFound,
    InvalidCorrectiveAction,
    InvalidCorrectiveActionTransition,
    InvalidReviewSample,
    ProgressByOtherParty,
    ReviewSampleClosed,
)
from services.pc_governance.domain.quality import ReviewSample, score_of

CLINICIAN = uuid.UUID("0f0e0d0c-0b0a-0908-0706-050403020100")
CHARTS = ["EHR-1", "EHR-2", "EHR-3", "EHR-4"]


def pending(aggregate: Aggregate) -> list[Any]:
    return list(aggregate.collect_events())


def meta(actor: str = "dr-lee", role: str = "medical_director", org: str = "pc") -> Meta:
    return Meta(actor, role, org, uuid.uuid4().hex, "corr", "cause")  # type: ignore[arg-type]


def sample(charts: list[str] | None = None, period: str = "2026-11") -> ReviewSample:
    return ReviewSample.open(
        id=uuid.uuid4(),
        clinician_id=CLINICIAN,
        period=period,
        service_line="sports_clearance",
        chart_refs=CHARTS if charts is None else charts,
        meta=meta("quality-ann", "pc_quality"),
    )


def rebuilt(events: list[Any]) -> Any:
    aggregate: Any = None
    for e in events:
        aggregate = e.mutate(aggregate)
    return aggregate


# --- review samples -------------------------------------------------------------------


@pytest.mark.parametrize("period", ["2026-13", "2026-1", "26-11", "2026-11-01", ""])
def test_a_sample_needs_a_month_as_its_period(period: str) -> None:
    with pytest.raises(InvalidReviewSample) as refused:
        sample(period=period)
    assert refused.value.extensions["field"] == "period"


@pytest.mark.parametrize("charts", [[], ["EHR-1", "EHR-1"], ["EHR-1", "  "]])
def test_a_sample_names_distinct_charts(charts: list[str]) -> None:
    with pytest.raises(InvalidReviewSample) as refused:
        sample(charts)
    assert refused.value.extensions["field"] == "chart_refs"
    assert isinstance(refused.value, RuleViolation)


def test_a_new_sample_is_open_with_no_findings() -> None:
    s = sample()
    [opened] = pending(s)
    assert type(opened).__name__ == "Opened"
    assert opened.meta.actor_id == "quality-ann"
    assert (s.status, s.findings, s.unreviewed) == ("open", [], CHARTS)
    assert s.opened_by == "quality-ann"


def test_a_finding_is_kept_with_its_reviewer() -> None:
    s = sample()
    pending(s)
    finding_id = s.record_finding(
        chart_ref="EHR-2",
        severity="moderate",
        category="documentation",
        note="HPI missing",
        meta=meta("dr-kim", "physician"),
    )
    [event] = pending(s)
    assert event.meta.actor_id == "dr-kim"
    finding = s.finding(finding_id)
    assert (finding.chart_ref, finding.severity, finding.category, finding.note) == (
        "EHR-2",
        "moderate",
        "documentation",
        "HPI missing",
    )
    assert finding.reviewer == "dr-kim"
    assert s.unreviewed == ["EHR-1", "EHR-3", "EHR-4"]
    with pytest.raises(FindingNotFound):
        s.finding(uuid.uuid4())


@pytest.mark.parametrize(
    ("field", "changes"),
    [
        ("chart_ref", {"chart_ref": "EHR-99"}),
        ("severity", {"severity": "catastrophic"}),
        ("category", {"category": "billing"}),
        ("note", {"note": "x" * 2001}),
    ],
)
def test_a_finding_outside_the_rules_changes_nothing(field: str, changes: dict[str, Any]) -> None:
    s = sample()
    pending(s)
    fields: dict[str, Any] = {
        "chart_ref": "EHR-1",
        "severity": "minor",
        "category": "other",
        "note": None,
    } | changes
    with pytest.raises(InvalidReviewSample) as refused:
        s.record_finding(meta=meta(), **fields)
    assert refused.value.extensions["field"] == field
    assert (s.version, s.findings, pending(s)) == (1, [], [])


def test_a_finding_id_is_recorded_once() -> None:
    s = sample()
    chosen = uuid.uuid4()
    s.record_finding(
        chart_ref="EHR-1",
        severity="none",
        category="other",
        note=None,
        meta=meta(),
        finding_id=chosen,
    )
    with pytest.raises(InvalidReviewSample):
        s.record_finding(
            chart_ref="EHR-2",
            severity="none",
            category="other",
            note=None,
            meta=meta(),
            finding_id=chosen,
        )


def review_all(s: ReviewSample, severities: dict[str, list[str]]) -> None:
    for chart, found in severities.items():
        for severity in found:
            s.record_finding(
                chart_ref=chart,
                severity=severity,
                category="protocol_adherence",
                note=None,
                meta=meta(),
            )


def test_the_score_is_the_share_of_charts_without_a_moderate_or_worse_finding() -> None:
    s = sample()
    review_all(
        s,
        {"EHR-1": ["none"], "EHR-2": ["minor", "major"], "EHR-3": ["minor"], "EHR-4": ["critical"]},
    )
    pending(s)
    s.complete(charts_reviewed=4, meta=meta("dr-kim", "physician"))
    [completed] = pending(s)
    assert s.status == "completed"
    assert s.completed_by == "dr-kim"
    assert completed.score == Decimal("50.0")
    assert (completed.charts_total, completed.charts_clear) == (4, 2)
    assert completed.subject == {
        "clinician_id": CLINICIAN,
        "period": "2026-11",
        "service_line": "sports_clearance",
    }


def test_scores_round_to_one_decimal() -> None:
    assert score_of(2, 3) == Decimal("66.7")
    assert score_of(1, 3) == Decimal("33.3")
    assert score_of(3, 3) == Decimal("100.0")
    assert score_of(0, 0) == Decimal("0.0")


def test_a_sample_completes_only_once_every_chart_has_a_finding() -> None:
    s = sample()
    review_all(s, {"EHR-1": ["none"], "EHR-3": ["moderate"]})
    version = s.version
    with pytest.raises(InvalidReviewSample) as refused:
        s.complete(charts_reviewed=4, meta=meta())
    assert refused.value.extensions["unreviewed"] == ["EHR-2", "EHR-4"]
    assert (s.status, s.version) == ("open", version)


def test_the_reviewer_count_must_be_the_whole_sample() -> None:
    s = sample()
    review_all(s, {chart: ["none"] for chart in CHARTS})
    with pytest.raises(InvalidReviewSample) as refused:
        s.complete(charts_reviewed=3, meta=meta())
    assert refused.value.extensions["field"] == "charts_reviewed"
    assert s.status == "open"


def test_a_completed_sample_is_final() -> None:
    s = sample(["EHR-1"])
    review_all(s, {"EHR-1": ["none"]})
    s.complete(charts_reviewed=1, meta=meta())
    version = s.version
    with pytest.raises(ReviewSampleClosed):
        s.record_finding(
            chart_ref="EHR-1", severity="major", category="other", note=None, meta=meta()
        )
    with pytest.raises(ReviewSampleClosed) as refused:
        s.complete(charts_reviewed=1, meta=meta())
    assert isinstance(refused.value, Conflict)
    assert s.version == version


def test_a_sample_rebuilt_from_its_events_is_the_same() -> None:
    s = sample()
    events = pending(s)
    review_all(s, {"EHR-1": ["none"], "EHR-2": ["major"], "EHR-3": ["none"], "EHR-4": ["minor"]})
    s.complete(charts_reviewed=4, meta=meta())
    events += pending(s)
    copy = rebuilt(events)
    assert (copy.status, copy.findings, copy.score, copy.version) == (
        s.status,
        s.findings,
        Decimal("75.0"),
        s.version,
    )


# --- corrective actions ---------------------------------------------------------------

SOURCE = {"kind": "meeting_decision", "reference": "GM-2026-11 item 5"}


def action(
    owner: str = "pc", source: dict[str, str] | None = None, due: date | None = None
) -> CorrectiveAction:
    return CorrectiveAction.open(
        id=uuid.uuid4(),
        title="Re-train on sports clearance documentation",
        description="Two charts lacked the cardiac history questions",
        owner=owner,
        assignee="Clinic lead",
        due_on=due or date(2026, 12, 15),
        source=source if source is not None else SOURCE,
        meta=meta(),
    )


def report(a: CorrectiveAction, status: str, party: str | None = None) -> None:
    a.report_progress(
        status=status,
        text=f"now {status}",
        document_ref="DOC-1",
        party=party or a.owner,
        reported_at=datetime.now(UTC),
        meta=meta("lead", "medical_director" if (party or a.owner) == "pc" else "mso_admin"),
    )


def test_a_pc_owned_action_opens_without_being_assigned_to_the_mso() -> None:
    a = action("pc")
    events = pending(a)
    assert [type(e).__name__ for e in events] == ["Opened"]
    assert (a.status, a.assigned_at, a.source) == ("open", None, SOURCE)


def test_an_mso_owned_action_is_assigned_with_everything_the_mso_needs() -> None:
    a = action("mso")
    opened, assigned = pending(a)
    assert type(assigned).__name__ == "AssignedToMso"
    assert (assigned.title, assigned.description, assigned.assignee, assigned.due_on) == (
        a.title,
        a.description,
        "Clinic lead",
        date(2026, 12, 15),
    )
    assert assigned.source == SOURCE
    assert a.assigned_at == opened.opened_at
    assert a.version == 2


@pytest.mark.parametrize(
    ("field", "changes"),
    [
        ("owner", {"owner": "vendor"}),
        ("title", {"title": "   "}),
        ("source", {"source": {"kind": "hunch", "reference": "x"}}),
        ("source", {"source": {"kind": "audit", "reference": " "}}),
    ],
)
def test_an_action_outside_the_rules_is_not_opened(field: str, changes: dict[str, Any]) -> None:
    fields: dict[str, Any] = {
        "id": uuid.uuid4(),
        "title": "t",
        "description": "d",
        "owner": "pc",
        "assignee": None,
        "due_on": date(2026, 12, 1),
        "source": None,
        "meta": meta(),
    } | changes
    with pytest.raises(InvalidCorrectiveAction) as refused:
        CorrectiveAction.open(**fields)
    assert refused.value.extensions["field"] == field


def test_the_owner_reports_progress_through_to_verification() -> None:
    a = action("pc")
    report(a, "in_progress")
    report(a, "in_progress")
    report(a, "completed")
    assert a.status == "completed"
    assert a.completed_at == a.evidence[-1].added_at
    assert [e.text for e in a.evidence] == ["now in_progress", "now in_progress", "now completed"]
    assert a.evidence[0].document_ref == "DOC-1"
    a.verify(note="no repeat findings in December", meta=meta("dr-lee"))
    assert a.status == "verified"
    assert a.verifications[-1].effective
    assert a.verifications[-1].verified_by == "dr-lee"
    assert type(pending(a)[-1]).__name__ == "Verified"


def test_an_ineffective_action_is_reopened_and_must_be_completed_again() -> None:
    a = action("mso")
    report(a, "in_progress")
    report(a, "completed")
    a.reopen(note="two more charts with the same gap", meta=meta())
    assert (a.status, a.completed_at, a.reopen_count) == ("in_progress", None, 1)
    assert type(pending(a)[-1]).__name__ == "MsoActionReopened"
    report(a, "completed")
    a.verify(note="clean in January", meta=meta())
    assert type(pending(a)[-1]).__name__ == "MsoActionVerified"


def test_only_the_owning_party_reports_progress() -> None:
    a = action("mso")
    with pytest.raises(ProgressByOtherParty):
        report(a, "in_progress", party="pc")
    assert (a.status, a.version) == ("open", 2)


@pytest.mark.parametrize(
    ("before", "status"),
    [
        ([], "completed"),
        (["in_progress", "completed"], "completed"),
        (["in_progress", "completed"], "in_progress"),
    ],
)
def test_progress_out_of_order_is_refused(before: list[str], status: str) -> None:
    a = action("pc")
    for step in before:
        report(a, step)
    version = a.version
    with pytest.raises(InvalidCorrectiveActionTransition):
        report(a, status)
    assert a.version == version


def test_verification_needs_a_completed_action_and_a_note() -> None:
    a = action("pc")
    with pytest.raises(InvalidCorrectiveActionTransition):
        a.verify(note="early", meta=meta())
    report(a, "in_progress")
    report(a, "completed")
    with pytest.raises(InvalidCorrectiveAction):
        a.reopen(note="  ", meta=meta())
    assert a.status == "completed"


def test_evidence_is_added_until_the_action_is_verified() -> None:
    a = action("mso")
    a.add_evidence(
        text="audit of 10 charts", document_ref=None, party="pc", meta=meta("q", "pc_quality")
    )
    assert a.evidence[-1].party == "pc"
    assert a.evidence[-1].added_by == "q"
    assert a.status == "open"
    report(a, "in_progress")
    report(a, "completed")
    a.verify(note="effective", meta=meta())
    with pytest.raises(InvalidCorrectiveActionTransition):
        a.add_evidence(text="late", document_ref=None, party="pc", meta=meta())
    with pytest.raises(InvalidCorrectiveAction):
        action().add_evidence(text=" ", document_ref=None, party="pc", meta=meta())


def test_overdue_means_past_due_and_not_completed() -> None:
    a = action("pc", due=date(2026, 12, 15))
    assert not a.overdue(date(2026, 12, 15))
    assert a.overdue(date(2026, 12, 16))
    report(a, "in_progress")
    assert a.overdue(date(2026, 12, 16))
    report(a, "completed")
    assert not a.overdue(date(2027, 1, 1))
    a.reopen(note="not effective", meta=meta())
    assert a.overdue(date(2027, 1, 1))
