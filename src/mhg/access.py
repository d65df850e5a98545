"""Who read which patient's data, when, and for what purpose.

Every read of patient-identifying data through the API is an event in the service's
own log (one small aggregate per read), so the access log is sealed by the audit
chain like everything else and cannot be edited after the fact. The read is recorded
before the data leaves: if the record cannot be written, the caller gets a 503 and
no data.

The log names the patient by a keyed reference (HMAC of the normalised name and date
of birth), never by name: the access log itself holds no patient data, and the same
patient gets the same reference across appointments and forms.
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata
from datetime import date
from typing import Any, Literal
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate, event

from mhg.meta import Meta

Purpose = Literal["operations", "treatment", "payment", "patient_request", "audit"]
PURPOSES: tuple[str, ...] = ("operations", "treatment", "payment", "patient_request", "audit")


class PatientDataRead(Aggregate):
    """One read of one record that identifies a patient."""

    class Recorded(Aggregate.Created):
        record_kind: str
        record_id: UUID
        patient_ref: str
        purpose: str
        meta: Meta

    @event(Recorded)
    def __init__(
        self,
        id: UUID,
        *,
        record_kind: str,
        record_id: UUID,
        patient_ref: str,
        purpose: str,
        meta: Meta,
    ) -> None:
        self.record_kind = record_kind
        self.record_id = record_id
        self.patient_ref = patient_ref
        self.purpose = purpose
        self.meta = meta


def patient_ref(secret: str, name: str, date_of_birth: date | str) -> str:
    """A stable reference for a patient that does not reveal who the patient is."""
    key = hmac.new(secret.encode(), b"patient-ref", hashlib.sha256).digest()
    normalised = " ".join(unicodedata.normalize("NFKC", name).casefold().split())
    dob = date_of_birth.isoformat() if isinstance(date_of_birth, date) else date_of_birth
    message = f"{normalised}|{dob}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:32]


def new_read(
    *, record_kind: str, record_id: UUID, patient: str, purpose: str, meta: Meta
) -> PatientDataRead:
    return PatientDataRead(
        id=uuid4(),
        record_kind=record_kind,
        record_id=record_id,
        patient_ref=patient,
        purpose=purpose,
        meta=meta,
    )


def as_row(event: Any, position: int) -> dict[str, Any]:
    meta: Meta = event.meta
    return {
        "id": event.originator_id,
        "position": position,
        "read_at": event.timestamp,
        "record_kind": event.record_kind,
        "record_id": event.record_id,
        "patient_ref": event.patient_ref,
        "purpose": event.purpose,
        "actor_id": meta.actor_id,
        "actor_role": meta.actor_role,
        "actor_org": meta.actor_org,
        "request_id": meta.request_id,
    }
