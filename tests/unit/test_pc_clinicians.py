"""The Clinician aggregate: credentials, their lifecycle, and eligibility that follows it."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from mhg.errors import DomainError
from mhg.meta import Meta
from services.pc_governance.domain.clinician import ROLES, Clinician
from services.pc_governance.domain.clinician_errors import (
    CredentialAlreadyOnFile,
    CredentialNotFound,
    CredentialOutOfDate,
    InvalidClinician,
    InvalidCredential,
    InvalidCredentialTransition,
)

TODAY = date(2027, 1, 4)


def meta(actor: str = "dr-lee", role: str = "medical_director") -> Meta:
    return Meta(actor, role, "pc", uuid.uuid4().hex, "corr", "cause")


def pending(clinician: Clinician) -> list[Any]:
    return list(clinician.collect_events())


def with_credential(
    clinician: Clinician, kind: str, expires_on: date, number: str | None = None
) -> uuid.UUID:
    credential_id = uuid.uuid4()
    clinician.add_credential(
        credential_id=credential_id,
        kind=kind,
        number=number or uuid.uuid4().hex[:8],
        issuer="CA MBC",
        issued_on=date(2020, 1, 1),
        expires_on=expires_on,
        meta=meta("qa", "pc_quality"),
    )
    return credential_id


def test_registration_is_keyed_by_npi_and_starts_not_eligible() -> None:
    clinician = Clinician.register(npi=" 1234567893 ", name="Dr. Ng", role="physician", meta=meta())
    assert clinician.id == Clinician.create_id("1234567893")
    assert (clinician.npi, clinician.status, clinician.eligible) == (
        "1234567893",
        "credentialing",
        False,
    )
    assert clinician.registered_by == "dr-lee"
    with pytest.raises(InvalidClinician):
        Clinician.register(npi="1", name="X", role="surgeon", meta=meta())
    with pytest.raises(InvalidClinician):
        Clinician.register(npi=" ", name="X", role="np", meta=meta())


def test_eligibility_follows_required_verified_credentials_and_any_expiry() -> None:
    np = Clinician.register(npi="2", name="NP Bo", role="np", meta=meta())
    pending(np)
    license_id = with_credential(np, "license", TODAY + timedelta(days=30))
    dea = with_credential(np, "dea", TODAY + timedelta(days=5))
    np.verify_credential(license_id, source="BRN", today=TODAY, meta=meta())
    events = pending(np)
    assert [type(e).__name__ for e in events] == [
        "CredentialAdded",
        "CredentialAdded",
        "CredentialVerified",
        "EligibilityChanged",
    ]
    changed = events[-1]
    assert (changed.eligible, changed.reason, changed.name, changed.role) == (
        True,
        "credential_verified",
        "NP Bo",
        "np",
    )
    assert np.credentials[license_id].verification is not None
    assert np.credentials[license_id].verification.verified_by == "dr-lee"

    # the unverified DEA lapses first: any expired credential removes eligibility
    assert np.record_expirations(as_of=TODAY + timedelta(days=6), meta=meta()) == [dea]
    assert (np.status, np.eligibility_reason) == ("ineligible", "credential_expired")
    assert np.record_expirations(as_of=TODAY + timedelta(days=6), meta=meta()) == []
    np.renew_credential(
        dea, expires_on=TODAY + timedelta(days=700), source="DEA", today=TODAY, meta=meta()
    )
    assert (np.status, np.eligibility_reason) == ("eligible", "credential_renewed")


def test_a_physician_also_needs_board_certification() -> None:
    physician = Clinician.register(npi="3", name="Dr. A", role="physician", meta=meta())
    license_id = with_credential(physician, "license", TODAY + timedelta(days=300))
    physician.verify_credential(license_id, source="MBC", today=TODAY, meta=meta())
    assert not physician.eligible
    board = with_credential(physician, "board_certification", TODAY + timedelta(days=300))
    physician.verify_credential(board, source="ABMS", today=TODAY, meta=meta())
    assert physician.eligible


def test_refused_credential_steps_change_nothing() -> None:
    clinician = Clinician.register(npi="4", name="PA Cy", role="pa", meta=meta())
    lapsed = with_credential(clinician, "license", TODAY - timedelta(days=1), number="L1")
    pending(clinician)
    version = clinician.version
    attempts: list[tuple[type[DomainError], Any]] = [
        (
            CredentialOutOfDate,
            lambda: clinician.verify_credential(lapsed, source="x", today=TODAY, meta=meta()),
        ),
        (
            InvalidCredential,
            lambda: clinician.verify_credential(
                lapsed, source=" ", today=date(2000, 1, 1), meta=meta()
            ),
        ),
        (
            CredentialNotFound,
            lambda: clinician.verify_credential(uuid.uuid4(), source="x", today=TODAY, meta=meta()),
        ),
        (InvalidCredential, lambda: with_credential(clinician, "cpr", TODAY)),
        (InvalidCredential, lambda: with_credential(clinician, "license", date(2019, 1, 1))),
        (
            CredentialAlreadyOnFile,
            lambda: with_credential(clinician, "license", TODAY, number="L1"),
        ),
        (
            InvalidCredential,
            lambda: clinician.renew_credential(
                lapsed, expires_on=TODAY - timedelta(days=1), source="x", today=TODAY, meta=meta()
            ),
        ),
    ]
    for error, attempt in attempts:
        with pytest.raises(error):
            attempt()
        assert clinician.version == version
        assert pending(clinician) == []
    clinician.renew_credential(lapsed, expires_on=TODAY, source="MBC", today=TODAY, meta=meta())
    with pytest.raises(InvalidCredentialTransition):
        clinician.verify_credential(lapsed, source="x", today=TODAY, meta=meta())


# --- the lifecycle as a state machine -------------------------------------------------

KINDS = ("license", "dea", "board_certification")
NEEDS = {
    "physician": {"license", "board_certification"},
    "medical_director": {"license", "board_certification"},
    "np": {"license"},
    "pa": {"license"},
}


class CredentialLifecycle(RuleBasedStateMachine):
    """A model of each credential (kind, number, expiry, status) and of eligibility."""

    def __init__(self) -> None:
        super().__init__()
        self.today = TODAY
        self.model: dict[uuid.UUID, dict[str, Any]] = {}
        self.eligible = False
        self.lapse: date | None = None  # the lapse day last published
        self.messages: list[tuple[bool, str, date | None]] = []

    @initialize(role=st.sampled_from(ROLES))
    def register(self, role: str) -> None:
        self.role = role
        self.agg = Clinician.register(npi="99", name="Dr. Model", role=role, meta=meta())
        self.events: list[Any] = pending(self.agg)

    def model_eligible(self) -> bool:
        statuses = [c["status"] for c in self.model.values()]
        verified = {c["kind"] for c in self.model.values() if c["status"] == "verified"}
        return "expired" not in statuses and NEEDS[self.role] <= verified

    def model_lapse(self) -> date | None:
        """For an eligible clinician, the earliest expiry of the verified credentials."""
        verified = [c["expires_on"] for c in self.model.values() if c["status"] == "verified"]
        return min(verified) if self.model_eligible() and verified else None

    def attempt(self, act: Any, allowed: bool, reason: str, then: Any) -> None:
        """Take a step; if accepted, update the model with `then` and follow eligibility."""
        version = self.agg.version
        before = {k: (c.status, c.expires_on) for k, c in self.agg.credentials.items()}
        try:
            act()
        except DomainError:
            assert not allowed, f"refused an allowed step ({reason})"
            assert self.agg.version == version
            assert {k: (c.status, c.expires_on) for k, c in self.agg.credentials.items()} == before
            assert pending(self.agg) == []
            return
        assert allowed, f"accepted a refused step ({reason})"
        new = pending(self.agg)
        assert self.agg.version == version + len(new)
        self.events.extend(new)
        then()
        now, lapse = self.model_eligible(), self.model_lapse()
        if now != self.eligible or lapse != self.lapse:  # a flip, or the lapse day moved
            self.messages.append((now, reason, lapse))
            self.eligible, self.lapse = now, lapse

    @rule(
        kind=st.sampled_from((*KINDS, "cpr")),
        number=st.sampled_from(("A", "B", "C")),
        days=st.integers(-30, 400),
    )
    def add(self, kind: str, number: str, days: int) -> None:
        credential_id = uuid.UUID(int=len(self.model) + 1)
        expires_on = self.today + timedelta(days=days)
        duplicate = any((c["kind"], c["number"]) == (kind, number) for c in self.model.values())
        allowed = kind in KINDS and not duplicate and expires_on > date(2020, 1, 1)
        self.attempt(
            lambda: self.agg.add_credential(
                credential_id=credential_id,
                kind=kind,
                number=number,
                issuer="CA MBC",
                issued_on=date(2020, 1, 1),
                expires_on=expires_on,
                meta=meta(),
            ),
            allowed,
            "added",
            lambda: self.model.update(
                {
                    credential_id: {
                        "kind": kind,
                        "number": number,
                        "expires_on": expires_on,
                        "status": "unverified",
                    }
                }
            ),
        )

    @precondition(lambda self: self.model)
    @rule(data=st.data())
    def verify(self, data: st.DataObject) -> None:
        credential_id = data.draw(st.sampled_from(list(self.model)))
        c = self.model[credential_id]
        allowed = c["status"] == "unverified" and c["expires_on"] >= self.today
        self.attempt(
            lambda: self.agg.verify_credential(
                credential_id, source="board", today=self.today, meta=meta()
            ),
            allowed,
            "credential_verified",
            lambda: c.update(status="verified"),
        )

    @precondition(lambda self: self.model)
    @rule(data=st.data(), days=st.integers(-10, 800))
    def renew(self, data: st.DataObject, days: int) -> None:
        credential_id = data.draw(st.sampled_from(list(self.model)))
        c = self.model[credential_id]
        expires_on = self.today + timedelta(days=days)
        allowed = expires_on > c["expires_on"] and expires_on >= self.today
        self.attempt(
            lambda: self.agg.renew_credential(
                credential_id, expires_on=expires_on, source="board", today=self.today, meta=meta()
            ),
            allowed,
            "credential_renewed",
            lambda: c.update(status="verified", expires_on=expires_on),
        )

    @rule(days=st.integers(0, 120))
    def time_passes_and_the_sweep_runs(self, days: int) -> None:
        self.today += timedelta(days=days)
        lapsed = {
            k
            for k, c in self.model.items()
            if c["expires_on"] < self.today and c["status"] != "expired"
        }
        got: list[uuid.UUID] = []

        def sweep() -> None:
            got.extend(self.agg.record_expirations(as_of=self.today, meta=meta()))

        def expire() -> None:
            for k in lapsed:
                self.model[k]["status"] = "expired"

        self.attempt(sweep, True, "credential_expired", expire)
        assert set(got) == lapsed
        assert self.agg.record_expirations(as_of=self.today, meta=meta()) == []
        assert pending(self.agg) == []

    @invariant()
    def credentials_match_the_model(self) -> None:
        assert {k: (c.status, c.expires_on) for k, c in self.agg.credentials.items()} == {
            k: (c["status"], c["expires_on"]) for k, c in self.model.items()
        }

    @invariant()
    def eligibility_matches_the_model_and_each_change_is_one_event(self) -> None:
        assert self.agg.eligible == self.eligible
        changes = [
            (e.eligible, e.reason, e.lapses_on)
            for e in self.events
            if type(e).__name__ == "EligibilityChanged"
        ]
        assert changes == self.messages
        expected_status = (
            "credentialing" if not changes else ("eligible" if self.eligible else "ineligible")
        )
        assert self.agg.status == expected_status

    @invariant()
    def rebuilding_from_the_events_gives_the_same_clinician(self) -> None:
        rebuilt: Any = None
        for e in self.events:
            rebuilt = e.mutate(rebuilt)
        assert isinstance(rebuilt, Clinician)
        assert rebuilt.version == self.agg.version == len(self.events)
        assert rebuilt.credentials == self.agg.credentials
        assert (rebuilt.status, rebuilt.eligibility_reason) == (
            self.agg.status,
            self.agg.eligibility_reason,
        )


CredentialLifecycle.TestCase.settings = settings(
    max_examples=150, stateful_step_count=25, deadline=None
)
TestCredentialLifecycle = CredentialLifecycle.TestCase
