"""The history of each governance record: every event, who acted, when, in which request.

One route per kind of record, read by the record's own readers. A history lists the
acts and their metadata, not the record's content (read the record for that).
"""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate
from fastapi import APIRouter

from mhg import problems
from mhg.errors import NotFound
from mhg.history import History, HistoryEntry
from mhg.pagination import Page
from services.pc_governance.api.dependencies import Governance, PcReader
from services.pc_governance.domain.authorization import Authorization
from services.pc_governance.domain.clinician import Clinician
from services.pc_governance.domain.clinician_errors import ClinicianNotFound
from services.pc_governance.domain.corrective_action import CorrectiveAction
from services.pc_governance.domain.errors import (
    AuthorizationNotFound,
    CorrectiveActionNotFound,
    ReviewSampleNotFound,
)
from services.pc_governance.domain.meeting import Meeting
from services.pc_governance.domain.meeting_errors import MeetingNotFound
from services.pc_governance.domain.protocol import Protocol
from services.pc_governance.domain.protocol_errors import ProtocolNotFound
from services.pc_governance.domain.quality import ReviewSample
from services.pc_governance.domain.visit_template import VisitTemplate
from services.pc_governance.domain.visit_template_errors import VisitTemplateNotFound

router = APIRouter(tags=["history"])


def _history_route(
    collection: str,
    operation_id: str,
    noun: str,
    kind: type[Aggregate],
    missing: type[NotFound],
) -> None:
    @router.get(
        f"/{collection}/{{record_id}}/history",
        operation_id=operation_id,
        summary=f"Every event of a {noun}, oldest first: type, time, actor, request, causation",
        response_model=Page[HistoryEntry],
        responses=problems.responses(401, 403, 404, 422),
    )
    def record_history(
        record_id: UUID, gov: Governance, _caller: PcReader, history: History
    ) -> Page[HistoryEntry]:
        return history.page(gov, record_id, kind, missing(f"no {noun} {record_id}"))


_history_route(
    "authorizations",
    "getAuthorizationHistory",
    "authorization",
    Authorization,
    AuthorizationNotFound,
)
_history_route("meetings", "getMeetingHistory", "meeting", Meeting, MeetingNotFound)
_history_route("protocols", "getProtocolHistory", "protocol", Protocol, ProtocolNotFound)
_history_route(
    "corrective-actions",
    "getCorrectiveActionHistory",
    "corrective action",
    CorrectiveAction,
    CorrectiveActionNotFound,
)
_history_route("clinicians", "getClinicianHistory", "clinician", Clinician, ClinicianNotFound)
_history_route(
    "quality/reviews",
    "getReviewSampleHistory",
    "chart-review sample",
    ReviewSample,
    ReviewSampleNotFound,
)
_history_route(
    "visit-templates",
    "getVisitTemplateHistory",
    "visit template",
    VisitTemplate,
    VisitTemplateNotFound,
)
