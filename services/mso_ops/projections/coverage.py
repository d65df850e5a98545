"""Coverage gaps: shifts that need clinical coverage and fail the PC's rules, with reasons.

Run inside the staffing projection, on the rows it keeps, so a gap opens, changes or
clears in the same transaction as the fact that caused it: a shift scheduled or
restaffed, a clinician's eligibility, a new supervision structure. A PC fact is
applied only to shifts that end after it took effect: a shift already over keeps the
gaps it had under the facts of its day.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Table, bindparam, delete, select, update
from sqlalchemy.engine import Connection

from mhg.projection import batch_memo
from mhg.read_models import in_log_order
from services.mso_ops.domain.coverage import Rules, Shortfall, StaffedTemplate, Standing, shortfalls
from services.mso_ops.domain.shift import SCHEDULED
from services.mso_ops.domain.visit_template import TemplateHistory
from services.mso_ops.projections.visit_templates import TemplateTables

GAP_TERMS = ("position", "site_id", "day", "start", "end", "label")  # copied from its shift
SHIFT_COLUMNS = (*GAP_TERMS, "needs_clinical_coverage", "template_id", "status")


@dataclass
class ShiftState:
    """What coverage judges a shift on, as its rows hold it: the shift's own columns, its
    staff `(staff_id, clinician_id)` in the order they were put on it, and whether it has
    a gap row."""

    row: dict[str, Any]
    staff: list[tuple[UUID, UUID | None]]
    gap: bool

    @property
    def clinicians(self) -> list[UUID]:
        return [clinician for _, clinician in self.staff if clinician is not None]


class CoverageTables:
    """The rows coverage is judged on, and its statements, built once (run with values:
    every shift scheduled or restaffed is judged again, so they are the staffing hot path).

    What a judgement needs (a shift, its staff, their standings, a template's history,
    whether the shift has a gap) is read once and then remembered for the batch
    (`batch_memo`), kept up to date by the staffing handlers that write it (`shift_added`,
    `staff_added`, ...): a shift's staff changes judge it without reading anything back.
    """

    def __init__(self, tables: dict[str, Table], templates: TemplateTables) -> None:
        self.templates = templates
        self.shifts = s = tables["mso_shifts"]
        self.shift_staff = staff = tables["mso_shift_staff"]
        self.eligibility = eligibility = tables["mso_clinician_eligibility"]
        self.rules = tables["mso_supervision_rules"]
        self.pairings = tables["mso_supervision_pairings"]
        self.gaps = gap = tables["mso_coverage_gaps"]
        # what the batch memos are kept under: shifts, standings, template histories
        self._known_shifts = (self, "shifts")
        self._known_standings = (self, "standings")
        self._known_templates = (self, "templates")
        after = s.c.end > bindparam("after")
        with_staff = select(s.c.id).join(staff, staff.c.shift_id == s.c.id)
        self._of_clinician = with_staff.where(staff.c.clinician_id == bindparam("who"), after)
        self._of_template = select(s.c.id).where(s.c.template_id == bindparam("template"), after)
        self._with_clinicians = with_staff.where(
            staff.c.clinician_id.is_not(None), after
        ).distinct()
        self._held_rules, self._held_pairings = select(self.rules), select(self.pairings)
        self._shift_row = select(*(s.c[name] for name in SHIFT_COLUMNS)).where(
            s.c.id == bindparam("shift")
        )
        self._staff = in_log_order(staff, "staff_id", "clinician_id").where(
            staff.c.shift_id == bindparam("shift")
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

    # What the staffing handlers tell coverage after writing a row it judges on.

    def shift_added(self, conn: Connection, shift_id: UUID, row: dict[str, Any]) -> None:
        """A new shift row (every column of `SHIFT_COLUMNS`): no staff, no gap yet."""
        known = {name: row[name] for name in SHIFT_COLUMNS}
        known["start"], known["end"] = _utc(known["start"]), _utc(known["end"])  # as read back
        batch_memo(conn, self._known_shifts)[shift_id] = ShiftState(known, [], gap=False)

    def status_set(self, conn: Connection, shift_id: UUID, status: str) -> None:
        known: ShiftState | None = batch_memo(conn, self._known_shifts).get(shift_id)
        if known is not None:
            known.row["status"] = status

    def staff_added(
        self, conn: Connection, shift_id: UUID, staff_id: UUID, clinician_id: UUID | None
    ) -> None:
        known: ShiftState | None = batch_memo(conn, self._known_shifts).get(shift_id)
        if known is not None:
            known.staff.append((staff_id, clinician_id))

    def staff_removed(self, conn: Connection, shift_id: UUID, staff_id: UUID) -> None:
        known: ShiftState | None = batch_memo(conn, self._known_shifts).get(shift_id)
        if known is not None:
            known.staff = [on for on in known.staff if on[0] != staff_id]

    def standing_set(self, conn: Connection, clinician_id: UUID, standing: Standing) -> None:
        batch_memo(conn, self._known_standings)[clinician_id] = standing

    def forget_standing(self, conn: Connection, clinician_id: UUID) -> None:
        batch_memo(conn, self._known_standings).pop(clinician_id, None)

    def forget_template(self, conn: Connection, template_id: UUID) -> None:
        """A template's history was written: the next judgement reads it again."""
        batch_memo(conn, self._known_templates).pop(template_id, None)

    def standings(self, conn: Connection, clinicians: list[UUID]) -> dict[UUID, Standing]:
        """The standings of those clinicians the PC has published (read once a batch)."""
        memo = batch_memo(conn, self._known_standings)
        unknown = [c for c in clinicians if c not in memo]
        if unknown:
            for row in conn.execute(self._standings, {"clinicians": unknown}):
                memo[row.clinician_id] = Standing(row.role, row.eligible, row.lapses_on)
            for clinician in unknown:
                memo.setdefault(clinician, None)  # not published (yet)
        return {c: memo[c] for c in clinicians if memo[c] is not None}

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

    def _shift_state(self, conn: Connection, shift_id: UUID) -> ShiftState | None:
        """The shift as its rows hold it (read once a batch), None if there is none."""
        memo = batch_memo(conn, self._known_shifts)
        known: ShiftState | None = memo.get(shift_id)
        if known is not None:
            return known
        row = conn.execute(self._shift_row, {"shift": shift_id}).first()
        if row is None:
            return None
        staff = [
            (on.staff_id, on.clinician_id) for on in conn.execute(self._staff, {"shift": shift_id})
        ]
        gap = conn.execute(self._gap, {"shift": shift_id}).first() is not None
        found = memo[shift_id] = ShiftState(dict(row._mapping), staff, gap)
        return found

    def _history(self, conn: Connection, template_id: UUID) -> TemplateHistory:
        memo = batch_memo(conn, self._known_templates)
        known: TemplateHistory | None = memo.get(template_id)
        if known is None:
            known = memo[template_id] = self.templates.history(conn, template_id)
        return known

    def _evaluate(
        self, conn: Connection, shift_id: UUID, rules: Rules | None, at: datetime
    ) -> None:
        state = self._shift_state(conn, shift_id)
        if state is None:
            conn.execute(self._drop_gap, {"b_shift_id": shift_id})
            return
        shift = state.row
        found: list[Shortfall] = []
        if shift["status"] == SCHEDULED and shift["needs_clinical_coverage"]:
            found = self._shortfalls(conn, state, rules)
        if not found:
            if state.gap:  # no gap row known: nothing to delete
                conn.execute(self._drop_gap, {"b_shift_id": shift_id})
            state.gap = False
            return
        reasons = [_reason(s) for s in found]
        if state.gap:
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
                **{name: shift[name] for name in GAP_TERMS},
                "reasons": reasons,
                "reason_codes": _codes(found),
                "opened_at": at,
                "updated_at": at,
            },
        )
        state.gap = True

    def _shortfalls(
        self, conn: Connection, state: ShiftState, rules: Rules | None
    ) -> list[Shortfall]:
        shift, clinicians = state.row, state.clinicians
        template = None
        if shift["template_id"] is not None:
            template = StaffedTemplate(
                shift["template_id"],
                self._history(conn, shift["template_id"]),
                shift["site_id"],
                (shift["end"] - shift["start"]).total_seconds() / 3600,
            )
        return shortfalls(
            day=shift["day"],
            clinicians=clinicians,
            standings=self.standings(conn, clinicians) if clinicians else {},
            rules=rules,
            template=template,
        )


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


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
