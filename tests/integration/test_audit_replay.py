"""Replay from the log alone, on each backend: from zero it equals the live read models,
as of a moment it equals what they held then, and the source is never written."""

from __future__ import annotations

import hashlib
import os
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import MetaData, select, text

from mhg.eventstore import StoreLocation
from mhg.readstore import ReadStore
from mhg.replay import Replay, replay_location
from services.mso_ops.app import PARTS as MSO_PARTS
from services.pc_governance.app import PARTS as PC_PARTS
from tests.conftest import SECRET, StoreUrl
from tests.integration.conftest import ADMIN, DIRECTOR
from tests.integration.meeting_helpers import held_meeting
from tests.integration.mhg_command import mhg_in_process
from tests.integration.services import Pair, service_pair
from tests.integration.test_governed_flow import booking, propose_line, request_authorization
from tests.integration.test_provenance import approved_protocol

pytestmark = pytest.mark.storage

MD_ACT = {"kind": "medical_director_act", "reference": "MD-ACT-1"}
NOT_READ_MODELS = {"idempotency_keys"}


def tables(metadata: MetaData, engine: Any) -> dict[str, list[dict[str, Any]]]:
    """Every read-model table's rows, in primary-key order."""
    out = {}
    with engine.connect() as conn:
        for name, table in sorted(metadata.tables.items()):
            if name in NOT_READ_MODELS:
                continue
            order = list(table.primary_key.columns) or list(table.columns)
            out[name] = [dict(r._mapping) for r in conn.execute(select(table).order_by(*order))]
    return out


def live(pair: Pair) -> dict[str, dict[str, list[dict[str, Any]]]]:
    pair.sync()
    return {
        "mso_ops": tables(pair.mso_runtime.store.metadata, pair.mso_runtime.store.reader),
        "pc_governance": tables(pair.pc_runtime.store.metadata, pair.pc_runtime.store.reader),
    }


def replayed(out: Path, name: str, metadata: MetaData) -> dict[str, list[dict[str, Any]]]:
    store = ReadStore(replay_location(out, name), metadata)
    try:
        return tables(metadata, store.reader)
    finally:
        store.dispose()


def first_phase(pair: Pair) -> dict[str, str]:
    """Sites, a line authorized by the PC, a booking; a meeting, a protocol, a clinician."""
    site_id = propose_line(pair, live=True)
    authorization_id = request_authorization(pair, site_id)
    approved = pair.pc.post(
        f"/authorizations/{authorization_id}/approve",
        json={"effective_date": "2026-12-01", "basis": MD_ACT, "protocol_refs": ["x v1"]},
        headers=DIRECTOR,
    )
    assert approved.status_code == 200, approved.text
    pair.sync()
    booked = pair.mso.post("/appointments", json=booking(site_id), headers=ADMIN)
    assert booked.status_code == 201, booked.text
    held_meeting(pair.pc, "2026-11")
    approved_protocol(pair, "Sports clearance")
    clinician = pair.pc.post(
        "/clinicians",
        json={"npi": "1234567893", "name": "Dr. Ada Ng", "role": "physician"},
        headers=DIRECTOR,
    )
    assert clinician.status_code == 201, clinician.text
    return {
        "site_id": site_id,
        "authorization_id": authorization_id,
        "appointment_id": str(booked.json()["id"]),
    }


def second_phase(pair: Pair, first: dict[str, str]) -> str:
    """Later changes to rows the first phase made, and new ones; the new site's id."""
    cancelled = pair.mso.post(
        f"/appointments/{first['appointment_id']}/cancel", json={"reason": "ill"}, headers=ADMIN
    )
    assert cancelled.status_code == 200, cancelled.text
    suspended = pair.pc.post(
        f"/authorizations/{first['authorization_id']}/suspend",
        json={"reason": "review", "basis": MD_ACT},
        headers=DIRECTOR,
    )
    assert suspended.status_code == 200, suspended.text
    held_meeting(pair.pc, "2026-12")
    later = pair.mso.post(
        "/sites", json={"name": "Later site", "kind": "clinic", "address": "2 Elm"}, headers=ADMIN
    )
    assert later.status_code == 201, later.text
    pair.sync()
    return str(later.json()["id"])


def source_state(url: str) -> str:
    """What would change if the source were written: the SQLite file, or the schema's rows."""
    location = StoreLocation.parse(url)
    if location.is_sqlite:
        return hashlib.sha256(Path(str(location.url.database)).read_bytes()).hexdigest()
    store = ReadStore(location, MetaData())
    try:
        with store.reader.connect() as conn:
            rows = conn.execute(text("SELECT COUNT(*), MAX(notification_id) FROM mso_ops_events"))
            return str(rows.one())
    finally:
        store.dispose()


