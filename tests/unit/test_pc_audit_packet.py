"""The pure parts of the audit packet and the agenda: rendering, negotiation, seal, titles."""

from __future__ import annotations

from datetime import UTC, date, datetime
from html.parser import HTMLParser
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mhg.audit.heads import check_signature, new_signing_key
from mhg.audit.ledger import Seal
from services.pc_governance.api.audit.packets import wants_html
from services.pc_governance.domain.meeting import Meeting
from services.pc_governance.domain.visit_terms import TemplateVersion, VisitTerms
from services.pc_governance.packet import collect, html
from services.pc_governance.packet.seal import seal_at
from services.pc_governance.packet.visit_templates import in_force_during
from services.pc_governance.projections import agenda_sources

TAGS = {
    "html",
    "head",
    "meta",
    "title",
    "style",
    "body",
    "header",
    "h1",
    "h2",
    "h3",
    "h4",
    "section",
    "article",
    "dl",
    "dt",
    "dd",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "p",
    "pre",
    "code",
}


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.tags: set[str] = set()
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        if tag != "meta":
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open.pop() == tag

    def handle_data(self, data: str) -> None:
        self.text += data


def sample(words: str) -> dict[str, Any]:
    """A packet with one record of every kind, `words` in every free-text field."""
    actor = {"id": words, "role": "medical_director", "org": "pc"}
    return {
        "service": "pc-governance",
        "period": {"from": "2026-10-01", "to": "2026-10-31"},
        "period_closed": True,
        "covers": {"recorded_before": "2026-11-01T00:00:00Z", "through_position": 7, "events": 7},
        "meetings": [
            {
                "id": "m1",
                "period": "2026-10",
                "scheduled_for": "2026-10-08T18:00:00Z",
                "status": "closed",
                "chair": words,
                "quorum": {"min_present": 3, "medical_director_required": True, "met": True},
                "attendance": [
                    {"person_id": "p", "name": words, "role": "physician", "present": True}
                ],
                "agenda": [
                    {
                        "item_id": "i",
                        "kind": "other",
                        "reference": words,
                        "title": words,
                        "source": "manual",
                        "disposition": "noted",
                        "decision_id": None,
                        "deferred_to": None,
                        "note": words,
                    }
                ],
                "motions": [
                    {
                        "motion_id": "x",
                        "item_id": "i",
                        "text": words,
                        "moved_by": words,
                        "votes": {words: "for"},
                        "tally": {"for": 1},
                        "outcome": "carried",
                        "decision_id": "d",
                        "decided_at": "2026-10-08T18:30:00Z",
                    }
                ],
                "minutes": {
                    "minutes_id": "mm",
                    "status": "approved",
                    "text": words,
                    "revision": 1,
                    "drafted_by": words,
                    "approved_by": words,
                    "approved_at": None,
                    "amendments": [
                        {
                            "amendment_id": "a",
                            "amends": "mm",
                            "text": words,
                            "reason": words,
                            "amended_at": "t",
                            "amended_by": words,
                        }
                    ],
                },
                "opened_at": None,
                "adjourned_at": None,
                "closed_at": None,
            }
        ],
        "decision_log": [
            {
                "decision_id": "d",
                "meeting_id": "m1",
                "meeting_period": "2026-10",
                "text": words,
                "agenda_item_kind": "other",
                "agenda_item_reference": words,
                "decided_at": "t",
                "tally": {"for": 1},
                "recorded_by": actor,
            }
        ],
        "corrective_actions": [
            {
                "id": "c",
                "title": words,
                "description": words,
                "owner": "pc",
                "assignee": words,
                "source": {"kind": "audit", "reference": words},
                "opened_at": "t",
                "opened_by": words,
                "due_on": "2026-10-25",
                "status": "open",
                "overdue_at_period_end": True,
                "completed_at": None,
                "evidence": [
                    {
                        "text": words,
                        "document_ref": words,
                        "party": "pc",
                        "added_by": words,
                        "added_at": "t",
                    }
                ],
                "verifications": [
                    {"effective": False, "note": words, "verified_by": words, "verified_at": "t"}
                ],
            }
        ],
        "authorizations": [
            {
                "id": "z",
                "request_id": "r",
                "kind": "service_line",
                "site_id": "s",
                "site_name": words,
                "service_line": words,
                "requested_at": "t",
                "status": "approved",
                "effective_date": None,
                "history": [
                    {
                        "event": "approved",
                        "recorded_at": "t",
                        "position": 3,
                        "actor": actor,
                        "decision_id": "d",
                        "basis": {"reference": words},
                        "reason": words,
                        "conditions": [words],
                        "protocol_refs": [words],
                    }
                ],
            }
        ],
        "protocol_versions": [
            {
                "protocol_id": "p",
                "title": words,
                "type": "protocol",
                "service_lines": ["sports_clearance"],
                "site_ids": None,
                "version": 1,
                "status": "approved",
                "effective_from": "2026-10-10",
                "ended_on": None,
                "approved_by": words,
                "approved_at": "t",
                "review_due": None,
                "body_sha256": "ab",
            }
        ],
        "visit_template_versions": [
            {
                "template_id": "v",
                "version": 2,
                "status": "retired",
                "terms": {
                    "name": words,
                    "service_line": words,
                    "site_ids": [words],
                    "clinician_roles": [words],
                    "visit_minutes": 20,
                    "max_patients_per_clinician_hour": 3,
                    "max_clinician_hours_per_day": 8,
                },
                "effective_from": "2026-10-10",
                "ended_on": "2026-10-25",
                "decision_id": "d",
                "basis": {"kind": "medical_director_act", "reference": words},
                "approved_by": words,
                "approved_at": "t",
                "retirement": {
                    "ended_on": "2026-10-25",
                    "reason": words,
                    "decision_id": "r",
                    "basis": {"kind": "meeting_decision", "reference": words},
                    "retired_by": words,
                    "retired_at": "t",
                },
            }
        ],
        "clinicians": [
            {
                "id": "k",
                "npi": words,
                "name": words,
                "role": "physician",
                "status": "eligible",
                "eligibility_reason": words,
                "credentials": [
                    {
                        "credential_id": "q",
                        "kind": "license",
                        "number": words,
                        "issuer": words,
                        "issued_on": "d",
                        "expires_on": "d",
                        "status": "verified",
                        "lapsed_by_period_end": False,
                        "verified_on": None,
                        "verified_by": words,
                    }
                ],
            }
        ],
        "audit_readiness": {
            "as_of": "2026-10-31",
            "share": 0.5,
            "required": 2,
            "current": 1,
            "categories": [
                {"category": "protocols", "required": 2, "current": 1, "share": 0.5},
            ],
            "not_current": [
                {
                    "category": "protocols",
                    "id": "p",
                    "title": words,
                    "due_on": "2026-10-01",
                    "done_on": None,
                    "reason": "review_overdue",
                }
            ],
        },
        "seal": None,
        "seal_note": words,
        "generated_at": "2026-11-24T00:00:00Z",
    }


