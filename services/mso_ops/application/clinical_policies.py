"""The PC's coding rules and records policy at the MSO: recorded as they arrive by feed,
and the version in force on a day, which a claim cites and a release of records follows."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Tracking

from mhg.aggregate_command import is_recorded
from mhg.meta import Meta
from services.mso_ops.application import clock
from services.mso_ops.application.received_records import ReceivedRecords
from services.mso_ops.domain.appointment import Appointment
from services.mso_ops.domain.clinical_policy_record import (
    CODING_RULES,
    EVERYWHERE,
    RECORDS_POLICY,
    ClinicalPolicyRecord,
    PolicyInForce,
    PolicyNotInForce,
)
from services.mso_ops.domain.records_release import (
    InvalidRecordsRelease,
    RecordsRelease,
    RecordsReleaseNotFound,
)


class ClinicalPolicyRecords(ReceivedRecords[ClinicalPolicyRecord]):
    def record_published(
        self, *, kind: str, scope: str, document: dict[str, Any], meta: Meta, tracking: Tracking
    ) -> ClinicalPolicyRecord:
        """One document as the PC published it, exactly once (the tracking goes with it)."""
        return self._take(
            ClinicalPolicyRecord.create_id(kind, scope),
            lambda: ClinicalPolicyRecord.first(
                kind=kind, scope=scope, document=document, meta=meta
            ),
            lambda record: record.replace(document=document, meta=meta),
            tracking,
        )

    def in_force(self, kind: str, scope: str, day: date) -> PolicyInForce | None:
        record = self._received(ClinicalPolicyRecord.create_id(kind, scope))
        return None if record is None else record.in_force_on(day)

    def coding_rules_in_force(self, service_line: str, day: date) -> PolicyInForce:
        """The coding rules a claim for the line served on `day` is coded under, or 409."""
        found = self.in_force(CODING_RULES, service_line, day)
        if found is None:
            raise PolicyNotInForce(
                f"no PC coding rules for {service_line} are in force on {day}: "
                "a claim is coded only under rules the PC approved",
                service_line=service_line,
                day=str(day),
            )
        return found

    def request_records_release(
        self, *, release_id: UUID, appointment_id: UUID, meta: Meta, **request: Any
    ) -> RecordsRelease:
        """A release of the appointment's records, under the policy in force today."""
        known = appointment_id in self.store.repository
        if not known or not isinstance(self.store.repository.get(appointment_id), Appointment):
            raise InvalidRecordsRelease(
                f"appointment_id names no appointment: {appointment_id}", field="appointment_id"
            )
        today = clock.today()
        release = RecordsRelease.request(
            id=release_id,
            appointment_id=appointment_id,
            requested_on=today,
            policy=self.records_policy_in_force(today),
            meta=meta,
            **request,
        )
        self.store.record(release)
        return release

    release_exists = is_recorded

    def records_release(self, release_id: UUID) -> RecordsRelease:
        return self.store.load_as(
            RecordsRelease, release_id, RecordsReleaseNotFound, f"no records release {release_id}"
        )

    def records_policy_in_force(self, day: date) -> PolicyInForce:
        """The medical-records policy records are released under on `day`, or 409."""
        found = self.in_force(RECORDS_POLICY, EVERYWHERE, day)
        if found is None:
            raise PolicyNotInForce(
                f"no PC medical-records policy is in force on {day}", day=str(day)
            )
        return found
