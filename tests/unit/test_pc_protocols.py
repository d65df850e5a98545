"""The Protocol aggregate: drafts, approval, supersession, retirement, review, and what the
MSO is told of it."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pytest

from contracts.v1.protocol import ProtocolVersionEffectiveV1, ProtocolVersionEndedV1
from mhg.meta import Meta
from services.pc_governance.domain.protocol import Protocol
from services.pc_governance.domain.protocol_errors import (
    InvalidProtocolScope,
    InvalidProtocolTransition,
    NoStandingVersion,
    UnworkableEffectiveDate,
    VersionNotFound,
)
from services.pc_governance.domain.protocol_version import one_year_after
from services.pc_governance.domain.versioned_document import (
    APPROVED,
    DRAFT,
    RETIRED,
    SUPERSEDED,
)
from services.pc_governance.outbound import OUTBOUND

TODAY = date(2026, 1, 10)
SITE = uuid.UUID("11111111-2222-3333-4444-555555555555")


def meta(actor: str = "dr-md", role: str = "medical_director") -> Meta:
    return Meta(actor, role, "pc", uuid.uuid4().hex, "corr-1", "cause-1")


def new_protocol(**overrides: Any) -> Protocol:
    fields: dict[str, Any] = {
        "id": uuid.uuid4(),
        "title": "Sports pre-participation clearance",
        "protocol_type": "protocol",
        "service_lines": ["sports_clearance"],
        "site_ids": [SITE],
        "body": "Check heart and lungs.",
        "meta": meta("dr-physician", "physician"),
    }
    return Protocol.draft(**{**fields, **overrides})


def events(protocol: Protocol) -> list[Any]:
    return list(protocol.collect_events())


def approved(effective: date = date(2026, 2, 1), today: date = TODAY) -> Protocol:
    protocol = new_protocol()
    protocol.approve(1, effective_from=effective, review_due=None, today=today, meta=meta())
    return protocol


@pytest.mark.parametrize(
    ("overrides", "detail"),
    [
        ({"protocol_type": "memo"}, "type"),
        ({"service_lines": []}, "service_lines"),
        ({"service_lines": ["sports_clearance", "dentistry"]}, "dentistry"),
        ({"site_ids": []}, "site_ids"),
    ],
)
def test_a_protocol_needs_a_known_type_and_scope(overrides: dict[str, Any], detail: str) -> None:
    with pytest.raises(InvalidProtocolScope, match=detail):
        new_protocol(**overrides)


def test_a_new_protocol_is_a_first_draft_with_its_scope() -> None:
    protocol = new_protocol(
        service_lines=["school_physical", "school_physical", "sports_clearance"], site_ids=None
    )
    (created,) = events(protocol)
    assert created.meta.actor_role == "physician"
    assert protocol.service_lines == ["school_physical", "sports_clearance"]
    assert protocol.site_ids is None
    assert [(v.number, v.status, v.revision) for v in protocol.versions] == [(1, DRAFT, 1)]
    assert protocol.standing is None


def test_a_draft_is_revised_until_approved_and_then_never_changes() -> None:
    protocol = new_protocol()
    protocol.revise_draft(1, body="Check heart, lungs and vision.", meta=meta())
    assert (protocol.versions[0].body, protocol.versions[0].revision) == (
        "Check heart, lungs and vision.",
        2,
    )
    protocol.approve(1, effective_from=TODAY, review_due=None, today=TODAY, meta=meta())
    with pytest.raises(InvalidProtocolTransition) as refused:
        protocol.revise_draft(1, body="changed", meta=meta())
    assert refused.value.extensions == {"current_status": APPROVED}
    assert protocol.versions[0].body == "Check heart, lungs and vision."
    with pytest.raises(VersionNotFound):
        protocol.revise_draft(2, body="x", meta=meta())


def test_only_one_draft_at_a_time() -> None:
    protocol = new_protocol()
    with pytest.raises(InvalidProtocolTransition):
        protocol.add_draft(body="v2", meta=meta())
    protocol.approve(1, effective_from=TODAY, review_due=None, today=TODAY, meta=meta())
    assert protocol.add_draft(body="v2", meta=meta()) == 2
    with pytest.raises(InvalidProtocolTransition):
        protocol.add_draft(body="v3", meta=meta())


def test_approval_fixes_the_effective_day_and_the_review_a_year_on() -> None:
    protocol = approved(date(2028, 2, 29), today=date(2028, 1, 1))
    version = protocol.versions[0]
    assert (version.status, version.effective_from) == (APPROVED, date(2028, 2, 29))
    assert version.review_due == date(2029, 2, 28)
    assert version.approved_by == "dr-md"
    assert not version.in_effect_on(date(2028, 2, 28))
    assert version.in_effect_on(date(2028, 2, 29))


@pytest.mark.parametrize(
    ("effective", "review_due"),
    [
        (date(2026, 1, 9), None),  # before today: never retroactive
        (date(2026, 2, 1), date(2026, 2, 1)),  # review not after effect
        (date(9999, 12, 31), None),  # no review date can follow
    ],
)
def test_approval_refuses_unworkable_dates(effective: date, review_due: date | None) -> None:
    protocol = new_protocol()
    events(protocol)
    with pytest.raises(UnworkableEffectiveDate):
        protocol.approve(
            1, effective_from=effective, review_due=review_due, today=TODAY, meta=meta()
        )
    assert protocol.versions[0].status == DRAFT
    assert events(protocol) == []


def test_the_next_version_supersedes_the_standing_one_the_day_it_takes_effect() -> None:
    protocol = approved(date(2026, 2, 1))
    protocol.add_draft(body="v2", meta=meta())
    with pytest.raises(UnworkableEffectiveDate):
        protocol.approve(
            2, effective_from=date(2026, 2, 1), review_due=None, today=TODAY, meta=meta()
        )
    events(protocol)
    protocol.approve(2, effective_from=date(2026, 6, 1), review_due=None, today=TODAY, meta=meta())
    approval, supersession = events(protocol)
    assert type(approval).__name__ == "Approved"
    assert (supersession.number, supersession.ended_on, supersession.superseded_by) == (
        1,
        date(2026, 6, 1),
        2,
    )
    v1, v2 = protocol.versions
    assert (v1.status, v1.ended_on, v2.status) == (SUPERSEDED, date(2026, 6, 1), APPROVED)
    assert protocol.in_effect_on(date(2026, 1, 31)) is None
    assert protocol.in_effect_on(date(2026, 5, 31)) is v1
    assert protocol.in_effect_on(date(2026, 6, 1)) is v2
    assert protocol.standing is v2
    with pytest.raises(InvalidProtocolTransition):
        protocol.retire(1, reason="x", today=TODAY, meta=meta())


def test_retiring_the_version_in_effect_ends_it_today() -> None:
    protocol = approved(date(2026, 2, 1))
    events(protocol)
    protocol.retire(1, reason="unsafe dosing", today=date(2026, 3, 5), meta=meta())
    (retired,) = events(protocol)
    version = protocol.versions[0]
    assert (version.status, version.ended_on, version.retire_reason) == (
        RETIRED,
        date(2026, 3, 5),
        "unsafe dosing",
    )
    assert retired.ended_on == date(2026, 3, 5)
    assert protocol.in_effect_on(date(2026, 3, 4)) is version
    assert protocol.in_effect_on(date(2026, 3, 5)) is None
    assert protocol.standing is None
    with pytest.raises(NoStandingVersion):
        protocol.record_review(notes="n", next_review_due=None, today=TODAY, meta=meta())


def test_retiring_a_scheduled_successor_lets_the_standing_version_stand() -> None:
    protocol = approved(date(2026, 2, 1))
    protocol.add_draft(body="v2", meta=meta())
    protocol.approve(2, effective_from=date(2026, 6, 1), review_due=None, today=TODAY, meta=meta())
    events(protocol)
    protocol.retire(2, reason="withdrawn before use", today=date(2026, 4, 1), meta=meta())
    retired, reinstated = events(protocol)
    assert (retired.number, retired.ended_on) == (2, date(2026, 6, 1))
    assert (reinstated.number, reinstated.effective_from) == (1, date(2026, 2, 1))
    v1, v2 = protocol.versions
    assert (v1.status, v1.ended_on) == (APPROVED, None)
    assert v2.status == RETIRED
    assert protocol.in_effect_on(date(2027, 1, 1)) is v1
    assert not any(v2.in_effect_on(day) for day in (date(2026, 6, 1), date(2030, 1, 1)))


def test_a_review_moves_the_due_date_a_year_from_the_review() -> None:
    protocol = approved(date(2026, 2, 1))
    assert protocol.versions[0].review_due == date(2027, 2, 1)
    protocol.record_review(
        notes="no changes", next_review_due=None, today=date(2027, 1, 20), meta=meta()
    )
    assert protocol.versions[0].review_due == date(2028, 1, 20)
    protocol.record_review(
        notes="again", next_review_due=date(2027, 7, 1), today=date(2027, 1, 21), meta=meta()
    )
    review = protocol.versions[0].reviews[-1]
    assert (review.reviewed_by, review.next_review_due) == ("dr-md", date(2027, 7, 1))
    with pytest.raises(UnworkableEffectiveDate):
        protocol.record_review(
            notes="x", next_review_due=date(2027, 1, 21), today=date(2027, 1, 21), meta=meta()
        )


def test_one_year_after_keeps_the_day_or_takes_the_last_of_february() -> None:
    assert one_year_after(date(2026, 3, 31)) == date(2027, 3, 31)
    assert one_year_after(date(2024, 2, 29)) == date(2025, 2, 28)


def test_the_mso_is_told_title_version_and_dates_never_the_body() -> None:
    protocol = approved(date(2026, 2, 1))
    protocol.add_draft(body="secret v2 text", meta=meta())
    protocol.approve(2, effective_from=date(2026, 6, 1), review_due=None, today=TODAY, meta=meta())
    protocol.add_draft(body="v3", meta=meta())
    protocol.approve(3, effective_from=date(2026, 9, 1), review_due=None, today=TODAY, meta=meta())
    protocol.retire(3, reason="r", today=date(2026, 10, 1), meta=meta())
    messages = [OUTBOUND[type(e)](e) for e in events(protocol) if type(e) in OUTBOUND]
    summary = [(type(m).__name__, m.version, getattr(m, "reason", None)) for m in messages]
    assert summary == [
        ("ProtocolVersionEffectiveV1", 1, None),
        ("ProtocolVersionEffectiveV1", 2, None),
        ("ProtocolVersionEndedV1", 1, "superseded"),
        ("ProtocolVersionEffectiveV1", 3, None),
        ("ProtocolVersionEndedV1", 2, "superseded"),
        ("ProtocolVersionEndedV1", 3, "retired"),
    ]
    first = messages[0]
    assert isinstance(first, ProtocolVersionEffectiveV1)
    assert first.model_dump(mode="json") == {
        "protocol_id": str(protocol.id),
        "title": "Sports pre-participation clearance",
        "type": "protocol",
        "version": 1,
        "service_lines": ["sports_clearance"],
        "site_ids": [str(SITE)],
        "effective_from": "2026-02-01",
    }
    ended = messages[-1]
    assert isinstance(ended, ProtocolVersionEndedV1)
    assert (ended.ended_on, ended.superseded_by) == (date(2026, 10, 1), None)
    assert all("body" not in m.model_dump() for m in messages)
    assert "secret" not in str([m.model_dump() for m in messages])
