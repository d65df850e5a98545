"""Chart review: samples per clinician and period, their findings, and quality scores."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy import ColumnElement, Table

from mhg import problems
from mhg.changes import Change
from mhg.idempotency import IdempotencyKey
from mhg.pagination import CursorParam, LimitParam, Page, read_page
from mhg.routes import Runtime, create_idempotently
from mhg.web import IfMatch, command_meta, expected_version, set_etag
from services.pc_governance.api.dependencies import (
    ChartReviewer,
    Governance,
    PcReader,
    QualityDecider,
)
from services.pc_governance.api.quality_schemas import (
    PERIOD_PATTERN,
    SERVICE_LINE_PATTERN,
    CompleteReviewIn,
    FindingIn,
    FindingOut,
    QualityScoreRow,
    ReviewSampleIn,
    ReviewSampleOut,
    ReviewSampleRow,
    finding_out,
)

router = APIRouter(tags=["quality"])

Status = Literal["open", "completed"]
PeriodQuery = Annotated[
    str | None, Query(pattern=PERIOD_PATTERN, max_length=7, description="A month: 2026-11")
]
ServiceLineQuery = Annotated[str | None, Query(pattern=SERVICE_LINE_PATTERN, max_length=64)]


@router.post(
    "/quality/reviews",
    operation_id="openReviewSample",
    summary="Open a chart-review sample: one clinician's charts, for a service line and period",
    status_code=201,
    response_model=ReviewSampleOut,
    responses=problems.responses(401, 403, 409, 422),
)
def open_review_sample(
    body: ReviewSampleIn,
    request: Request,
    rt: Runtime,
    gov: Governance,
    caller: QualityDecider,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    meta = command_meta(request, caller)

    def create(sample_id: UUID) -> dict[str, object]:
        sample = gov.open_review_sample(sample_id=sample_id, meta=meta, **body.model_dump())
        return ReviewSampleOut.of(sample).model_dump(mode="json")

    def existing(sample_id: UUID) -> dict[str, object] | None:
        if not gov.review_sample_exists(sample_id):
            return None
        return ReviewSampleOut.of(gov.review_sample(sample_id)).model_dump(mode="json")

    return create_idempotently(
        rt,
        caller,
        idempotency_key,
        "openReviewSample",
        body.model_dump(mode="json"),
        create=create,
        existing=existing,
        location=lambda b: f"/quality/reviews/{b['id']}",
    )


def _subject_filters(
    table: Table, period: str | None, clinician_id: UUID | None, service_line: str | None
) -> list[ColumnElement[bool]]:
    filters: list[ColumnElement[bool]] = []
    if period:
        filters.append(table.c.period == period)
    if clinician_id:
        filters.append(table.c.clinician_id == clinician_id)
    if service_line:
        filters.append(table.c.service_line == service_line)
    return filters


@router.get(
    "/quality/reviews",
    operation_id="listReviewSamples",
    summary="Chart-review samples, oldest first",
    response_model=Page[ReviewSampleRow],
    responses=problems.responses(401, 403, 422),
)
def list_review_samples(
    rt: Runtime,
    _caller: PcReader,
    cursor: CursorParam = None,
    limit: LimitParam = 50,
    status: Status | None = None,
    period: PeriodQuery = None,
    clinician_id: UUID | None = None,
    service_line: ServiceLineQuery = None,
) -> Page[ReviewSampleRow]:
    table = rt.store.metadata.tables["pc_review_samples"]
    filters = _subject_filters(table, period, clinician_id, service_line)
    if status:
        filters.append(table.c.status == status)
    rows, next_cursor = read_page(
        rt.store.reader, table, cursor=cursor, limit=limit, filters=filters
    )
    return Page[ReviewSampleRow](
        items=[ReviewSampleRow.model_validate(r) for r in rows], next_cursor=next_cursor
    )


@router.get(
    "/quality/reviews/{sample_id}",
    operation_id="getReviewSample",
    summary="One chart-review sample with its findings and, once completed, its score",
    response_model=ReviewSampleOut,
    responses=problems.responses(401, 403, 404, 422),
)
def get_review_sample(
    sample_id: UUID, response: Response, gov: Governance, _caller: PcReader
) -> ReviewSampleOut:
    sample = gov.review_sample(sample_id)
    set_etag(response, sample.version)
    return ReviewSampleOut.of(sample)


@router.post(
    "/quality/reviews/{sample_id}/findings",
    operation_id="recordFinding",
    summary="Record a finding on one chart of an open sample (severity none for a clean chart)",
    status_code=201,
    response_model=FindingOut,
    responses=problems.responses(401, 403, 404, 409, 412, 422),
)
def record_finding(
    sample_id: UUID,
    body: FindingIn,
    request: Request,
    rt: Runtime,
    gov: Governance,
    caller: ChartReviewer,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    meta = command_meta(request, caller)
    version = expected_version(if_match)

    def create(finding_id: UUID) -> dict[str, object]:
        sample = gov.record_finding(
            sample_id,
            finding_id=finding_id,
            expected_version=version,
            meta=meta,
            **body.model_dump(),
        )
        return finding_out(sample, sample.finding(finding_id)).model_dump(mode="json")

    def existing(finding_id: UUID) -> dict[str, object] | None:
        sample = gov.review_sample(sample_id)
        if not any(f.finding_id == finding_id for f in sample.findings):
            return None
        return finding_out(sample, sample.finding(finding_id)).model_dump(mode="json")

    return create_idempotently(
        rt,
        caller,
        idempotency_key,
        f"recordFinding:{sample_id}",
        body.model_dump(mode="json"),
        create=create,
        existing=existing,
        location=lambda b: f"/quality/reviews/{sample_id}/findings/{b['id']}",
    )


@router.get(
    "/quality/reviews/{sample_id}/findings/{finding_id}",
    operation_id="getFinding",
    summary="One finding of a chart-review sample",
    response_model=FindingOut,
    responses=problems.responses(401, 403, 404, 422),
)
def get_finding(
    sample_id: UUID, finding_id: UUID, response: Response, gov: Governance, _caller: PcReader
) -> FindingOut:
    sample = gov.review_sample(sample_id)
    set_etag(response, sample.version)
    return finding_out(sample, sample.finding(finding_id))


@router.post(
    "/quality/reviews/{sample_id}/complete",
    operation_id="completeReviewSample",
    summary="Complete a sample once every chart has a finding; its score is then fixed",
    response_model=ReviewSampleOut,
    responses=problems.responses(401, 403, 404, 409, 412, 422),
)
def complete_review_sample(
    sample_id: UUID, body: CompleteReviewIn, caller: ChartReviewer, gov: Governance, change: Change
) -> ReviewSampleOut:
    return ReviewSampleOut.of(change(caller, gov.complete_review_sample, sample_id, body=body))


@router.get(
    "/quality/scores",
    operation_id="listQualityScores",
    summary="Chart-review scores per clinician, service line and period, from completed samples",
    response_model=Page[QualityScoreRow],
    responses=problems.responses(401, 403, 422),
)
def list_quality_scores(
    rt: Runtime,
    _caller: PcReader,
    cursor: CursorParam = None,
    limit: LimitParam = 50,
    period: PeriodQuery = None,
    clinician_id: UUID | None = None,
    service_line: ServiceLineQuery = None,
) -> Page[QualityScoreRow]:
    table = rt.store.metadata.tables["pc_quality_scores"]
    rows, next_cursor = read_page(
        rt.store.reader,
        table,
        cursor=cursor,
        limit=limit,
        filters=_subject_filters(table, period, clinician_id, service_line),
    )
    return Page[QualityScoreRow](
        items=[QualityScoreRow.model_validate(r) for r in rows], next_cursor=next_cursor
    )
