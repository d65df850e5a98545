"""A release of a patient's medical records, made under the PC's records policy in force.

The PC decides the medical-records policy (decision right `medical_records_ownership`);
the MSO releases records only as the version in force on the day of the request allows:
to a recipient its release rules name, on the authorization they require, within their
turnaround. A release cites that version and is due by the request's day plus the
turnaround. Minimum necessary: the patient is named only through the appointment the
records come from.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from mhg.errors import NotFound, RuleViolation
from mhg.meta import Meta
from services.mso_ops.domain.clinical_policy_record import PolicyInForce


class RecipientNotPermitted(RuleViolation):
    code = "records-recipient-not-permitted"
    title = "The records policy in force permits no release to this recipient"


class InvalidRecordsRelease(RuleViolation):
    code = "invalid-records-release"
    title = "The release names no appointment the MSO holds"


class RecordsReleaseNotFound(NotFound):
    code = "records-release-not-found"
    title = "No such records release"


class RecordsRelease(Aggregate):
    @classmethod
    def request(
        cls,
        *,
        id: UUID,
        appointment_id: UUID,
        recipient: str,
        authorization_reference: str,
        requested_on: date,
        policy: PolicyInForce,
        meta: Meta,
    ) -> RecordsRelease:
        rules = policy.terms["release"]
        rule = next(
            (r for r in rules if r["recipient"].casefold() == recipient.strip().casefold()), None
        )
        if rule is None:
            raise RecipientNotPermitted(
                f"version {policy.version} of the records policy permits release to: "
                + "; ".join(r["recipient"] for r in rules),
                field="recipient",
            )
        return cls(
            id=id,
            appointment_id=appointment_id,
            recipient=rule["recipient"],
            authorization_required=rule["authorization"],
            authorization_reference=authorization_reference.strip(),
            requested_on=requested_on,
            due_on=requested_on + timedelta(days=rule["turnaround_days"]),
            policy=policy.citation(),
            meta=meta,
        )

    class Requested(Aggregate.Created):
        appointment_id: UUID
        recipient: str
        authorization_required: str
        authorization_reference: str
        requested_on: date
        due_on: date
        policy: dict[str, Any]
        meta: Meta

    @event(Requested)
    def __init__(
        self,
        id: UUID,
        appointment_id: UUID,
        recipient: str,
        authorization_required: str,
        authorization_reference: str,
        requested_on: date,
        due_on: date,
        policy: dict[str, Any],
        meta: Meta,
    ) -> None:
        self.appointment_id = appointment_id
        self.recipient = recipient
        self.authorization_required = authorization_required
        self.authorization_reference = authorization_reference
        self.requested_on = requested_on
        self.due_on = due_on
        self.policy = policy
        self.requested_by = meta.actor_id
