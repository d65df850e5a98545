"""Staff, shifts at sites and the staff assigned to them, checked against the PC's rules.

A clinician assigned to a shift that needs clinical coverage is held to the site's
approved staffing model in force on the shift's day (domain/operating_term.py): no more
clinicians on the shift than a session may have, each in a role the model names; else
409 `operating-term-exceeded`, nothing written.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from mhg.aggregate_command import is_recorded
from mhg.eventstore import ServiceApplication
from mhg.meta import Meta
from services.mso_ops.application.clinical_standing import ClinicalStandingCommands
from services.mso_ops.application.operating_terms import OperatingTerms
from services.mso_ops.application.records import known_site
from services.mso_ops.application.visit_templates import VisitTemplateCommands
from services.mso_ops.domain.clinical_standing import ClinicianStanding, SupervisionRules
from services.mso_ops.domain.clinician_shifts import ClinicianShifts, with_shift
from services.mso_ops.domain.coverage import (
    Rules,
    Shortfall,
    StaffedTemplate,
    Standing,
    shortfalls,
)
from services.mso_ops.domain.operating_term import STAFFING_MODEL, require_staffing
from services.mso_ops.domain.shift import Shift
from services.mso_ops.domain.shift_coverage import ShiftCoverageRecord, judged
from services.mso_ops.domain.staff import StaffMember
from services.mso_ops.domain.staffing_errors import (
    ClinicianAlreadyOnStaff,
    ClinicianNotPublished,
    ShiftNotFound,
    StaffMemberNotFound,
)


@dataclass(frozen=True)
class PcFacts:
    """PC facts judged on before the store holds them: saved in the same save as the
    judgements they cause (`standings` by clinician id; `rules` the supervision rules)."""

    standings: Mapping[UUID, ClinicianStanding] = field(default_factory=dict)
    rules: SupervisionRules | None = None


@dataclass(eq=False)
class StaffingCommands:
    store: ServiceApplication
    clinical_standing: ClinicalStandingCommands
    visit_templates: VisitTemplateCommands
    operating_terms: OperatingTerms

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
        """The member on the shift; a clinician's shifts (domain/clinician_shifts.py) gain
        it in the same save, so that a PC fact about them finds it. (Two assignments of one
        clinician saved at once: one is refused as a concurrent update, as on one shift.)"""
        member = self.staff_member(staff_id)

        def assigned(shift: Shift) -> None:
            shift.assign(member, meta)
            if member.clinician_id is not None and shift.needs_clinical_coverage:
                self._within_staffing_model(shift)

        clinician_id = member.clinician_id
        if clinician_id is None:
            return self._staffed(shift_id, expected_version, assigned, meta)

        held = self.clinician_shifts(clinician_id)
        return self._staffed(
            shift_id,
            expected_version,
            assigned,
            meta,
            lambda s: with_shift(held, clinician_id, s.id, s.end, meta),
        )

    def _within_staffing_model(self, shift: Shift) -> None:
        term = self.operating_terms.in_force(shift.site_id, STAFFING_MODEL, shift.day)
        roles = [
            self.clinical_standing.clinician_standing(c).role
            for c in shift.clinicians
            if self.clinical_standing.clinician_known(c)
        ]
        require_staffing(term, clinicians=len(shift.clinicians), roles=roles, on=shift.day)

    def clinician_shifts(self, clinician_id: UUID) -> ClinicianShifts | None:
        """The shifts the clinician was put on, None before their first."""
        index_id = ClinicianShifts.create_id(clinician_id)
        if index_id not in self.store.repository:
            return None
        detail = f"no shifts of clinician {clinician_id}"
        return self.store.load_as(ClinicianShifts, index_id, ShiftNotFound, detail)

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
        also: Callable[[Shift], ClinicianShifts] | None = None,
    ) -> Shift:
        """A change to the shift at the version read, saved with its coverage if that changed
        (and `also`, what else the change records: the shifts of a clinician it puts on it)."""
        shift = self.shift(shift_id)
        self.store.check_version(shift, expected_version)
        act(shift)
        self.store.record(
            shift, self.coverage_judged(shift, meta), also(shift) if also is not None else None
        )
        return shift

    def coverage_judged(
        self, shift: Shift, meta: Meta, facts: PcFacts | None = None
    ) -> ShiftCoverageRecord | None:
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
            for s in self.shift_shortfalls(shift, facts)
        ]
        return judged(record, terms, shortfalls, meta)

    def shift_shortfalls(self, shift: Shift, facts: PcFacts | None = None) -> list[Shortfall]:
        """The shift against the eligibility and supervision rules the MSO holds now
        (`facts`: those about to be saved, in place of what the store holds)."""
        if not shift.needs_clinical_coverage or shift.status != "scheduled":
            return []
        facts = facts or PcFacts()
        standings = {
            c: Standing(s.role, s.eligible, s.lapses_on)
            for c in shift.clinicians
            for s in [self._standing(c, facts)]
            if s is not None
        }
        rules = None
        held = facts.rules
        if held is None and self.clinical_standing.supervision_rules_received():
            held = self.clinical_standing.supervision_rules()
        if held is not None:
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

    def _standing(self, clinician_id: UUID, facts: PcFacts) -> ClinicianStanding | None:
        if clinician_id in facts.standings:
            return facts.standings[clinician_id]
        if not self.clinical_standing.clinician_known(clinician_id):
            return None
        return self.clinical_standing.clinician_standing(clinician_id)
