"""Visit templates: the patient volume and clinician hours the MSO schedules within.

PC physicians draft; only the roles of the decision right `patient_volume_and_clinician_hours`
approve and retire. Approvals and retirements go out on the contract feed. The reading
routes are in `read_routes`.
"""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from mhg.auth import Principal
from mhg.changes import Change, VersionedChange
from mhg.creation import Create, recorded
from mhg.declared import created
from mhg.steps import changing
from services.pc_governance.api.dependencies import (
    VisitTemplateDecider,
    VisitTemplateDrafter,
    VisitTemplates,
)
from services.pc_governance.api.document_decisions import decision_route
from services.pc_governance.api.schemas import VersionNumber
from services.pc_governance.api.visit_templates.schemas import (
    ApproveTemplateIn,
    RetireTemplateIn,
    TermsIn,
    VisitTemplateOut,
)
from services.pc_governance.domain.visit_template import VisitTemplate

router = APIRouter(tags=["visit-templates"])


def _with_terms(
    change: VersionedChange,
    caller: Principal,
    command: Callable[..., VisitTemplate],
    *ids: object,
    body: TermsIn,
) -> VisitTemplateOut:
    """A change that takes the body's terms, checked first (a 422 before any 404 or 412)."""
    terms = body.terms()
    template = command(
        *ids, terms=terms, expected_version=change.expected_version(), meta=change.meta(caller)
    )
    return VisitTemplateOut.of(change.answered(template))


@created(router, "/visit-templates", "draftVisitTemplate", VisitTemplateOut, (401, 403, 422))
def draft_template(
    body: TermsIn, visit_templates: VisitTemplates, caller: VisitTemplateDrafter, create: Create
) -> JSONResponse:
    """Start a visit template, with its first version as a draft"""
    terms = body.terms()

    return create(
        caller,
        body,
        make=lambda template_id, meta: visit_templates.draft_visit_template(
            template_id=template_id, terms=terms, meta=meta
        ),
        find=recorded(visit_templates.exists, visit_templates.visit_template),
        answer=VisitTemplateOut.of,
        location="/visit-templates/{id}",
    )


@changing(
    router, "/visit-templates/{template_id}/versions", "draftVisitTemplateVersion", status_code=201
)
def draft_version(
    template_id: UUID,
    body: TermsIn,
    caller: VisitTemplateDrafter,
    visit_templates: VisitTemplates,
    change: Change,
) -> VisitTemplateOut:
    """Revise an approved template: its next version, as a draft (none may be pending)"""
    change.response.headers["Location"] = f"/visit-templates/{template_id}"
    return _with_terms(
        change, caller, visit_templates.draft_visit_template_version, template_id, body=body
    )


@changing(
    router, "/visit-templates/{template_id}/versions/{number}/draft", "reviseVisitTemplateDraft"
)
def revise_draft(
    template_id: UUID,
    number: VersionNumber,
    body: TermsIn,
    caller: VisitTemplateDrafter,
    visit_templates: VisitTemplates,
    change: Change,
) -> VisitTemplateOut:
    """Replace a draft's terms (an approved version never changes)"""
    return _with_terms(
        change, caller, visit_templates.revise_visit_template_draft, template_id, number, body=body
    )


decision_route(
    router,
    "/visit-templates/{template_id}/versions/{number}/approve",
    "approveVisitTemplateVersion",
    "Approve a draft from a day, on a decision basis; the standing version ends then",
    ApproveTemplateIn,
    VisitTemplateDecider,
    ("visit_templates", VisitTemplates),
    lambda templates: templates.approve_visit_template_version,
    VisitTemplateOut.of,
)
decision_route(
    router,
    "/visit-templates/{template_id}/retire",
    "retireVisitTemplate",
    "Retire the template: no version of it is in force from the given day",
    RetireTemplateIn,
    VisitTemplateDecider,
    ("visit_templates", VisitTemplates),
    lambda templates: templates.retire_visit_template,
    VisitTemplateOut.of,
)