@given(st.text(min_size=1, max_size=40))
def test_no_record_can_add_markup_to_the_page(words: str) -> None:
    page = Page()
    page.feed(html.render(sample(words)))
    page.close()
    assert page.open == []
    assert page.tags <= TAGS

    def newlines(text: str) -> str:  # HTML parsing normalises line breaks; so do we
        return text.replace("\r\n", "\n").replace("\r", "\n")

    assert newlines(words) in newlines(page.text)


def test_the_page_names_every_part_and_has_print_rules() -> None:
    rendered = html.render(sample("Dr. Ada Ng"))
    for part in (
        "meetings",
        "decision-log",
        "corrective-actions",
        "authorizations",
        "protocol-versions",
        "visit-templates",
        "credentials",
        "audit-readiness",
        "seal",
    ):
        assert f'<section id="{part}">' in rendered
    assert "@media print" in rendered
    assert "<script" not in rendered
    assert "http" not in rendered


@pytest.mark.parametrize(
    ("accept", "output", "html_wanted"),
    [
        (None, None, False),
        ("*/*", None, False),
        ("application/json", None, False),
        ("text/html", None, True),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", None, True),
        ("application/json, text/html", None, False),
        ("text/html, application/json", None, True),
        ("application/json;q=0.4, text/html;q=0.9", None, True),
        ("text/html;q=0", None, False),
        ("text/html;q=bogus", None, False),
        ("text/html", "json", False),
        ("application/json", "html", True),
    ],
)
def test_content_negotiation(accept: str | None, output: str | None, html_wanted: bool) -> None:
    assert wants_html(accept, output) is html_wanted


class FakeLedger:
    def __init__(self, seals: dict[int, Seal]) -> None:
        self.seals = seals

    def seal_at(self, position: int) -> Seal | None:
        return self.seals.get(position)

    def sealed_at(self, seal: Seal) -> str:
        return seal.sealed_at.isoformat() if seal.sealed_at else ""


