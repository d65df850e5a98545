"""Staff, shifts and their staff, the PC's clinician eligibility, supervision and visit
templates, and gaps.

One projection, so that every change to a shift's staff or to the PC's facts re-judges
the shifts it touches against the same rows (see coverage.py).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import MetaData, Table, bindparam, delete, update
from sqlalchemy.engine import Connection

from mhg.listing import Selection, equal_columns, equals, linked, matching
from mhg.projection import Handler, Projection
from mhg.projection_rows import copied, insert_row
from mhg.read_models import projection_over
from services.mso_ops.domain.clinical_standing import ClinicianStanding, SupervisionRules
from services.mso_ops.domain.coverage import Standing
from services.mso_ops.domain.shift import CANCELLED, SCHEDULED, Shift
from services.mso_ops.domain.staff import StaffMember
from services.mso_ops.domain.visit_template_record import VisitTemplate
from services.mso_ops.projections import visit_templates
from services.mso_ops.projections.column_groups import SITE_AND_DAYS
from services.mso_ops.projections.coverage import CoverageTables
from services.mso_ops.projections.staffing_tables import TABLES, define

__all__ = [
    "COVERAGE_GAPS",
    "ELIGIBILITY",
    "SHIFTS",
    "STAFF",
    "TABLES",
    "define",
    "projection",
]

STAFF = Selection(
    "mso_staff",
    kind=equals(),
    site=equals("home_site_id"),
    **equal_columns("eligible", "clinician_id"),
)
ELIGIBILITY = Selection("mso_clinician_eligibility", role=equals(), eligible=equals())
SHIFTS = Selection(
    "mso_shifts",
    **SITE_AND_DAYS,
    **equal_columns("status", "needs_clinical_coverage"),
    staff_id=linked("mso_shift_staff", "shift_id"),
)
COVERAGE_GAPS = Selection(
    "mso_coverage_gaps",
    **SITE_AND_DAYS,
    reason=matching(
        lambda table, reason: table.c.reason_codes.contains(f" {reason} ", autoescape=True)
    ),
)


SHIFT_TERMS = (  # as a shift's scheduling states them
    "site_id",
    "day",
    "start",
    "end",
    "needs_clinical_coverage",
    "label",
    "template_id",
)


def projection(metadata: MetaData) -> Projection:
    t = metadata.tables
    staff, eligibility = t["mso_staff"], t["mso_clinician_eligibility"]
    rules, pairings = t["mso_supervision_rules"], t["mso_supervision_pairings"]
    coverage = CoverageTables(dict(t), visit_templates.TemplateTables(metadata))

    def template_changed(conn: Connection, template_id: Any, after: Any, at: Any) -> None:
        coverage.forget_template(conn, template_id)
        coverage.reevaluate(conn, coverage.shifts_of_template(conn, template_id, after), at)

    template = coverage.templates.handlers(template_changed)
    change_standing, staff_of_clinician = _standing_statements(eligibility, staff)

    def staff_registered(conn: Connection, event: Any, position: int) -> None:
        standing = None
        if event.clinician_id is not None:
            standing = coverage.standings(conn, [event.clinician_id]).get(event.clinician_id)
        insert_row(
            conn,
            staff,
            event,
            position,
            **copied(event, "kind", "name", "job_title", "clinician_id"),
            clinical_role=standing.role if standing else None,
            eligible=standing.eligible if standing else None,
            home_site_id=event.home_site_id,
            registered_at=event.timestamp,
        )

    def standing(conn: Connection, event: Any, position: int, *, first: bool) -> None:
        values = {
            "name": event.name,
            "role": event.role,
            "eligible": event.eligible,
            "reason": event.reason,
            "effective_at": event.effective_at,
            "lapses_on": getattr(event, "lapses_on", None),  # absent before ADR 0019
        }
        if first:
            conn.execute(
                eligibility.insert().values(
                    clinician_id=event.clinician_id, position=position, **values
                )
            )
            known = Standing(event.role, event.eligible, values["lapses_on"])
            coverage.standing_set(conn, event.clinician_id, known)
        else:
            conn.execute(change_standing, {"b_who": event.clinician_id, **values})
            coverage.forget_standing(conn, event.clinician_id)  # read again if judged
        conn.execute(
            staff_of_clinician,
            {"b_who": event.clinician_id, "clinical_role": event.role, "eligible": event.eligible},
        )
        affected = coverage.shifts_of_clinician(conn, event.clinician_id, event.effective_at)
        coverage.reevaluate(conn, affected, event.timestamp)

    def standing_recorded(conn: Connection, event: Any, position: int) -> None:
        standing(conn, event, position, first=True)

    def standing_changed(conn: Connection, event: Any, position: int) -> None:
        standing(conn, event, position, first=False)

    def rules_published(conn: Connection, event: Any, _position: int) -> None:
        conn.execute(delete(rules))
        conn.execute(delete(pairings))
        conn.execute(
            rules.insert().values(
                id=event.originator_id,
                max_apps_per_physician=event.max_apps_per_physician,
                chart_review_share_percent=event.chart_review_share_percent,
                published_at=event.published_at,
            )
        )
        for a in event.assignments:
            conn.execute(pairings.insert().values(**a))
        coverage.forget_rules(conn)
        affected = coverage.shifts_with_clinicians(conn, event.published_at)
        coverage.reevaluate(conn, affected, event.timestamp)

    return projection_over(
        metadata,
        "mso_staffing",
        TABLES,
        {
            StaffMember.Registered: staff_registered,
            ClinicianStanding.Recorded: standing_recorded,
            ClinicianStanding.Changed: standing_changed,
            SupervisionRules.Received: rules_published,
            SupervisionRules.Replaced: rules_published,
            VisitTemplate.Approved: template["approved"],
            VisitTemplate.VersionApproved: template["approved"],
            VisitTemplate.Retired: template["retired"],
            **_shift_handlers(t["mso_shifts"], t["mso_shift_staff"], coverage),
        },
    )


def _shift_handlers(
    shifts: Table, shift_staff: Table, coverage: CoverageTables
) -> dict[type[Any], Handler]:
    """A shift's scheduling, staff and cancellation: each judges the shift again, on what
    coverage remembers of it (told of every row written here)."""
    shift_by_id, restaff, put_on_shift, off_shift = _shift_statements(shifts, shift_staff)

    def scheduled(conn: Connection, event: Any, position: int) -> None:
        row = {**copied(event, *SHIFT_TERMS), "status": SCHEDULED}
        insert_row(conn, shifts, event, position, **row, staff_count=0)
        coverage.shift_added(conn, event.originator_id, {**row, "position": position})
        coverage.reevaluate(conn, [event.originator_id], event.timestamp)

    def restaffed(conn: Connection, event: Any, change: int) -> None:
        conn.execute(restaff, {"b_id": event.originator_id, "change": change})
        coverage.reevaluate(conn, [event.originator_id], event.timestamp)

    def assigned(conn: Connection, event: Any, position: int) -> None:
        conn.execute(
            put_on_shift,
            {
                "shift_id": event.originator_id,
                "staff_id": event.staff_id,
                "position": position,
                "kind": event.kind,
                "clinician_id": event.clinician_id,
            },
        )
        coverage.staff_added(conn, event.originator_id, event.staff_id, event.clinician_id)
        restaffed(conn, event, +1)

    def released(conn: Connection, event: Any, _position: int) -> None:
        conn.execute(off_shift, {"b_shift": event.originator_id, "b_staff": event.staff_id})
        coverage.staff_removed(conn, event.originator_id, event.staff_id)
        restaffed(conn, event, -1)

    def cancelled(conn: Connection, event: Any, _position: int) -> None:
        conn.execute(shift_by_id, {"b_id": event.originator_id, "status": CANCELLED})
        coverage.status_set(conn, event.originator_id, CANCELLED)
        coverage.reevaluate(conn, [event.originator_id], event.timestamp)

    return {
        Shift.Scheduled: scheduled,
        Shift.StaffAssigned: assigned,
        Shift.StaffReleased: released,
        Shift.Cancelled: cancelled,
    }


# Built once, run with each event's values (SQLAlchemy's compiled cache; a replay queues
# the writes): a shift's staff changes are the staffing log's bulk.


def _standing_statements(eligibility: Table, staff: Table) -> tuple[Any, Any]:
    return (
        update(eligibility).where(eligibility.c.clinician_id == bindparam("b_who")),
        update(staff).where(staff.c.clinician_id == bindparam("b_who")),
    )


def _shift_statements(shifts: Table, shift_staff: Table) -> tuple[Any, Any, Any, Any]:
    by_id = update(shifts).where(shifts.c.id == bindparam("b_id"))
    return (
        by_id,
        by_id.values(staff_count=shifts.c.staff_count + bindparam("change")),
        shift_staff.insert(),
        delete(shift_staff).where(
            shift_staff.c.shift_id == bindparam("b_shift"),
            shift_staff.c.staff_id == bindparam("b_staff"),
        ),
    )
