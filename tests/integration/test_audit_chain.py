"""The hash chain catches and locates any single tampered row, on both backends.

Tampering goes under the service: straight to the tables, with the append-only
triggers out of the way as someone with the database owner's powers could do.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from mhg.audit.heads import check_signature, new_signing_key
from mhg.audit.ledger import Ledger
from mhg.audit.sealing import seal_pending
from mhg.audit.verification import verify
from mhg_cli.audit.command import APPLICATION_NAMES
from services.mso_ops.application import MsoOpsApplication
from services.pc_governance.application import PcGovernanceApplication
from tests.conftest import SECRET, StoreUrl, auth
from tests.integration.conftest import ADMIN
from tests.integration.services import Pair, service_pair

pytestmark = pytest.mark.storage


@pytest.fixture
def pair(store_url: StoreUrl) -> Iterator[Pair]:
    with service_pair(store_url) as services:
        for n in range(6):
            body = {"name": f"Site {n}", "kind": "clinic", "address": f"{n} Elm St"}
            assert services.mso.post("/sites", json=body, headers=ADMIN).status_code == 201
        yield services


def ledger_of(pair: Pair) -> Ledger:
    return pair.mso_runtime.ledger


@contextmanager
def tampering(ledger: Ledger, *, seals: bool = False) -> Iterator[Connection]:
    """A connection to the log (or the seals) with the append-only protection removed,
    as a database owner could."""
    engine = ledger.engine if seals else ledger.log_engine
    table = "audit_seals" if seals else ledger.events_table
    with engine.begin() as conn:
        if ledger.location.is_sqlite:
            for trigger in ("update", "delete"):
                conn.execute(text(f"DROP TRIGGER IF EXISTS {table}_no_{trigger}"))
        else:
            conn.execute(text("SET LOCAL session_replication_role = replica"))
        yield conn


def edit_a_byte(conn: Connection, table: str, column: str, position: int) -> None:
    state = conn.execute(
        text(f"SELECT state FROM {table} WHERE {column} = :p"), {"p": position}
    ).scalar_one()
    changed = bytearray(state)
    changed[len(changed) // 2] ^= 0x01
    conn.execute(
        text(f"UPDATE {table} SET state = :s WHERE {column} = :p"),
        {"s": bytes(changed), "p": position},
    )


def delete_row(conn: Connection, table: str, column: str, position: int) -> None:
    conn.execute(text(f"DELETE FROM {table} WHERE {column} = :p"), {"p": position})


def swap_rows(conn: Connection, table: str, column: str, position: int) -> None:
    for old, new in ((position, -7), (position + 1, position), (-7, position + 1)):
        conn.execute(
            text(f"UPDATE {table} SET {column} = :new WHERE {column} = :old"),
            {"old": old, "new": new},
        )


def insert_row(conn: Connection, table: str, column: str, _position: int) -> None:
    row = conn.execute(
        text(
            f"SELECT originator_id, originator_version, topic, state FROM {table} WHERE {column} = 2"
        )
    ).one()
    forged_id = (
        "00000000000000000000000000000abc"
        if isinstance(row[0], str)
        else "00000000-0000-0000-0000-000000000abc"
    )
    conn.execute(
        text(
            f"INSERT INTO {table} ({column}, originator_id, originator_version, topic, state) "
            "VALUES (0, :id, :version, :topic, :state)"
        ),
        {"id": forged_id, "version": row[1], "topic": row[2], "state": row[3]},
    )


Tamper = Callable[[Connection, str, str, int], None]

TAMPERS: list[tuple[str, Tamper, str, int]] = [
    ("edited", edit_a_byte, "edited", 3),
    ("deleted", delete_row, "missing", 4),
    ("swapped", swap_rows, "reordered", 2),
    ("inserted", insert_row, "inserted", 0),
]


def test_an_untouched_log_verifies(pair: Pair) -> None:
    ledger = ledger_of(pair)
    assert seal_pending(ledger) == pair.mso_runtime.application.head_position() == 6
    verdict = verify(ledger)
    assert verdict.intact
    assert (verdict.records, verdict.sealed, verdict.unsealed) == (6, 6, 0)
    pair.mso.post("/sites", json={"name": "Late", "kind": "clinic", "address": "x"}, headers=ADMIN)
    later = verify(ledger)
    assert later.intact
    assert later.unsealed == 1, "a record written after the last seal is unsealed, not tampered"
    assert seal_pending(ledger) == 1
    assert seal_pending(ledger) == 0


@pytest.mark.parametrize(
    ("case", "tamper", "problem", "position"), TAMPERS, ids=[t[0] for t in TAMPERS]
)
def test_a_tampered_row_is_caught_and_located(
    pair: Pair,
    case: str,
    tamper: Callable[[Connection, str, int], None],
    problem: str,
    position: int,
) -> None:
    ledger = ledger_of(pair)
    seal_pending(ledger)
    with tampering(ledger) as conn:
        tamper(conn, ledger.events_table, ledger.position_column, position)
    verdict = verify(ledger)
    assert not verdict.intact, case
    assert (verdict.findings[0].problem, verdict.findings[0].position) == (problem, position)


def test_altered_seals_break_the_chain(pair: Pair) -> None:
    ledger = ledger_of(pair)
    seal_pending(ledger)
    with tampering(ledger, seals=True) as conn:
        conn.execute(text("UPDATE audit_seals SET link = :l WHERE position = 4"), {"l": bytes(32)})
    finding = verify(ledger).findings[0]
    assert (finding.problem, finding.position) == ("chain-broken", 4)


def test_the_service_cannot_change_history(pair: Pair) -> None:
    ledger = ledger_of(pair)
    seal_pending(ledger)
    column, table = ledger.position_column, ledger.events_table
    for engine, statement in (
        (ledger.log_engine, f"UPDATE {table} SET topic = 'x' WHERE {column} = 1"),
        (ledger.log_engine, f"DELETE FROM {table} WHERE {column} = 1"),
        (ledger.engine, "UPDATE audit_seals SET link = digest WHERE position = 1"),
        (ledger.engine, "DELETE FROM audit_seals"),
    ):
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
            conn.execute(text(statement))
    assert verify(ledger).intact


def mhg_audit(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mhg_cli", "audit", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "MHG_AUTH_SECRET": SECRET},
        timeout=120,
        check=False,
    )


def test_the_offline_verifier_and_saved_heads(pair: Pair, tmp_path: Path) -> None:
    ledger = ledger_of(pair)
    seal_pending(ledger)
    url = pair.mso_runtime.settings.database_url
    done = mhg_audit("verify", "--service", "mso-ops", "--database-url", url, "--json")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["intact"] is True
    assert summary["sealed"] == 6
    saved = tmp_path / "HEAD.json"
    head = pair.mso.get("/audit/head", headers=auth("auditor", "surveyor"))
    assert head.status_code == 200
    saved.write_text(head.text)
    assert head.json()["position"] == 6
    assert head.json()["link"] == summary["head"]["link"]

    # someone rewrites history and re-seals it all: the log verifies alone, not against the head
    with tampering(ledger) as conn:
        edit_a_byte(conn, ledger.events_table, ledger.position_column, 2)
    with tampering(ledger, seals=True) as conn:
        conn.execute(text("DELETE FROM audit_seals"))
    seal_pending(ledger)
    assert verify(ledger).intact
    rewritten = mhg_audit(
        "verify", "--service", "mso-ops", "--database-url", url, "--against", str(saved)
    )
    assert rewritten.returncode == 1
    assert "position 6: head-mismatch" in rewritten.stdout


def test_the_head_is_signed_when_a_key_is_configured(pair: Pair) -> None:
    assert pair.mso.get("/audit/head").status_code == 401
    surveyor = auth("auditor", "surveyor")
    assert pair.mso.get("/audit/head", headers=surveyor).status_code == 404, "nothing sealed yet"
    seal_pending(ledger_of(pair))
    pair.mso_runtime.settings.audit_signing_key = new_signing_key()
    document = pair.mso.get("/audit/head", headers=auth("auditor", "surveyor")).json()
    assert document["algorithm"] == "Ed25519"
    assert check_signature(document)
    assert not check_signature({**document, "position": document["position"] - 1})


def test_the_cli_knows_each_services_application_name() -> None:
    assert {
        "mso-ops": MsoOpsApplication.name,
        "pc-governance": PcGovernanceApplication.name,
    } == APPLICATION_NAMES
