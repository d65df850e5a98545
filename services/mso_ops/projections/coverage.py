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

from sqlalchemy import Table, bindparam, delete, select, update
from sqlalchemy.engine import Connection

from mhg.projection import batch_memo
from services.mso_ops.domain.coverage import Rules, Shortfall, StaffedTemplate, Standing, shortfalls
from services.mso_ops.domain.shift import SCHEDULED
from services.mso_ops.projections.visit_templates import TemplateTables


class CoverageTables:
    """The rows coverage is judged on, and its statements, built once (run with values:
    every shift scheduled or restaffed is judged again, so they are the staffing hot path).
    """

    def __init__(self, tables: dict[str, Table], templates: TemplateTables) -> None:
        self.templates = templates
        self.shifts = s = tables["mso_shifts"]
        self.shift_staff = staff = tables["mso_shift_staff"]
        self.eligibility = eligibility = tables["mso_clinician_eligibility"]
        self.rules = tables["mso_supervision_rules"]
        self.pairings = tables["mso_supervision_pairings"]
        self.gaps = gap = tables["mso_coverage_gaps"]
        after = s.c.end > bindparam("after")
        with_staff = select(s.c.id).join(staff, staff.c.shift_id == s.c.id)
        self._of_clinician = with_staff.where(staff.c.clinician_id == bindparam("who"), after)
        self._of_template = select(s.c.id).where(s.c.template_id == bindparam("template"), after)
        self._with_clinicians = with_staff.where(
            staff.c.clinician_id.is_not(None), after
        ).distinct()
        self._held_rules, self._held_pairings = select(self.rules), select(self.pairings)
        self._shift = select(s).where(s.c.id == bindparam("shift"))
        self._clinicians = (
            select(staff.c.clinician_id)
            .where(staff.c.shift_id == bindparam("shift"), staff.c.clinician_id.is_not(None))
            .order_by(staff.c.position)
        )
        self._standings = select(eligibility).where(
            eligibility.c.clinician_id.in_(bindparam("clinicians", expanding=True))
        )
        self._gap = select(gap.c.shift_id).where(gap.c.shift_id == bindparam("shift"))
        self._drop_gap = delete(gap).where(gap.c.shift_id == bindparam("b_shift_id"))
        self._change_gap = update(gap).where(gap.c.shift_id == bindparam("b_shift_id"))
        self._open_gap = gap.insert()

    def shifts_of_clinician(
        self, conn: Connection, clinician_id: UUID, after: datetime
    ) -> list[UUID]:
        return list(
            conn.execute(self._of_clinician, {"who": clinician_id, "after": after}).scalars()
        )

    def shifts_of_template(
        self, conn: Connection, template_id: UUID, after: datetime
    ) -> list[UUID]:
        found = conn.execute(self._of_template, {"template": template_id, "after": after})
        return list(found.scalars())

    def shifts_with_clinicians(self, conn: Connection, after: datetime) -> list[UUID]:
        return list(conn.execute(self._with_clinicians, {"after": after}).scalars())

    def reevaluate(self, conn: Connection, shift_ids: Iterable[UUID], at: datetime) -> None:
        rules = self._rules(conn)
        for shift_id in shift_ids:
            self._evaluate(conn, shift_id, rules, at)

    def _rules(self, conn: Connection) -> Rules | None:
        """The supervision rules held, read once per batch (`forget_rules` when they change)."""
        memo = batch_memo(conn, self)
        if "rules" in memo:
            held_rules: Rules | None = memo["rules"]  # what this method put there
            return held_rules
        held = conn.execute(self._held_rules).first()
        rules = None
        if held is not None:
            pairings = [dict(r._mapping) for r in conn.execute(self._held_pairings)]
            rules = Rules.published(held.max_apps_per_physician, pairings)
        memo["rules"] = rules
        return rules

    def forget_rules(self, conn: Connection) -> None:
        """New supervision rules were written: the next judgement reads them."""
        batch_memo(conn, self).pop("rules", None)

    def _evaluate(
        self, conn: Connection, shift_id: UUID, rules: Rules | None, at: datetime
    ) -> None:
        shift = conn.execute(self._shift, {"shift": shift_id}).first()
        found: list[Shortfall] = []
        if shift is not None and shift.status == SCHEDULED and shift.needs_clinical_coverage:
            clinicians = list(conn.execute(self._clinicians, {"shift": shift_id}).scalars())
            standings = {
                row.clinician_id: Standing(row.role, row.eligible, row.lapses_on)
                for row in (
                    conn.execute(self._standings, {"clinicians": clinicians}) if clinicians else ()
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
        if shift is None or not found:
            conn.execute(self._drop_gap, {"b_shift_id": shift_id})
            return
        reasons = [_reason(s) for s in found]
        if conn.execute(self._gap, {"shift": shift_id}).first():
            conn.execute(
                self._change_gap,
                {
                    "b_shift_id": shift_id,
                    "reasons": reasons,
                    "reason_codes": _codes(found),
                    "updated_at": at,
                },
            )
            return
        conn.execute(
            self._open_gap,
            {
                "shift_id": shift_id,
                "position": shift.position,
                "site_id": shift.site_id,
                "day": shift.day,
                "start": shift.start,
                "end": shift.end,
                "label": shift.label,
                "reasons": reasons,
                "reason_codes": _codes(found),
                "opened_at": at,
                "updated_at": at,
            },
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
