"""Post-visit surveys: a 0-10 score per fulfilled visit, the input of the NPS."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from mhg.bounded import Day
from mhg.creation import Create
from mhg.declared import created, listed
from mhg.listing import Listing
from mhg.steps import Steps
from services.mso_ops.api.dependencies import MsoReader, Scheduler, Surveys
from services.mso_ops.api.performance.schemas import SurveyIn, SurveyOut, SurveyRow
from services.mso_ops.api.schemas import ServiceLineCode
from services.mso_ops.projections import performance as performance_rows

router = APIRouter(tags=["performance"])

SURVEYS = Listing(performance_rows.SURVEYS, SurveyRow)


@created(
    router,
    "/surveys",
    "recordSurvey",
    SurveyOut,
    (401, 403, 404, 409, 422),
    description=(
        "One survey per visit: a second is refused with 409 `survey-already-recorded`; a "
        "visit that is not fulfilled with 409 `visit-not-fulfilled`. The survey keeps the "
        "visit's site, service line and day, and no patient data."
    ),
)
def record_survey(
    body: SurveyIn, create: Create, surveys: Surveys, caller: Scheduler
) -> JSONResponse:
    """Record the post-visit survey of a fulfilled visit (a score from 0 to 10)"""
    return create(
        caller,
        body,
        make=lambda _new_id, meta: surveys.record_survey(
            appointment_id=body.appointment_id, score=body.score, meta=meta
        ),
        find=lambda _new_id: surveys.survey_of(body.appointment_id),
        answer=SurveyOut.of,
        location="/surveys/{id}",
    )


@listed(router, "/surveys", "listSurveys", SURVEYS, MsoReader)
def list_surveys(
    site_id: UUID | None = None,
    service_line: ServiceLineCode | None = None,
    visit_from: Annotated[Day | None, Query(description="Visits on or after this day")] = None,
    visit_before: Annotated[Day | None, Query(description="Visits before this day")] = None,
) -> None:
    """Post-visit surveys in the order recorded, filtered by site, line and visit day"""


SURVEY = Steps(router, "/surveys/{survey_id}", Surveys, SurveyOut.of)
SURVEY.shown("getSurvey", "One post-visit survey", MsoReader, lambda surveys: surveys.survey)
