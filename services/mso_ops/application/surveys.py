"""Post-visit surveys: one score per fulfilled visit, the input of the NPS."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from mhg.eventstore import ServiceApplication
from mhg.meta import Meta
from services.mso_ops.application.appointments import AppointmentCommands
from services.mso_ops.application.records import known_site
from services.mso_ops.domain.performance_errors import SurveyAlreadyRecorded, SurveyNotFound
from services.mso_ops.domain.survey import PostVisitSurvey


@dataclass(eq=False)
class SurveyCommands:
    store: ServiceApplication
    appointments: AppointmentCommands

    def record_survey(self, *, appointment_id: UUID, score: int, meta: Meta) -> PostVisitSurvey:
        visit = self.appointments.appointment(appointment_id)
        if PostVisitSurvey.create_id(appointment_id) in self.store.repository:
            raise SurveyAlreadyRecorded(f"appointment {appointment_id} has its survey already")
        zone = known_site(self.store, visit.site_id).time_zone
        survey = PostVisitSurvey.record(visit=visit, score=score, meta=meta, zone=zone)
        self.store.record(survey)
        return survey

    def survey(self, survey_id: UUID) -> PostVisitSurvey:
        return self.store.load_as(
            PostVisitSurvey, survey_id, SurveyNotFound, f"no survey {survey_id}"
        )

    def survey_of(self, appointment_id: UUID) -> PostVisitSurvey | None:
        survey_id = PostVisitSurvey.create_id(appointment_id)
        return self.survey(survey_id) if survey_id in self.store.repository else None