def test_a_replay_from_zero_equals_every_live_read_model(
    store_url: StoreUrl, tmp_path: Path
) -> None:
    with service_pair(store_url) as pair:
        first = first_phase(pair)
        second_phase(pair, first)
        now = live(pair)
        for parts, runtime in ((MSO_PARTS, pair.mso_runtime), (PC_PARTS, pair.pc_runtime)):
            name = runtime.application.name
            result = Replay(parts, name, runtime.application.location, tmp_path / name).run()
            assert result.replayed == result.scanned == runtime.application.head_position()
            rebuilt = replayed(tmp_path / name, name, parts.metadata())
            assert rebuilt.keys() == now[name].keys()
            for table, rows in now[name].items():
                assert rebuilt[table] == rows, f"{name}.{table} differs after the replay"
        assert now["mso_ops"]["mso_appointments"][0]["status"] == "cancelled"
        assert len(now["pc_governance"]["pc_meeting_decisions"]) == 2


def test_a_replay_as_of_a_moment_equals_the_read_models_then(
    store_url: StoreUrl, tmp_path: Path
) -> None:
    mso_url = store_url("mso_ops")
    with service_pair(lambda name: mso_url if name == "mso_ops" else store_url(name)) as pair:
        first = first_phase(pair)
        then = live(pair)["mso_ops"]
        moment = datetime.now(UTC)
        time.sleep(0.01)
        later_site = second_phase(pair, first)
        assert live(pair)["mso_ops"] != then
        before = source_state(mso_url)

        out = tmp_path / "as-of"
        done = mhg_in_process(
            "audit", "replay", "--service", "mso-ops", "--database-url", mso_url,
            "--as-of", moment.isoformat(), "--out", str(out),
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert "events/s" in done.stdout
        assert replayed(out, "mso_ops", MSO_PARTS.metadata()) == then
        assert source_state(mso_url) == before

        again = mhg_in_process("audit", "replay", "--service", "mso-ops", "--database-url", mso_url,
                    "--out", str(out))  # fmt: skip
        assert again.returncode == 2
        assert "fresh directory" in again.stderr
        naive = mhg_in_process("audit", "replay", "--service", "mso-ops", "--database-url", mso_url,
                    "--as-of", "2026-10-31T23:59:59", "--out", str(tmp_path / "x"))  # fmt: skip
        assert naive.returncode == 2
        assert "needs a UTC offset" in naive.stderr
        assert later_site not in str(then)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_replay_serves_reads_as_they_were_and_refuses_writes(
    store_url: StoreUrl, tmp_path: Path
) -> None:
    mso_url = store_url("mso_ops")
    with service_pair(lambda name: mso_url if name == "mso_ops" else store_url(name)) as pair:
        first = first_phase(pair)
        moment = datetime.now(UTC)
        time.sleep(0.01)
        later_site = second_phase(pair, first)
    port = free_port()
    env = {**os.environ, "MHG_AUTH_SECRET": SECRET}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mhg_cli",
            "audit",
            "replay",
            "--service",
            "mso-ops",
            "--database-url",
            mso_url,
            "--as-of",
            moment.isoformat(),
            "--out",
            str(tmp_path / "served"),
            "--serve",
            "--port",
            str(port),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, server)
        sites = httpx.get(f"{base}/sites", headers=ADMIN).json()["items"]
        assert [s["id"] for s in sites] == [first["site_id"]]
        appointment = httpx.get(f"{base}/appointments/{first['appointment_id']}", headers=ADMIN)
        assert appointment.status_code == 200, appointment.text
        assert appointment.json()["status"] == "booked"
        assert httpx.get(f"{base}/sites/{later_site}", headers=ADMIN).status_code == 404
        refused = httpx.post(
            f"{base}/sites", json={"name": "N", "kind": "clinic", "address": "x"}, headers=ADMIN
        )
        assert refused.status_code == 405
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert refused.json()["type"] == "/problems/read-only-replay"
        cancel = httpx.post(
            f"{base}/appointments/{first['appointment_id']}/cancel",
            json={"reason": "x"},
            headers=ADMIN,
        )
        assert cancel.status_code == 405
    finally:
        server.terminate()
        server.wait(timeout=30)


def _wait_until_up(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            _, err = server.communicate()
            raise AssertionError(f"the replay server exited: {err.decode()}")
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError("the replay server did not come up")
