"""A post-visit survey: one score from 0 to 10 for a fulfilled visit, counted into the NPS.

Only the score is kept, with the visit's site, service line and day (on the site's clock,
ADR 0027): no patient data and no free text, so nothing clinical or identifying can reach
the survey or the report.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date
from uuid import UUID
from zoneinfo import ZoneInfo

from eventsourcing.domain import Aggregate, event

from mhg.meta import Meta
from services.mso_ops.domain.appointment import FULFILLED, Appointment
from services.mso_ops.domain.performance_errors import InvalidSurveyScore, VisitNotFulfilled

_NAMESPACE = uuid.UUID("c2e9a7d4-1f3b-4e8a-b6d2-9a4f0c5e7b13")


class PostVisitSurvey(Aggregate):
    @staticmethod
    def create_id(appointment_id: UUID) -> UUID:
        return uuid.uuid5(_NAMESPACE, str(appointment_id))

    @classmethod
    def record(
        cls, *, visit: Appointment, score: int, meta: Meta, zone: str | None = None
    ) -> PostVisitSurvey:
        """The survey of a fulfilled visit; its `visit_on` is the day of the visit at its
        site (in `zone`; the UTC day for a site without one)."""
        if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 10:
            raise InvalidSurveyScore(f"{score!r} is not a score from 0 to 10", field="score")
        if visit.status != FULFILLED:
            raise VisitNotFulfilled(
                f"appointment {visit.id} is {visit.status}; a survey follows a fulfilled visit",
                appointment_status=visit.status,
            )
        return cls(
            id=cls.create_id(visit.id),
            appointment_id=visit.id,
            site_id=visit.site_id,
            service_line=visit.service_line,
            visit_on=visit.start.astimezone(UTC if zone is None else ZoneInfo(zone)).date(),
            score=score,
            meta=meta,
        )

    class Recorded(Aggregate.Created):
        appointment_id: UUID
        site_id: UUID
        service_line: str
        visit_on: date
        score: int
        meta: Meta

    @event(Recorded)
    def __init__(
        self,
        id: UUID,
        appointment_id: UUID,
        site_id: UUID,
        service_line: str,
        visit_on: date,
        score: int,
        meta: Meta,
    ) -> None:
        self.appointment_id = appointment_id
        self.site_id = site_id
        self.service_line = service_line
        self.visit_on = visit_on
        self.score = score
