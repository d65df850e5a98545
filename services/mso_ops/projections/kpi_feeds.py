"""The KPI projection: which domain events feed which KPI facts.

Fed: appointment outcomes (no-show rate; a reschedule moves a visit's month, and
entered-in-error takes a counted outcome back), post-visit surveys (NPS), in
kpi_operations.py forms, specimens, claims (and open receivables) and the site readiness
checklist, and in kpi_slots.py slots with bookings and downtime windows (third next
available, site reliability). Audit readiness has its formula (domain/kpis.py) and its fact
(domain/kpi_catalogue.py); it is fed by adding handlers that call the `KpiInputs`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import MetaData
from sqlalchemy.engine import Connection

from mhg.projection import Handler, Projection
from services.mso_ops.domain import kpi_catalogue as c
from services.mso_ops.domain.appointment import FULFILLED, NO_SHOW, Appointment
from services.mso_ops.domain.kpis import DETRACTOR_UP_TO, PROMOTER_FROM
from services.mso_ops.domain.site import Site
from services.mso_ops.domain.survey import PostVisitSurvey
from services.mso_ops.projections import kpi_facts, kpi_operations, kpi_slots
from services.mso_ops.projections.kpi_facts import TABLES, month_of
from services.mso_ops.projections.kpi_inputs import KpiInputs

Handlers = dict[type[Any], Handler]


def visits(inputs: KpiInputs) -> Handlers:
    def booked(conn: Connection, event: Any, _position: int) -> None:
        month = inputs.month_at(conn, event.site_id, event.start)
        inputs.register_subject(conn, event.originator_id, event.site_id, event.service_line, month)

    def came_due(*facts: str) -> Handler:
        def handle(conn: Connection, event: Any, _position: int) -> None:
            subject = inputs.subject(conn, event.originator_id)
            if subject is None:  # pragma: no cover - every outcome follows its booking
                return
            for fact in (c.APPOINTMENTS_CAME_DUE, *facts):
                inputs.add_count(conn, fact, subject.key)

        return handle

    def rescheduled(conn: Connection, event: Any, _position: int) -> None:
        subject = inputs.subject(conn, event.originator_id)
        if subject is None:  # pragma: no cover - a reschedule follows its booking
            return
        month = inputs.month_at(conn, subject.site_id, event.start)
        inputs.move_subject(conn, event.originator_id, month)

    def entered_in_error(conn: Connection, event: Any, _position: int) -> None:
        """A visit that should never have existed no longer counts as having come due."""
        counted = {FULFILLED: (), NO_SHOW: (c.APPOINTMENTS_NO_SHOW,)}.get(event.previous_status)
        subject = inputs.subject(conn, event.originator_id)
        if counted is None or subject is None:
            return
        for fact in (c.APPOINTMENTS_CAME_DUE, *counted):
            inputs.add_count(conn, fact, subject.key, amount=-1)

    def surveyed(conn: Connection, event: Any, _position: int) -> None:
        facts = [c.SURVEY_RESPONSES]
        if event.score >= PROMOTER_FROM:
            facts.append(c.SURVEY_PROMOTERS)
        if event.score <= DETRACTOR_UP_TO:
            facts.append(c.SURVEY_DETRACTORS)
        place = (event.site_id, event.service_line, month_of(event.visit_on))
        for fact in facts:
            inputs.add_count(conn, fact, place)

    return {
        Appointment.Booked: booked,
        Appointment.Fulfilled: came_due(),
        Appointment.NoShow: came_due(c.APPOINTMENTS_NO_SHOW),
        Appointment.Rescheduled: rescheduled,
        Appointment.EnteredInError: entered_in_error,
        PostVisitSurvey.Recorded: surveyed,
    }


def site_zones(inputs: KpiInputs) -> Handlers:
    """A site's zone: the months of its later facts are months on its wall clock."""

    def zoned(conn: Connection, event: Any, _position: int) -> None:
        inputs.set_zone(conn, event.originator_id, event.time_zone)

    return {Site.TimeZoneSet: zoned}


def define(metadata: MetaData) -> None:
    """The tables these feeds fill are those of kpi_facts."""
    kpi_facts.define(metadata)


def projection(metadata: MetaData) -> Projection:
    inputs = KpiInputs(metadata)
    return Projection(
        name="mso_kpi_facts",
        tables=[metadata.tables[name] for name in TABLES],
        handlers=kpi_operations.combined(
            site_zones(inputs),
            visits(inputs),
            kpi_operations.forms(inputs),
            kpi_operations.specimens(inputs),
            kpi_operations.claims(inputs),  # registers the claim that receivables reads
            kpi_operations.receivables(inputs),
            kpi_operations.site_readiness(inputs, metadata),
            kpi_slots.site_reliability(inputs, metadata),  # keeps the slots
            kpi_slots.third_next_available(inputs, metadata),
        ),
        version=2,  # months of a site with a zone are its own (ADR 0027)
    )
