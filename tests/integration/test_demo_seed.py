"""`mhg demo seed`, run as a real process in a fresh directory, on the SQLite files `mhg run`
serves: a year through both APIs, and nothing made twice when run again."""

from __future__ import annotations

import fcntl
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

STORES = ("mso_ops", "pc_governance")


def seed(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The command with the development settings of a fresh clone (no test keys)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MHG_")}
    return subprocess.run(
        [sys.executable, "-m", "mhg_cli", "demo", "seed", *args],
        capture_output=True,
        text=True,
        env=env | {"COLUMNS": "100"},
        cwd=cwd,
        timeout=300,
        check=False,
    )


def counts(table: str) -> dict[str, int]:
    """The rows of the seed's summary table: what -> count."""
    return {m[1].strip(): int(m[2]) for m in re.finditer(r"│ ([^│]+?)\s+│\s+(\d+) │", table)}


def events(cwd: Path) -> dict[str, int]:
    """How many events each service's log holds."""
    found = {}
    for store in STORES:
        with sqlite3.connect(cwd / "var" / f"{store}.sqlite") as log:
            found[store] = log.execute("SELECT count(*) FROM stored_events").fetchone()[0]
    return found


def test_a_demo_year_is_seeded_through_both_services_and_a_second_run_adds_nothing(
    tmp_path: Path,
) -> None:
    first = seed(tmp_path, "--sites", "3", "--months", "1")
    assert first.returncode == 0, first.stderr[-3000:]
    made = counts(first.stdout)
    assert made == {
        "sites live": 1,
        "sites submitted": 1,  # its go-live waits for the Medical Director
        "sites proposed": 1,
        "requests waiting for the Medical Director": 2,  # that go-live, and a service line
        "appointments": made["appointments"],
        "free slots to book": made["free slots to book"],
        "meetings": 1,  # held, its minutes approved
    }
    assert made["appointments"] >= 8
    assert made["free slots to book"] > 0
    logged = events(tmp_path)

    again = seed(tmp_path, "--sites", "3", "--months", "1")
    assert again.returncode == 0, again.stderr[-3000:]
    assert counts(again.stdout) == made
    assert events(tmp_path) == logged  # every step found done; nothing recorded twice


def test_the_seed_refuses_stores_another_process_serves(tmp_path: Path) -> None:
    (tmp_path / "var").mkdir()
    with (tmp_path / "var" / "serving.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as `mhg run` holds it
        refused = seed(tmp_path)
    assert refused.returncode == 2
    assert "served by another `mhg run`" in refused.stderr
    assert not (tmp_path / "var" / "mso_ops.sqlite").exists()
