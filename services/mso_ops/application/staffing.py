"""Staff, shifts at sites and the staff assigned to them, checked against the PC's rules."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from mhg.aggregate_command import is_recorded
from mhg.eventstore import ServiceApplication
from mhg.meta import Meta
from services.mso_ops.application.clinical_standing import ClinicalStandingCommands
from services.mso_ops.application.records import known_site
from services.mso_ops.application.visit_templates import VisitTemplateCommands
from services.mso_ops.domain.coverage import (
    Rules,
    Shortfall,
    StaffedTemplate,
    Standing,
    shortfalls,
)
from services.mso_ops.domain.shift import Shift
from services.mso_ops.domain.shift_coverage import ShiftCoverageRecord, judged
from services.mso_ops.domain.staff import StaffMember
from services.mso_ops.domain.staffing_errors import (
    ClinicianAlreadyOnStaff,
    ClinicianNotPublished,
    ShiftNotFound,
    StaffMemberNotFound,
)


@dataclass(eq=False)
class StaffingCommands:
    store: ServiceApplication
    clinical_standing: ClinicalStandingCommands
    visit_templates: VisitTemplateCommands

    def _home_site(self, home_site_id: UUID | None) -> UUID | None:
        if home_site_id is not None:
            known_site(self.store, home_site_id)
        return home_site_id

    def register_clinical_staff(
        self, *, clinician_id: UUID, home_site_id: UUID | None, meta: Meta
    ) -> StaffMember:
        if not self.clinical_standing.clinician_known(clinician_id):
            raise ClinicianNotPublished(
                f"the PC has not published clinician {clinician_id}", field="clinician_id"
            )
        if StaffMember.clinical_id(clinician_id) in self.store.repository:
            raise ClinicianAlreadyOnStaff(f"clinician {clinician_id} is on staff already")
        member = StaffMember.clinician(
            standing=self.clinical_standing.clinician_standing(clinician_id),
            home_site_id=self._home_site(home_site_id),
            meta=meta,
        )
        self.store.record(member)
        return member

    def register_employee(
        self, *, home_site_id: UUID | None, meta: Meta, **employee: Any
    ) -> StaffMember:
        """A non-clinical member (`employee`: as `StaffMember.employee` names it)."""
        member = StaffMember.employee(
            home_site_id=self._home_site(home_site_id), meta=meta, **employee
        )
        self.store.record(member)
        return member

    def staff_member(self, staff_id: UUID) -> StaffMember:
        return self.store.load_as(
            StaffMember, staff_id, StaffMemberNotFound, f"no staff member {staff_id}"
        )

    staff_member_exists = is_recorded

    def schedule_shift(
        self, *, site_id: UUID, meta: Meta, template_id: UUID | None = None, **shift: Any
    ) -> Shift:
        """A shift at the site (`shift`: as `Shift.schedule` names it)."""
        zone = known_site(self.store, site_id).time_zone
        if template_id is not None:
            self.visit_templates.received_template(template_id)  # 422 unless the PC has sent it
        scheduled = Shift.schedule(
            site_id=site_id, template_id=template_id, meta=meta, zone=zone, **shift
        )
        self.store.record(scheduled, self.coverage_judged(scheduled, meta))
        return scheduled

    def shift(self, shift_id: UUID) -> Shift:
        return self.store.load_as(Shift, shift_id, ShiftNotFound, f"no shift {shift_id}")

    shift_exists = is_recorded

    def assign_to_shift(
        self, *, shift_id: UUID, staff_id: UUID, expected_version: int | None, meta: Meta
    ) -> Shift:
        member = self.staff_member(staff_id)
        return self._staffed(shift_id, expected_version, lambda s: s.assign(member, meta), meta)

    def release_from_shift(
        self,
        *,
        shift_id: UUID,
        staff_id: UUID,
        reason: str,
        expected_version: int | None,
        meta: Meta,
    ) -> Shift:
        return self._staffed(
            shift_id, expected_version, lambda s: s.release(staff_id, reason, meta), meta
        )

    def cancel_shift(
        self, *, shift_id: UUID, reason: str, expected_version: int | None, meta: Meta
    ) -> Shift:
        return self._staffed(shift_id, expected_version, lambda s: s.cancel(reason, meta), meta)

    def _staffed(
        self,
        shift_id: UUID,
        expected_version: int | None,
        act: Callable[[Shift], None],
        meta: Meta,
    ) -> Shift:
        """A change to the shift at the version read, saved with its coverage if that changed."""
        shift = self.shift(shift_id)
        self.store.check_version(shift, expected_version)
        act(shift)
        self.store.record(shift, self.coverage_judged(shift, meta))
        return shift

    def coverage_judged(self, shift: Shift, meta: Meta) -> ShiftCoverageRecord | None:
        """The shift's coverage record with the judgement of now, if it changed (see
        domain/shift_coverage.py): what the PC is told of the shift's gaps."""
        record_id = ShiftCoverageRecord.create_id(shift.id)
        record = None
        if record_id in self.store.repository:
            record = self.store.load_as(
                ShiftCoverageRecord, record_id, ShiftNotFound, f"no coverage of shift {shift.id}"
            )
        terms = {
            "shift_id": shift.id,
            "site_id": shift.site_id,
            "day": shift.day,
            "start": shift.start,
            "end": shift.end,
            "label": shift.label,
        }
        shortfalls = [
            {
                "reason": s.reason,
                "clinician_id": None if s.clinician_id is None else str(s.clinician_id),
                "detail": s.detail,
            }
            for s in self.shift_shortfalls(shift)
        ]
        return judged(record, terms, shortfalls, meta)

    def shift_shortfalls(self, shift: Shift) -> list[Shortfall]:
        """The shift against the eligibility and supervision rules the MSO holds now."""
        if not shift.needs_clinical_coverage or shift.status != "scheduled":
            return []
        standings = {
            c: Standing(s.role, s.eligible, s.lapses_on)
            for c in shift.clinicians
            if self.clinical_standing.clinician_known(c)
            for s in [self.clinical_standing.clinician_standing(c)]
        }
        rules = None
        if self.clinical_standing.supervision_rules_received():
            held = self.clinical_standing.supervision_rules()
            rules = Rules.published(held.max_apps_per_physician, held.assignments)
        template = None
        if shift.template_id is not None:
            template = StaffedTemplate(
                shift.template_id,
                self.visit_templates.template_history(shift.template_id),
                shift.site_id,
                shift.hours,
            )
        return shortfalls(
            day=shift.day,
            clinicians=shift.clinicians,
            standings=standings,
            rules=rules,
            template=template,
        )
