"""A PC fact about clinicians, recorded with the coverage of the shifts it changes.

A clinician's eligibility (a lapse, a reinstatement, a new role) or a new supervision
structure (an assignment ended or begun, a new limit of APPs per physician) can open or
close a coverage gap with no staffing change at the MSO. So each is saved with the
judgement of every shift it may change that has not ended (the shifts its clinicians
were put on, domain/clinician_shifts.py), judged as staffing judges them
(`StaffingCommands.coverage_judged`), in one save with the feed position: the PC hears
of the gap (`shift.coverage-judged`) at once. A judgement is recorded only when it
differs from the last one, so a fact delivered again writes no second judgement.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Tracking

from mhg.eventstore import ServiceApplication
from mhg.meta import Meta
from services.mso_ops.application import clock
from services.mso_ops.application.clinical_standing import ClinicalStandingCommands
from services.mso_ops.application.staffing import PcFacts, StaffingCommands
from services.mso_ops.domain.clinical_standing import Eligibility
from services.mso_ops.domain.shift_coverage import ShiftCoverageRecord

PAIRED = ("app_id", "physician_id")


@dataclass(eq=False)
class ClinicianFactCommands:
    store: ServiceApplication
    clinical_standing: ClinicalStandingCommands
    staffing: StaffingCommands

    def record_clinician_eligibility(
        self, clinician_id: UUID, eligibility: Eligibility, *, meta: Meta, tracking: Tracking
    ) -> None:
        standing = self.clinical_standing.eligibility_heard(clinician_id, eligibility, meta=meta)
        facts = PcFacts(standings={clinician_id: standing})
        judged = self._rejudged([clinician_id], facts, meta)
        self.store.record(standing, *judged, tracking=tracking)

    def record_supervision_rules(self, *, meta: Meta, tracking: Tracking, **published: Any) -> None:
        """The PC's rules as published (`published`: the message's fields), with the shifts
        of every clinician whose pairings they change judged again (of every one they
        name, when the first rules arrive or the limit per physician changes)."""
        before: tuple[int, list[dict[str, Any]]] | None = None
        if self.clinical_standing.supervision_rules_received():
            held = self.clinical_standing.supervision_rules()
            before = (held.max_apps_per_physician, [dict(a) for a in held.assignments])
        rules = self.clinical_standing.supervision_rules_heard(meta=meta, **published)
        if before is None or before[0] != rules.max_apps_per_physician:
            changed = rules.assignments + (before[1] if before else [])
        else:
            old, new = _pairings(before[1]), _pairings(rules.assignments)
            changed = [dict(p) for p in old ^ new]
        clinicians = dict.fromkeys(a[role] for a in changed for role in PAIRED)
        judged = self._rejudged(clinicians, PcFacts(rules=rules), meta)
        self.store.record(rules, *judged, tracking=tracking)

    def _rejudged(
        self, clinicians: Iterable[UUID], facts: PcFacts, meta: Meta
    ) -> list[ShiftCoverageRecord]:
        """The coverage records whose judgement the facts change, of the shifts the
        clinicians were put on that have not ended (each shift judged once)."""
        now = clock.now()
        shift_ids: dict[UUID, None] = {}
        for clinician_id in clinicians:
            index = self.staffing.clinician_shifts(clinician_id)
            if index is not None:
                shift_ids.update(dict.fromkeys(index.ending_after(now)))
        judged = []
        for shift_id in shift_ids:
            record = self.staffing.coverage_judged(self.staffing.shift(shift_id), meta, facts)
            if record is not None:
                judged.append(record)
        return judged


def _pairings(assignments: Iterable[dict[str, Any]]) -> set[tuple[tuple[str, Any], ...]]:
    """Each assignment as a comparable whole (its id, who, and the days it covers)."""
    return {tuple(sorted(a.items())) for a in assignments}
