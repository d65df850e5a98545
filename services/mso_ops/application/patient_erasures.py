"""Erasing a patient: the decision is recorded, then their key is destroyed (ADR 0031)."""

from __future__ import annotations

from uuid import UUID

from mhg.aggregate_command import is_recorded
from mhg.eventstore import ServiceApplication
from mhg.meta import Meta
from services.mso_ops.domain.patient_erasure import ErasureNotFound, PatientErasure


class PatientErasureCommands:
    def __init__(self, store: ServiceApplication) -> None:
        self.store = store

    def erasure(self, erasure_id: UUID) -> PatientErasure:
        return self.store.load_as(
            PatientErasure, erasure_id, ErasureNotFound, f"no patient erasure {erasure_id}"
        )

    erasure_exists = is_recorded

    def erase(
        self,
        *,
        erasure_id: UUID,
        name: str,
        date_of_birth: str,
        basis: str,
        reason: str,
        meta: Meta,
    ) -> PatientErasure:
        """Record the decision, then destroy the key: a retry after a failed destruction
        (the store was down) decides again and destroys it then."""
        sealing = self.store.patient_sealing
        if sealing.keys is None:
            raise RuntimeError("no patient key store: the service is not running")
        erasure = PatientErasure.decide(
            erasure_id=erasure_id,
            patient_ref=sealing.key_id({"name": name, "date_of_birth": date_of_birth}),
            basis=basis,
            reason=reason,
            meta=meta,
        )
        self.store.record(erasure)
        sealing.keys.destroy(erasure.patient_ref)
        return erasure
