"""The visit templates section of the audit packet: every version in force during the period.

Built like the protocol versions: each template is rebuilt from its events recorded
before the period's end, so a version shows the terms, days, decision and status it
had then. A version is listed when its period [effective_from, ended_on) shares a day
with the audit period; a version cut to nothing by a retirement (it was due after the
retirement day) was never in force and is left out.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from services.pc_governance.domain.visit_template import VisitTemplate
from services.pc_governance.domain.visit_terms import Retirement, TemplateVersion, VisitTerms
from services.pc_governance.packet.collect import History, iso


def visit_template_versions(history: History) -> list[dict[str, Any]]:
    """Template versions in force on some day of the period, template by template, in order."""
    first, last = history.start.date(), history.last_day
    listed = []
    for stream in history.of(VisitTemplate):
        template: VisitTemplate = stream.state
        for v in template.versions:
            if in_force_during(v, first, last):
                listed.append(_version(template, v))
    return listed


def in_force_during(version: TemplateVersion, first: date, last: date) -> bool:
    starts, ends = version.effective_from, version.ended_on
    if starts is None or starts > last:
        return False
    return ends is None or ends > max(first, starts)


def _version(template: VisitTemplate, v: TemplateVersion) -> dict[str, Any]:
    return {
        "template_id": str(template.id),
        "version": v.number,
        "status": v.status,
        "terms": _terms(v.terms),
        "effective_from": iso(v.effective_from),
        "ended_on": iso(v.ended_on),
        "decision_id": None if v.decision_id is None else str(v.decision_id),
        "basis": v.basis,
        "approved_by": v.approved_by,
        "approved_at": iso(v.approved_at),
        "retirement": _retirement(template.retirement),
    }


def _terms(terms: VisitTerms) -> dict[str, Any]:
    return {
        "name": terms.name,
        "service_line": terms.service_line,
        "site_ids": None if terms.site_ids is None else [str(s) for s in terms.site_ids],
        "clinician_roles": list(terms.clinician_roles),
        "visit_minutes": terms.visit_minutes,
        "max_patients_per_clinician_hour": terms.max_patients_per_clinician_hour,
        "max_clinician_hours_per_day": terms.max_clinician_hours_per_day,
    }


def _retirement(retirement: Retirement | None) -> dict[str, Any] | None:
    """The template's retirement, when it was decided before the period's end."""
    if retirement is None:
        return None
    return {
        "ended_on": iso(retirement.ended_on),
        "reason": retirement.reason,
        "decision_id": str(retirement.decision_id),
        "basis": retirement.basis,
        "retired_by": retirement.retired_by,
        "retired_at": iso(retirement.retired_at),
    }
