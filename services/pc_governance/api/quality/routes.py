"""Chart review: samples per clinician and period, their findings, and quality scores."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from mhg.declared import listed, shown
from mhg.listing import Listing
from mhg.parts import AddPart
from mhg.resource import Resource
from mhg.steps import Steps, changing
from services.pc_governance.api.dependencies import (
    ChartReviewer,
    PcReader,
    Quality,
    QualityDecider,
)
from services.pc_governance.api.quality.schemas import (
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
from services.pc_governance.projections import quality as read_side

router = APIRouter(tags=["quality"])

Status = Literal["open", "completed"]
PeriodQuery = Annotated[
    str | None, Query(pattern=PERIOD_PATTERN, max_length=7, description="A month: 2026-11")
]
ServiceLineQuery = Annotated[str | None, Query(pattern=SERVICE_LINE_PATTERN, max_length=64)]

SAMPLES = Listing(read_side.SAMPLES, ReviewSampleRow)
SCORES = Listing(read_side.SCORES, QualityScoreRow)


SAMPLE = Resource(
    router,
    "/quality/reviews/{sample_id}",
    Quality,
    ReviewSampleOut.of,
    lambda quality: quality.review_sample,
)
SAMPLE.created(
    "openReviewSample",
    "Open a chart-review sample: one clinician's charts, for a service line and period",
    ReviewSampleIn,
    QualityDecider,
    lambda quality: quality.open_review_sample,
)


@listed(router, "/quality/reviews", "listReviewSamples", SAMPLES, PcReader)
def list_review_samples(
    status: Status | None = None,
    period: PeriodQuery = None,
    clinician_id: UUID | None = None,
    service_line: ServiceLineQuery = None,
) -> None:
    """Chart-review samples, oldest first"""


SAMPLE.shown(
    "getReviewSample",
    "One chart-review sample with its findings and, once completed, its score",
    PcReader,
)


@changing(
    router,
    "/quality/reviews/{sample_id}/findings",
    "recordFinding",
    status_code=201,
    answer=FindingOut,
)
def record_finding(
    sample_id: UUID, body: FindingIn, quality: Quality, caller: ChartReviewer, add: AddPart
) -> JSONResponse:
    """Record a finding on one chart of an open sample (severity none for a clean chart)"""
    return add(
        caller,
        quality.record_finding,
        sample_id,
        body=body,
        part="finding_id",
        whole=quality.review_sample,
        holds=lambda sample, finding_id: any(f.finding_id == finding_id for f in sample.findings),
        answer=lambda sample, finding_id: finding_out(sample, sample.finding(finding_id)),
        location="/quality/reviews/{review_sample_id}/findings/{id}",
    )


@shown(router, "/quality/reviews/{sample_id}/findings/{finding_id}", "getFinding", PcReader)
def get_finding(sample_id: UUID, finding_id: UUID, quality: Quality) -> FindingOut:
    """One finding of a chart-review sample"""
    sample = quality.review_sample(sample_id)
    return finding_out(sample, sample.finding(finding_id))


STEPS = Steps(router, "/quality/reviews/{sample_id}", Quality, ReviewSampleOut.of)
STEPS.step(
    "complete",
    "completeReviewSample",
    "Complete a sample once every chart has a finding; its score is then fixed",
    CompleteReviewIn,
    ChartReviewer,
    lambda quality: quality.complete_review_sample,
)


@listed(router, "/quality/scores", "listQualityScores", SCORES, PcReader)
def list_quality_scores(
    period: PeriodQuery = None,
    clinician_id: UUID | None = None,
    service_line: ServiceLineQuery = None,
) -> None:
    """Chart-review scores per clinician, service line and period, from completed samples"""
