"""A site's operating term: a proposed term checked, the term in force on a day as the PC's
decisions arrive, and a change stored before terms read back with none."""

from __future__ import annotations

import json
import uuid
from datetime import date
from typing import Any

import pytest
from eventsourcing.persistence import StoredEvent

from services.mso_ops.domain.availability import Hours
from services.mso_ops.domain.operating_term import checked_term, require_hours, require_staffing
from services.mso_ops.domain.operating_terms import SiteOperatingTerms
from services.mso_ops.domain.pc_answer import PcApproval
from services.mso_ops.domain.site_change import SiteChange
from services.mso_ops.domain.site_errors import InvalidSiteChange, OperatingTermExceeded
from tests.unit.test_replay_events import META, mapper

MORNINGS = {"openings": [{"weekday": "tue", "opens": "08:00", "closes": "12:00"}]}


def change(
    term: dict[str, Any] | None, aspect: str = "hours", effective_date: date | None = None
) -> SiteChange:
    text = {"site_name": "Eastside", "proposed": "text", "description": "d", "previous": None}
    made = SiteChange(
        id=uuid.uuid4(), site_id=SITE, aspect=aspect, meta=META, operating_term=term, **text
    )
    if effective_date is not None:
        made.record_approval(PcApproval(uuid.uuid4(), uuid.uuid4(), effective_date, []), META)
    return made


SITE = uuid.uuid4()


def in_force_from(terms: SiteOperatingTerms, day: date) -> str | None:
    """The change whose hours are in force on the day."""
    term = terms.in_force("hours", day)
    return None if term is None else term.change_id


def test_a_proposed_term_is_put_in_order_and_refused_when_it_cannot_be() -> None:
    given = {
        "openings": [
            {"weekday": "sat", "opens": "09:00", "closes": "13:00"},
            {"weekday": "mon", "opens": "13:00", "closes": "17:00"},
            {"weekday": "mon", "opens": "08:00", "closes": "12:00"},
        ]
    }
    ordered = checked_term("hours", given)
    assert ordered is not None
    assert [(o["weekday"], o["opens"]) for o in ordered["openings"]] == [
        ("mon", "08:00"),
        ("mon", "13:00"),
        ("sat", "09:00"),
    ]
    staffing = {"max_clinicians_per_session": 2, "clinician_roles": ["pa", "np"]}
    assert checked_term("staffing_model", staffing) == {
        "max_clinicians_per_session": 2,
        "clinician_roles": ["np", "pa"],
    }
    assert checked_term("lab_vendor", None) is None
    for aspect, bad in (
        ("hours", {"openings": [{"weekday": "mon", "opens": "08:00", "closes": "24:00"}]}),
        ("hours", {"openings": [{"weekday": "mon", "opens": "12:00", "closes": "12:00"}]}),
        ("lab_vendor", MORNINGS),
        ("staffing_model", {"max_clinicians_per_session": 21, "clinician_roles": ["np"]}),
    ):
        with pytest.raises(InvalidSiteChange):
            checked_term(aspect, bad)


def test_the_term_in_force_follows_effective_dates_and_withdrawals() -> None:
    first = change(MORNINGS, effective_date=date(2027, 1, 1))
    later = change(
        {"openings": [{"weekday": "tue", "opens": "08:00", "closes": "18:00"}]},
        effective_date=date(2027, 3, 1),
    )
    terms = SiteOperatingTerms(site_id=SITE, meta=META)
    assert terms.id == SiteOperatingTerms.create_id(SITE)
    assert terms.in_force("hours", date(2027, 2, 1)) is None
    terms.approve(first, uuid.uuid4(), META)
    terms.approve(later, uuid.uuid4(), META)
    assert terms.in_force("hours", date(2026, 12, 31)) is None, "before the first: none"
    assert in_force_from(terms, date(2027, 2, 1)) == str(first.id)
    assert in_force_from(terms, date(2027, 3, 1)) == str(later.id)
    assert terms.in_force("staffing_model", date(2027, 3, 1)) is None
    terms.withdraw(later.id, "suspended", uuid.uuid4(), META)
    assert in_force_from(terms, date(2027, 3, 1)) == str(first.id)
    terms.reinstate(later.id, uuid.uuid4(), META)
    assert in_force_from(terms, date(2027, 3, 1)) == str(later.id)
    rebuilt: Any = None
    for event in terms.collect_events():
        rebuilt = event.mutate(rebuilt)
    assert rebuilt.history() == terms.history()


def test_judging_against_the_term_names_it() -> None:
    terms = SiteOperatingTerms(site_id=SITE, meta=META)
    terms.approve(change(MORNINGS, effective_date=date(2027, 1, 1)), uuid.uuid4(), META)
    hours = terms.in_force("hours", date(2027, 1, 5))
    require_hours(hours, [("tue", Hours(start="08:00", end="12:00"))], "2027-01-05")
    require_hours(None, [("sun", Hours(start="00:00", end="23:00"))], "2027-01-05")
    with pytest.raises(OperatingTermExceeded) as refused:
        require_hours(hours, [("tue", Hours(start="11:00", end="12:20"))], "2027-01-05")
    assert "tue 08:00-12:00" in refused.value.detail
    assert refused.value.extensions["term"] == MORNINGS
    require_staffing(None, clinicians=9, on=date(2027, 1, 5))


def test_a_change_stored_before_structured_terms_reads_back_with_none() -> None:
    made = change(MORNINGS)
    requested = mapper().to_stored_event(made.collect_events()[0])
    state = json.loads(requested.state)
    del state["operating_term"], state["class_version"]
    older = StoredEvent(requested.originator_id, 1, requested.topic, json.dumps(state).encode())
    read = mapper().to_domain_event(older)
    assert vars(read)["operating_term"] is None