def test_the_seal_is_the_chain_at_the_position_or_says_why_not() -> None:
    at = datetime(2026, 11, 1, tzinfo=UTC)
    ledger: Any = FakeLedger({5: Seal(5, b"d" * 32, b"\x01" * 32, at)})
    assert seal_at(ledger, "pc-governance", 0, None) == (
        None,
        "the period holds no governance record, so there is nothing to seal",
    )
    missing, why = seal_at(ledger, "pc-governance", 6, None)
    assert missing is None
    assert why is not None
    assert "position 6 is not sealed yet" in why
    plain, none = seal_at(ledger, "pc-governance", 5, None)
    assert none is None
    assert plain == {
        "service": "pc-governance",
        "position": 5,
        "link": "01" * 32,
        "sealed_at": at.isoformat(),
    }
    signed, _ = seal_at(ledger, "pc-governance", 5, new_signing_key())
    assert signed is not None
    assert check_signature(signed)


def test_events_are_told_apart_by_their_aggregate() -> None:
    owners = collect._owners()
    scheduled = "services.pc_governance.domain.meeting:Meeting.Scheduled"
    assert collect._owner(scheduled, owners) is Meeting
    assert (
        collect._owner("services.pc_governance.domain.quality:ReviewSample.Opened", owners) is None
    )
    assert collect._owner("services.pc_governance.domain.meeting:Meeting", owners) is None


def test_a_period_holds_its_days_in_utc() -> None:
    history = collect.History(
        start=collect.day_start(date(2026, 10, 1)),
        end=collect.day_start(date(2026, 11, 1)),
        streams={},
    )
    assert history.last_day == date(2026, 10, 31)
    assert history.holds(datetime(2026, 10, 31, 23, 59, 59, tzinfo=UTC))
    assert not history.holds(datetime(2026, 11, 1, tzinfo=UTC))
    assert not history.holds(datetime(2026, 9, 30, 23, 59, tzinfo=UTC))
    assert not history.holds(None)


@pytest.mark.parametrize(
    ("days", "alert"),
    [
        (-1, "expired"),
        (0, "expires within 30 days"),
        (30, "expires within 30 days"),
        (31, "expires within 60 days"),
        (60, "expires within 60 days"),
        (61, "expires within 90 days"),
        (90, "expires within 90 days"),
    ],
)
def test_credential_alerts_follow_the_90_60_30_day_windows(days: int, alert: str) -> None:
    as_of = date(2026, 11, 5)
    assert (
        agenda_sources.credential_alert(date.fromordinal(as_of.toordinal() + days), as_of) == alert
    )


def test_open_items_are_judged_on_the_meeting_day_or_today_if_later() -> None:
    meeting = datetime(2026, 12, 3, 18, tzinfo=UTC)
    assert agenda_sources.reference_day(meeting, date(2026, 11, 24)) == date(2026, 12, 3)
    assert agenda_sources.reference_day(meeting, date(2026, 12, 10)) == date(2026, 12, 10)


def test_a_report_item_lists_its_unfavourable_kpis_and_no_more_than_fifteen() -> None:
    variance = {
        "site_name": "North",
        "kpi": "nps",
        "service_line": None,
        "value": "40",
        "target": "50",
    }
    row = {"month": "2026-10", "revision": 2, "unfavourable": [variance] * 17}
    title = agenda_sources.report_title(row)
    assert title.startswith("MSO performance report 2026-10 (revision 2): 17 unfavourable")
    assert title.count("North nps 40 vs target 50") == 15
    assert title.endswith("; and 2 more")
    assert agenda_sources.report_title(row | {"unfavourable": []}).endswith(
        "no unfavourable variances"
    )


@pytest.mark.parametrize(
    ("effective_from", "ended_on", "listed"),
    [
        (None, None, False),  # a draft
        (date(2026, 9, 15), date(2026, 10, 20), True),  # superseded during the period
        (date(2026, 9, 15), date(2026, 10, 1), False),  # ended the day the period began
        (date(2026, 9, 15), date(2026, 10, 2), True),  # in force on its first day
        (date(2026, 10, 31), None, True),  # from its last day
        (date(2026, 11, 1), None, False),  # from after its end
        (date(2026, 10, 20), date(2026, 10, 20), False),  # cut to nothing by a retirement
        (date(2026, 8, 1), None, True),
    ],
)
def test_a_template_version_is_listed_when_in_force_on_a_day_of_the_period(
    effective_from: date | None, ended_on: date | None, listed: bool
) -> None:
    terms = VisitTerms("Campus", "sports_clearance", None, ["np"], 20, 3, 8)
    version = TemplateVersion(1, terms, "dr-lee", datetime(2026, 8, 1, tzinfo=UTC))
    version.effective_from, version.ended_on = effective_from, ended_on
    assert in_force_during(version, date(2026, 10, 1), date(2026, 10, 31)) is listed
