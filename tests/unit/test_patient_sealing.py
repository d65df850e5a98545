"""Rules of sealed patient data (ADR 0031): sealing, erasure, rotation, old events, deciders."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from sqlalchemy import create_engine
from sqlalchemy.pool import StaticPool

from mhg.access import patient_ref
from mhg.meta import Meta, Org
from mhg.patient_fields import ERASED, SEALED, PatientFields, PatientSealing
from mhg.patient_keys import MasterKeyError, MasterKeys, StoredPatientKeys
from services.mso_ops.domain.appointment import Appointment
from services.mso_ops.domain.form import Form
from services.mso_ops.domain.patient_erasure import InvalidErasure, PatientErasure

PATIENT = {"name": "Quentin Zyxwvut", "date_of_birth": "2009-07-13", "contact": "qz@example.org"}
SECRET = "s" * 32


def key_store(masters: MasterKeys | None = None) -> StoredPatientKeys:
    engine = create_engine("sqlite://", poolclass=StaticPool)
    keys = StoredPatientKeys(engine, engine, masters or MasterKeys.parse(MasterKeys.generate()))
    keys.create()
    return keys


def sealing(keys: StoredPatientKeys | None) -> PatientSealing:
    made = PatientSealing()
    made.keys = keys
    made.reference = lambda name, born: patient_ref(SECRET, name, born)
    return made


def meta(role: str, org: Org = "mso") -> Meta:
    return Meta("someone", role, org, uuid.uuid4().hex, "corr", "cause")


def test_sealed_fields_hold_no_plain_text_and_open_with_the_patients_key() -> None:
    seal = sealing(key_store())
    stored = seal.encode(PatientFields(PATIENT))
    text = json.dumps(stored)
    assert all(value not in text for value in PATIENT.values())
    assert stored["key"] == patient_ref(SECRET, PATIENT["name"], PATIENT["date_of_birth"])
    assert stored["fields"] == sorted(PATIENT)
    opened = seal.decode(json.loads(text))
    assert dict(opened) == PATIENT
    assert not opened.erased
    assert "Zyxwvut" not in repr(opened)


def test_destroying_the_key_erases_every_record_of_that_patient_only() -> None:
    keys = key_store()
    seal = sealing(keys)
    first = seal.encode(PatientFields(PATIENT))
    second = seal.encode(PatientFields(PATIENT))
    other = seal.encode(PatientFields({**PATIENT, "name": "Robin Roe"}))
    assert first["key"] == second["key"] != other["key"]
    assert keys.destroy(first["key"])
    assert not keys.destroy(first["key"])
    for stored in (first, second):
        erased = seal.decode(stored)
        assert erased.erased
        assert dict(erased) == dict.fromkeys(PATIENT, ERASED)
        assert seal.encode(erased) == stored  # stored again as it was: the chain is unchanged
    assert dict(seal.decode(other))["name"] == "Robin Roe"


def test_without_a_key_store_fields_read_sealed_and_cannot_be_stored() -> None:
    stored = sealing(key_store()).encode(PatientFields(PATIENT))
    offline = sealing(None)
    assert dict(offline.decode(stored)) == dict.fromkeys(PATIENT, SEALED)
    with pytest.raises(RuntimeError):
        offline.encode(PatientFields(PATIENT))


def test_a_data_key_is_wrapped_and_rewrapped_under_a_new_master_key() -> None:
    old = MasterKeys.parse(MasterKeys.generate())
    keys = key_store(old)
    seal = sealing(keys)
    stored = seal.encode(PatientFields(PATIENT))
    new = MasterKeys.parse(MasterKeys.generate())
    keys.masters = MasterKeys((new.current, old.current))
    assert keys.rewrap() == 1
    assert keys.rewrap() == 0
    keys.masters = new
    keys.forget_open_keys()
    assert dict(seal.decode(stored)) == PATIENT
    keys.masters = old  # a store rewrapped away from a key no longer opens with it
    keys.forget_open_keys()
    with pytest.raises(MasterKeyError):
        seal.decode(stored)


@pytest.mark.parametrize("text", ["", "not base64!", "c2hvcnQ="])
def test_a_master_key_is_32_bytes_in_base64(text: str) -> None:
    with pytest.raises(MasterKeyError):
        MasterKeys.parse(text)


@pytest.mark.parametrize("event", [Appointment.Booked, Form.Requested])
def test_events_stored_with_plain_patient_data_still_read(event: Any) -> None:
    state: dict[str, Any] = {"patient": dict(PATIENT)}
    event.upcast_v1_v2(state)
    assert isinstance(state["patient"], PatientFields)
    assert dict(state["patient"]) == PATIENT
    assert event.class_version == 2


def decide(role: str, basis: str, reason: str = "retention ended") -> PatientErasure:
    return PatientErasure.decide(
        erasure_id=uuid.uuid4(), patient_ref="ref", basis=basis, reason=reason, meta=meta(role)
    )


def test_only_the_medical_director_ends_retention_and_an_error_may_be_erased_by_the_mso() -> None:
    assert decide("medical_director", "retention_ended").basis == "retention_ended"
    assert decide("mso_admin", "entered_in_error").decided_by == "someone"
    for role, basis in (
        ("mso_admin", "retention_ended"),
        ("mso_scheduler", "entered_in_error"),
        ("physician", "retention_ended"),
    ):
        with pytest.raises(InvalidErasure) as refused:
            decide(role, basis)
        assert refused.value.extensions["field"] == "basis"


@pytest.mark.parametrize(
    ("basis", "reason", "field"),
    [
        ("forgotten", "x", "basis"),
        ("retention_ended", "  ", "reason"),
        ("retention_ended", "x" * 1001, "reason"),
    ],
)
def test_an_erasure_names_its_basis_and_why(basis: str, reason: str, field: str) -> None:
    with pytest.raises(InvalidErasure) as refused:
        decide("medical_director", basis, reason)
    assert refused.value.extensions["field"] == field
