"""Coverage gaps: shifts that need clinical coverage and fail the PC's rules, with reasons.

Run inside the staffing projection, on the rows it keeps, so a gap opens, changes or
clears in the same transaction as the fact that caused it: a shift scheduled or
restaffed, a clinician's eligibility, a new supervision structure. A PC fact is
applied only to shifts that end after it took effect: a shift already over keeps the
gaps it had under the facts of its day.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Table, and_, delete, select, update
from sqlalchemy.engine import Connection

from services.mso_ops.domain.coverage import (
    Rules,
    Shortfall,
    StaffedTemplate,
    Standing,
    shortfalls,
)
from services.mso_ops.domain.shift import SCHEDULED
from services.mso_ops.projections.visit_templates import TemplateTables


class CoverageTables:
    def __init__(self, tables: dict[str, Table], templates: TemplateTables) -> None:
        self.templates = templates
        self.shifts = tables["mso_shifts"]
        self.shift_staff = tables["mso_shift_staff"]
        self.eligibility = tables["mso_clinician_eligibility"]
        self.rules = tables["mso_supervision_rules"]
        self.pairings = tables["mso_supervision_pairings"]
        self.gaps = tables["mso_coverage_gaps"]

    def shifts_of_clinician(
        self, conn: Connection, clinician_id: UUID, after: datetime
    ) -> list[UUID]:
        s, staff = self.shifts, self.shift_staff
        query = (
            select(s.c.id)
            .join(staff, staff.c.shift_id == s.c.id)
            .where(staff.c.clinician_id == clinician_id, s.c.end > after)
        )
        return list(conn.execute(query).scalars())

    def shifts_of_template(
        self, conn: Connection, template_id: UUID, after: datetime
    ) -> list[UUID]:
        s = self.shifts
        query = select(s.c.id).where(s.c.template_id == template_id, s.c.end > after)
        return list(conn.execute(query).scalars())

    def shifts_with_clinicians(self, conn: Connection, after: datetime) -> list[UUID]:
        s, staff = self.shifts, self.shift_staff
        query = (
            select(s.c.id)
            .join(staff, staff.c.shift_id == s.c.id)
            .where(staff.c.clinician_id.is_not(None), s.c.end > after)
            .distinct()
        )
        return list(conn.execute(query).scalars())

    def reevaluate(self, conn: Connection, shift_ids: Iterable[UUID], at: datetime) -> None:
        rules = self._rules(conn)
        for shift_id in shift_ids:
            self._evaluate(conn, shift_id, rules, at)

    def _rules(self, conn: Connection) -> Rules | None:
        held = conn.execute(select(self.rules)).first()
        if held is None:
            return None
        pairings = [dict(r._mapping) for r in conn.execute(select(self.pairings))]
        return Rules.published(held.max_apps_per_physician, pairings)

    def _evaluate(
        self, conn: Connection, shift_id: UUID, rules: Rules | None, at: datetime
    ) -> None:
        shift = conn.execute(select(self.shifts).where(self.shifts.c.id == shift_id)).first()
        found: list[Shortfall] = []
        if shift is not None and shift.status == SCHEDULED and shift.needs_clinical_coverage:
            clinicians = list(
                conn.execute(
                    select(self.shift_staff.c.clinician_id)
                    .where(
                        and_(
                            self.shift_staff.c.shift_id == shift_id,
                            self.shift_staff.c.clinician_id.is_not(None),
                        )
                    )
                    .order_by(self.shift_staff.c.position)
                ).scalars()
            )
            standings = {
                row.clinician_id: Standing(row.role, row.eligible)
                for row in conn.execute(
                    select(self.eligibility).where(self.eligibility.c.clinician_id.in_(clinicians))
                )
            }
            template = None
            if shift.template_id is not None:
                template = StaffedTemplate(
                    shift.template_id,
                    self.templates.history(conn, shift.template_id),
                    shift.site_id,
                    (shift.end - shift.start).total_seconds() / 3600,
                )
            found = shortfalls(
                day=shift.day,
                clinicians=clinicians,
                standings=standings,
                rules=rules,
                template=template,
            )
        gap = self.gaps
        if shift is None or not found:
            conn.execute(delete(gap).where(gap.c.shift_id == shift_id))
            return
        reasons = [_reason(s) for s in found]
        if conn.execute(select(gap.c.shift_id).where(gap.c.shift_id == shift_id)).first():
            conn.execute(
                update(gap)
                .where(gap.c.shift_id == shift_id)
                .values(reasons=reasons, reason_codes=_codes(found), updated_at=at)
            )
            return
        conn.execute(
            gap.insert().values(
                shift_id=shift_id,
                position=shift.position,
                site_id=shift.site_id,
                day=shift.day,
                start=shift.start,
                end=shift.end,
                label=shift.label,
                reasons=reasons,
                reason_codes=_codes(found),
                opened_at=at,
                updated_at=at,
            )
        )


def _reason(shortfall: Shortfall) -> dict[str, Any]:
    clinician = shortfall.clinician_id
    return {
        "reason": shortfall.reason,
        "clinician_id": str(clinician) if clinician is not None else None,
        "detail": shortfall.detail,
    }


def _codes(found: list[Shortfall]) -> str:
    """The reasons as ` a b ` so that one can be matched with LIKE on every store."""
    return " " + " ".join(sorted({s.reason for s in found})) + " "
