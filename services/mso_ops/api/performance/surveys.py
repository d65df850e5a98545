"""Post-visit surveys: a 0-10 score per fulfilled visit, the input of the NPS."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response
from fastapi.responses import JSONResponse

from mhg import problems
from mhg.bounded import Day
from mhg.changes import read
from mhg.creation import Create
from mhg.listing import Listing, at_least, below
from mhg.pagination import CursorParam, LimitParam, Page
from mhg.routes import Runtime
from services.mso_ops.api.day_filters import SITE_AND_LINE
from services.mso_ops.api.dependencies import MsoReader, Scheduler, Surveys
from services.mso_ops.api.performance.schemas import SurveyIn, SurveyOut, SurveyRow
from services.mso_ops.api.schemas import ServiceLineCode

router = APIRouter(tags=["performance"])

SURVEYS = Listing(
    "mso_surveys",
    SurveyRow,
    **SITE_AND_LINE,
    visit_from=at_least("visit_on"),
    visit_before=below("visit_on"),
)


@router.post(
    "/surveys",
    operation_id="recordSurvey",
    summary="Record the post-visit survey of a fulfilled visit (a score from 0 to 10)",
    description=(
        "One survey per visit: a second is refused with 409 `survey-already-recorded`; a "
        "visit that is not fulfilled with 409 `visit-not-fulfilled`. The survey keeps the "
        "visit's site, service line and day, and no patient data."
    ),
    status_code=201,
    response_model=SurveyOut,
    responses=problems.responses(401, 403, 404, 409, 422),
)
def record_survey(
    body: SurveyIn, create: Create, surveys: Surveys, caller: Scheduler
) -> JSONResponse:
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


@router.get(
    "/surveys",
    operation_id="listSurveys",
    summary="Post-visit surveys in the order recorded, filtered by site, line and visit day",
    response_model=Page[SurveyRow],
    responses=problems.responses(401, 403, 422),
)
def list_surveys(
    rt: Runtime,
    _caller: MsoReader,
    cursor: CursorParam = None,
    limit: LimitParam = 50,
    site_id: UUID | None = None,
    service_line: ServiceLineCode | None = None,
    visit_from: Annotated[Day | None, Query(description="Visits on or after this day")] = None,
    visit_before: Annotated[Day | None, Query(description="Visits before this day")] = None,
) -> Page[SurveyRow]:
    return SURVEYS.page(
        rt,
        cursor,
        limit,
        site_id=site_id,
        service_line=service_line,
        visit_from=visit_from,
        visit_before=visit_before,
    )


@router.get(
    "/surveys/{survey_id}",
    operation_id="getSurvey",
    summary="One post-visit survey",
    response_model=SurveyOut,
    responses=problems.responses(401, 403, 404, 422),
)
def get_survey(
    survey_id: UUID, response: Response, surveys: Surveys, _caller: MsoReader
) -> SurveyOut:
    return SurveyOut.of(read(response, surveys.survey(survey_id)))
