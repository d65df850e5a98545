"""PC visit templates at the MSO, on each backend: received once through the inbound
policy, listed, and holding schedules and clinical shifts to the version in force."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import select

from mhg.replay_events import event_decoder
from services.mso_ops.application import MsoOpsApplication
from services.mso_ops.domain.schedule import Schedule
from tests.conftest import auth
from tests.integration.conftest import ADMIN, AUDITOR, SCHEDULER
from tests.integration.scheduling_helpers import (
    authorized_site,
    clock,
    create_schedule,
    ok,
    pair,
    problem,
    schedule_body,
    vendor,
)
from tests.integration.services import Pair
from tests.integration.template_feed import (
    approve_template,
    approved,
    deliver,
    retired,
)

__all__ = ["clock", "pair"]  # fixtures

TABLES = ("mso_visit_templates", "mso_visit_template_versions", "mso_schedules", "mso_shifts")


def rows(pair: Pair) -> dict[str, list[Any]]:
    tables = pair.mso_runtime.store.metadata.tables
    with pair.mso_runtime.store.reader.connect() as conn:
        return {
            name: sorted((tuple(r) for r in conn.execute(select(tables[name]))), key=str)
            for name in TABLES
        }


def test_templates_are_recorded_once_listed_by_line_and_rebuild(pair: Pair) -> None:
    first = approved()
    sent = deliver(pair, first)
    deliver(pair, approved(first.template_id, 2, effective_from=date(2027, 2, 1), visit_minutes=30))
    deliver(pair, retired(first, date(2027, 6, 1)))
    physicals = approve_template(pair, service_line="school_physical", name="School physicals")
    head = pair.mso_runtime.application.head_position()
    deliver(pair, first, again=sent)  # the same envelope again: nothing happens
    assert pair.mso_runtime.application.head_position() == head

    page = ok(pair.mso.get("/visit-templates", params={"limit": 1}, headers=AUDITOR))
    [sports] = page["items"]
    assert sports["id"] == str(first.template_id)
    assert [v["version"] for v in sports["versions"]] == [1, 2]
    assert sports["versions"][1]["visit_minutes"] == 30
    assert sports["current_version"] == 2
    assert sports["version_in_force_today"] == 1  # the clock says 4 January 2027
    assert sports["retirement"]["ended_on"] == "2027-06-01"
    rest = ok(
        pair.mso.get("/visit-templates", params={"cursor": page["next_cursor"]}, headers=AUDITOR)
    )
    assert [t["id"] for t in rest["items"]] == [physicals]
    only = ok(
        pair.mso.get("/visit-templates", params={"service_line": "school_physical"}, headers=ADMIN)
    )
    assert [t["id"] for t in only["items"]] == [physicals]
    one = ok(pair.mso.get(f"/visit-templates/{physicals}", headers=SCHEDULER))
    assert one["name"] == "School physicals"
    problem(
        pair.mso.get(f"/visit-templates/{uuid.uuid4()}", headers=ADMIN),
        404,
        "visit-template-not-found",
    )
    assert pair.mso.get("/visit-templates", headers=vendor()).status_code == 403
    assert pair.mso.get("/visit-templates", headers=auth("medical_director")).status_code == 403

    live = rows(pair)
    pair.mso_runtime.projections.rebuild()
    assert rows(pair) == live


def test_a_schedule_runs_only_under_a_template_in_force_and_within_its_limits(pair: Pair) -> None:
    site_id = authorized_site(pair)
    later = approve_template(pair, effective_from=date(2027, 3, 1))
    physicals = approve_template(pair, service_line="school_physical")
    elsewhere = approve_template(pair, site_ids=[uuid.uuid4()])
    for template_id in (later, physicals, elsewhere):
        body = schedule_body(site_id, template_id)
        problem(
            pair.mso.post("/schedules", json=body, headers=ADMIN),
            409,
            "visit-template-not-in-force",
        )
    body = schedule_body(site_id, str(uuid.uuid4()))
    refused = problem(
        pair.mso.post("/schedules", json=body, headers=ADMIN), 422, "visit-template-not-received"
    )
    assert refused["field"] == "template_id"

    template_id = approve_template(pair)  # 20-minute visits, 12 an hour, 10 hours a day
    for changes, field in [
        ({"capacity": 5}, "capacity"),
        (
            {
                "slot_minutes": 15,
                "capacity": 1,
                "weekly": [{"weekday": "tue", "start": "09:00", "end": "10:00"}],
            },
            "slot_minutes",
        ),
        ({"weekly": [{"weekday": "mon", "start": "07:00", "end": "18:00"}]}, "weekly"),
        (
            {"weekly": [{"weekday": "mon", "start": "09:00", "end": "10:00", "capacity": 9}]},
            "weekly[0].capacity",
        ),
    ]:
        body = schedule_body(site_id, template_id, **changes)
        refused = problem(
            pair.mso.post("/schedules", json=body, headers=ADMIN),
            422,
            "visit-template-limit-exceeded",
        )
        assert refused["field"] == field, refused

    made = create_schedule(pair, site_id, template_id=template_id, capacity=8, clinicians=2)
    assert made["template_id"] == template_id
    assert made["clinicians"] == 2
    assert made["template"]["version"] == 1
    assert made["template"]["max_patients_per_clinician_hour"] == 12
    pair.sync()
    [row] = ok(pair.mso.get("/schedules", headers=ADMIN))["items"]
    assert (row["template_id"], row["template_version"], row["clinicians"]) == (template_id, 1, 2)


def test_publication_stops_where_the_template_ends_or_a_stricter_version_begins(
    pair: Pair,
) -> None:
    site_id = authorized_site(pair)
    template = approved()
    deliver(pair, template)
    schedule = create_schedule(pair, site_id, template_id=str(template.template_id))
    url = f"/schedules/{schedule['id']}/publications"
    deliver(pair, retired(template, date(2027, 1, 12)))
    refused = problem(
        pair.mso.post(url, json={"through": "2027-01-17"}, headers=SCHEDULER),
        409,
        "visit-template-not-in-force",
    )
    assert refused["day"] == "2027-01-12"  # the first Tuesday after the end
    published = ok(pair.mso.post(url, json={"through": "2027-01-11"}, headers=SCHEDULER))
    assert published["slots_opened"] == 6

    stricter = approved(site_ids=None)
    deliver(pair, stricter)
    second = create_schedule(pair, site_id, template_id=str(stricter.template_id), capacity=4)
    deliver(
        pair,
        approved(
            stricter.template_id,
            2,
            effective_from=date(2027, 1, 7),
            max_patients_per_clinician_hour=6,
        ),
    )
    url = f"/schedules/{second['id']}/publications"
    problem(
        pair.mso.post(url, json={"through": "2027-01-10"}, headers=SCHEDULER),
        409,
        "schedule-outside-visit-template",
    )
    ok(pair.mso.post(url, json={"through": "2027-01-06"}, headers=SCHEDULER))


def test_a_schedule_stored_before_templates_still_loads(pair: Pair) -> None:
    """A v1 `Schedule.Created` (free-text template) is upcast as it is read."""
    app = pair.mso_runtime.application
    assert isinstance(app, MsoOpsApplication)
    site_id = authorized_site(pair)
    made = create_schedule(pair, site_id)
    [created, *_] = app.events.get(uuid.UUID(made["id"]))
    stored = app.mapper.to_stored_event(created)
    state = app.mapper.transcoder.decode(stored.state)
    for key in ("template_id", "applied_template", "template_label", "clinicians", "class_version"):
        state.pop(key, None)
    state["template"] = "PC template ST-3: one NP, 20-minute visits"
    old = stored.__class__(
        originator_id=stored.originator_id,
        originator_version=stored.originator_version,
        topic=stored.topic,
        state=app.mapper.transcoder.encode(state),
    )
    fast = event_decoder(app.mapper)
    for event in (
        app.mapper.to_domain_event(old),
        fast(old.originator_id.hex, old.originator_version, old.topic, old.state),
    ):
        assert event.template_label == "PC template ST-3: one NP, 20-minute visits"
        schedule = event.mutate(None)
        assert isinstance(schedule, Schedule)
        assert (schedule.template_id, schedule.clinicians, schedule.applied_template) == (
            None,
            1,
            None,
        )
