"""Post-visit surveys: a 0-10 score per fulfilled visit, the input of the NPS."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy import ColumnElement

from mhg import problems
from mhg.bounded import Day
from mhg.idempotency import IdempotencyKey
from mhg.pagination import CursorParam, LimitParam, Page, read_page
from mhg.routes import Runtime, create_idempotently
from mhg.web import command_meta, set_etag
from services.mso_ops.api.dependencies import MsoReader, Scheduler, Surveys
from services.mso_ops.api.performance_schemas import SurveyIn, SurveyOut, SurveyRow
from services.mso_ops.api.schemas import ServiceLineCode

router = APIRouter(tags=["performance"])


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
    body: SurveyIn,
    request: Request,
    rt: Runtime,
    surveys: Surveys,
    caller: Scheduler,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    meta = command_meta(request, caller)

    def create(_new_id: UUID) -> dict[str, object]:
        survey = surveys.record_survey(
            appointment_id=body.appointment_id, score=body.score, meta=meta
        )
        return SurveyOut.of(survey).model_dump(mode="json")

    def existing(_new_id: UUID) -> dict[str, object] | None:
        survey = surveys.survey_of(body.appointment_id)
        return None if survey is None else SurveyOut.of(survey).model_dump(mode="json")

    return create_idempotently(
        rt,
        caller,
        idempotency_key,
        "recordSurvey",
        body.model_dump(mode="json"),
        create=create,
        existing=existing,
        location=lambda b: f"/surveys/{b['id']}",
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
    table = rt.store.metadata.tables["mso_surveys"]
    filters: list[ColumnElement[bool]] = []
    if site_id:
        filters.append(table.c.site_id == site_id)
    if service_line:
        filters.append(table.c.service_line == service_line)
    if visit_from:
        filters.append(table.c.visit_on >= visit_from)
    if visit_before:
        filters.append(table.c.visit_on < visit_before)
    rows, next_cursor = read_page(
        rt.store.reader, table, cursor=cursor, limit=limit, filters=filters
    )
    return Page[SurveyRow](
        items=[SurveyRow.model_validate(r) for r in rows], next_cursor=next_cursor
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
    survey = surveys.survey(survey_id)
    set_etag(response, survey.version)
    return SurveyOut.of(survey)
