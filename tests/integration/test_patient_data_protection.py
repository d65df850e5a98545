"""Patient data sealed in the log, erased by destroying its key, kept readable across a
master-key rotation (ADR 0031), on each backend: the stored bytes are scanned."""

from __future__ import annotations

import base64
import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import MetaData, inspect, select

from mhg.audit.sealing import seal_pending
from mhg.audit.verification import verify
from mhg.patient_keys import MasterKeys
from mhg.readstore import ReadStore
from mhg.replay import Replay
from services.mso_ops.app import PARTS as MSO_PARTS
from tests.conftest import SECRET, StoreUrl
from tests.integration.conftest import ADMIN, AUDITOR, DIRECTOR, SCHEDULER
from tests.integration.services import MSO_OPS, Pair, service_pair
from tests.integration.test_access_log import bookable
from tests.integration.test_governed_flow import booking
from tests.integration.test_mso_forms import form_body

pytestmark = pytest.mark.storage

PATIENT = {"name": "Quentin Zyxwvut", "date_of_birth": "2009-07-13", "contact": "qz@example.org"}
NEEDLES = [b"Zyxwvut", b"2009-07-13", b"qz@example.org"]
WHO = {"name": PATIENT["name"], "date_of_birth": PATIENT["date_of_birth"]}
ERASED = {"name": "erased", "date_of_birth": "erased", "contact": "erased"}


def scenario(pair: Pair) -> tuple[str, str]:
    site_id = bookable(pair)
    body = booking(site_id) | {"patient": PATIENT}
    keyed = {**SCHEDULER, "Idempotency-Key": "booking-1"}
    booked = pair.mso.post("/appointments", json=body, headers=keyed)
    assert booked.status_code == 201, booked.text
    again = pair.mso.post("/appointments", json=body, headers=keyed)
    assert again.json() == booked.json(), "a retry is answered from the sealed response"
    keyed = {**SCHEDULER, "Idempotency-Key": "form-1"}
    form = pair.mso.post("/forms", json=form_body(site_id, patient=PATIENT), headers=keyed)
    assert form.status_code == 201, form.text
    read = pair.mso.get(f"/appointments/{booked.json()['id']}", headers=SCHEDULER)
    assert read.json()["patient"] == PATIENT
    pair.sync()
    return str(booked.json()["id"]), str(form.json()["id"])


def stored_bytes(pair: Pair, tmp_path: Path) -> bytes:
    """Every byte the service's stores hold: the SQLite files, or every row of the schema."""
    location = pair.mso_runtime.application.location
    if location.is_sqlite:
        return b"".join(p.read_bytes() for p in sorted(tmp_path.rglob("mso_ops*")) if p.is_file())
    store = ReadStore(location, MetaData())
    found: list[bytes] = []
    try:
        with store.reader.connect() as conn:
            metadata = MetaData(schema=location.schema)
            for name in inspect(conn).get_table_names(schema=location.schema):
                metadata.reflect(conn, only=[name])
                table = metadata.tables[f"{location.schema}.{name}"]
                for row in conn.execute(select(table)):
                    found.extend(_as_bytes(value) for value in row)
    finally:
        store.dispose()
    return b"\n".join(found)


def _as_bytes(value: Any) -> bytes:
    if isinstance(value, bytes | memoryview | bytearray):
        return bytes(value)
    return str(value).encode()


def assert_no_patient(data: bytes, where: str) -> None:
    for needle in NEEDLES:
        assert needle not in data, f"{needle!r} in plain text in {where}"


def test_no_patient_data_in_the_log_the_read_models_the_replay_or_the_logs(
    store_url: StoreUrl, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with service_pair(store_url) as pair:
        scenario(pair)
        stored = stored_bytes(pair, tmp_path)
        assert b"patient_sealed" in stored  # the scan reads the events
        assert b"Eastside HS athletics" in stored  # and what is not patient data, in clear
        assert_no_patient(stored, "the service's store")
        runtime = pair.mso_runtime
        out = tmp_path / "replay"
        Replay(MSO_PARTS, "mso_ops", runtime.application.location, out).run()
        replayed = b"".join(p.read_bytes() for p in out.rglob("*") if p.is_file())
        assert b"patient_sealed" in replayed
        assert_no_patient(replayed, "the replay's output")
    assert_no_patient(caplog.text.encode(), "the captured logs")


def test_an_erased_patient_reads_as_erased_and_the_chain_still_verifies(
    store_url: StoreUrl,
) -> None:
    with service_pair(store_url) as pair:
        appointment_id, form_id = scenario(pair)
        refused = pair.mso.post(
            "/patient-erasures",
            json={"patient": WHO, "basis": "retention_ended", "reason": "ten years"},
            headers=ADMIN,
        )
        assert refused.status_code == 422, "retention is the PC's medical director's decision"
        assert refused.json()["field"] == "basis", refused.text
        erased = pair.mso.post(
            "/patient-erasures",
            json={
                "patient": WHO,
                "basis": "retention_ended",
                "reason": "Retention under records policy v2 ended",
            },
            headers=DIRECTOR,
        )
        assert erased.status_code == 201, erased.text
        assert erased.json()["decided_role"] == "medical_director"
        assert "Zyxwvut" not in erased.text
        decision = pair.mso.get(erased.headers["Location"], headers=AUDITOR)
        assert decision.status_code == 200, decision.text
        assert decision.json() == erased.json()
        assert pair.mso.get(erased.headers["Location"], headers=SCHEDULER).status_code == 403

        appointment = pair.mso.get(f"/appointments/{appointment_id}", headers=SCHEDULER)
        assert appointment.status_code == 200, appointment.text
        assert appointment.json()["patient"] == ERASED
        form = pair.mso.get(f"/forms/{form_id}", headers=SCHEDULER)
        assert form.status_code == 200, form.text
        assert form.json()["patient"] == ERASED
        chain = pair.mso.get(f"/provenance/appointment/{appointment_id}", headers=AUDITOR)
        assert chain.status_code == 200, chain.text

        ledger = pair.mso_runtime.ledger
        seal_pending(ledger)
        assert verify(ledger).intact


def test_a_rotated_master_key_keeps_every_record_readable(
    store_url: StoreUrl, tmp_path: Path
) -> None:
    """`mhg patient-keys rewrap` under "NEW,OLD"; the service then runs with NEW alone."""
    old = base64.b64encode(MasterKeys.configured("", SECRET).current.key).decode()
    new = MasterKeys.generate()
    with service_pair(store_url) as pair:
        appointment_id, form_id = scenario(pair)
        settings = pair.mso_runtime.settings
    env = {**os.environ, "MHG_AUTH_SECRET": SECRET, "MHG_PATIENT_MASTER_KEYS": f"{new},{old}"}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mhg_cli",
            "patient-keys",
            "rewrap",
            "mso-ops",
            "--database-url",
            settings.database_url,
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "1 data keys rewrapped" in done.stdout
    with MSO_OPS.started(settings.model_copy(update={"patient_master_keys": new})) as mso:
        for path in (f"/appointments/{appointment_id}", f"/forms/{form_id}"):
            shown = mso.get(path, headers=SCHEDULER)
            assert shown.status_code == 200, shown.text
            assert shown.json()["patient"] == PATIENT
