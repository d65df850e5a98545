"""The decision to erase a patient's identifying data, by destroying their key (ADR 0031).

The PC's medical-records policy owns retention (docs/decision-rights.md,
`medical_records_ownership`): only its Medical Director decides that a patient's records
have reached the end of their retention. A patient recorded in error (a booking or a form
that should never have named them) may also be erased by the MSO's admin, who made the
record. Either way the decision names who decided, on which basis and why; the event
names the patient only by their keyed reference, never by name.
"""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from mhg.errors import NotFound, RuleViolation
from mhg.meta import Meta

RETENTION_ENDED = "retention_ended"
ENTERED_IN_ERROR = "entered_in_error"
BASES = (RETENTION_ENDED, ENTERED_IN_ERROR)
DECIDERS = {
    RETENTION_ENDED: ("medical_director",),
    ENTERED_IN_ERROR: ("medical_director", "mso_admin"),
}
MAX_REASON = 1000


class InvalidErasure(RuleViolation):
    code = "invalid-patient-erasure"
    title = "This erasure cannot be decided"


class ErasureNotFound(NotFound):
    code = "patient-erasure-not-found"
    title = "No such patient erasure"


class PatientErasure(Aggregate):
    class Decided(Aggregate.Created):
        patient_ref: str
        basis: str
        reason: str
        meta: Meta

    @event(Decided)
    def __init__(self, id: UUID, patient_ref: str, basis: str, reason: str, meta: Meta) -> None:
        self.patient_ref = patient_ref
        self.basis = basis
        self.reason = reason
        self.decided_by = meta.actor_id
        self.decided_role = meta.actor_role

    @classmethod
    def decide(
        cls, *, erasure_id: UUID, patient_ref: str, basis: str, reason: str, meta: Meta
    ) -> PatientErasure:
        if basis not in BASES:
            raise InvalidErasure(f"basis must be one of {', '.join(BASES)}", field="basis")
        if meta.actor_role not in DECIDERS[basis]:
            raise InvalidErasure(
                f"an erasure on the basis {basis} is decided by {' or '.join(DECIDERS[basis])}",
                field="basis",
            )
        reason = reason.strip()
        if not reason or len(reason) > MAX_REASON:
            raise InvalidErasure(f"say why, in 1 to {MAX_REASON} characters", field="reason")
        return cls(id=erasure_id, patient_ref=patient_ref, basis=basis, reason=reason, meta=meta)
