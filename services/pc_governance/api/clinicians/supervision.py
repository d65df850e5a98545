"""The supervision structure: rules, APP <-> physician assignments, and their violations."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from mhg.bounded import Day
from mhg.changes import Change
from mhg.creation import Create
from mhg.declared import created, listed, shown
from mhg.listing import Listing
from mhg.paged import Pages, paged, remade
from mhg.pagination import Page
from mhg.parts import add_part
from mhg.routed import routed
from mhg.steps import changing
from services.pc_governance.api.clinicians.supervision_schemas import (
    AssignmentIn,
    AssignmentOut,
    AssignmentRow,
    EndAssignmentIn,
    SupervisionRulesIn,
    SupervisionRulesOut,
    ViolationRow,
)
from services.pc_governance.api.dependencies import (
    PcReader,
    Supervision,
    SupervisionDecider,
)
from services.pc_governance.application import clock
from services.pc_governance.projections import clinicians as read_side

router = APIRouter(tags=["supervision"])


ASSIGNMENTS = Listing(read_side.ASSIGNMENTS, AssignmentRow)
VIOLATIONS = Listing(read_side.VIOLATIONS, AssignmentRow)


@shown(router, "/supervision/rules", "getSupervisionRules", PcReader)
def get_rules(supervision: Supervision) -> SupervisionRulesOut:
    """The supervision rules in force: APPs per physician and chart-review share"""
    return SupervisionRulesOut.of(supervision.supervision())


@routed(router, "PUT /supervision/rules", "setSupervisionRules", 409, 412, 422)
def set_rules(
    body: SupervisionRulesIn, caller: SupervisionDecider, supervision: Supervision, change: Change
) -> SupervisionRulesOut:
    """Set the supervision rules (refused if current assignments would exceed them)"""
    return SupervisionRulesOut.of(change(caller, supervision.set_supervision_rules, body=body))


@created(
    router, "/supervision/assignments", "assignSupervision", AssignmentOut, (401, 403, 409, 422)
)
def assign(
    body: AssignmentIn, supervision: Supervision, caller: SupervisionDecider, create: Create
) -> JSONResponse:
    """Assign an eligible physician to supervise an eligible APP, within the rules"""
    return add_part(
        create,
        caller,
        body,
        add=lambda assignment_id, meta: supervision.assign_supervision(
            assignment_id=assignment_id, meta=meta, **body.model_dump()
        ),
        whole=lambda: supervision.supervision() if supervision.supervision_exists() else None,
        holds=lambda structure, assignment_id: assignment_id in structure.assignments,
        answer=AssignmentOut.of,
        location="/supervision/assignments/{id}",
    )


@shown(router, "/supervision/assignments/{assignment_id}", "getSupervisionAssignment", PcReader)
def get_assignment(assignment_id: UUID, supervision: Supervision) -> AssignmentOut:
    """One supervision assignment"""
    return AssignmentOut.of(supervision.supervision(), assignment_id)


@changing(router, "/supervision/assignments/{assignment_id}/end", "endSupervisionAssignment")
def end_assignment(
    assignment_id: UUID,
    body: EndAssignmentIn,
    caller: SupervisionDecider,
    supervision: Supervision,
    change: Change,
) -> AssignmentOut:
    """End an assignment on its last day"""
    structure = change(caller, supervision.end_supervision, assignment_id, body=body)
    return AssignmentOut.of(structure, assignment_id)


@listed(router, "/supervision/assignments", "listSupervisionAssignments", ASSIGNMENTS, PcReader)
def list_assignments(
    physician_id: UUID | None = None,
    app_id: UUID | None = None,
    active_on: Day | None = None,
    status: Literal["active", "ended"] | None = None,
) -> None:
    """Supervision assignments, oldest first"""


@paged(router, "/supervision/violations", "listSupervisionViolations", PcReader)
def list_violations(
    pages: Pages,
    physician_id: UUID | None = None,
    app_id: UUID | None = None,
    on: Day | None = None,
) -> Page[ViolationRow]:
    """Assignments, current or upcoming, whose physician or APP is no longer eligible"""
    page = pages(
        VIOLATIONS,
        physician_id=physician_id,
        app_id=app_id,
        not_over_on=on or clock.today(),
        someone_ineligible=True,
    )
    return remade(page, ViolationRow.of)
