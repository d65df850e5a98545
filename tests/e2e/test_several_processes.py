"""Several processes of one service on one PostgreSQL store (ADR 0022).

All of them serve requests; each kind of background work (projections, the audit
sealer, the feed follower) is done by one process at a time, and taken over by another
when that process dies. PostgreSQL only: an SQLite store is served by one process.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections import Counter
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from mhg.audit.ledger import Ledger
from mhg.audit.verification import verify
from mhg.eventstore import StoreLocation
from services.mso_ops.application import MsoOpsApplication
from tests.conftest import StoreUrl, auth
from tests.e2e.flows import DIRECTOR
from tests.e2e.harness import (
    ServiceProcess,
    Services,
    event_name,
    free_port,
    running_services,
    stored_events,
    wait_caught_up,
    wait_until,
)

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]

ADMIN = auth("mso_admin", "ann")
MSO_WORK = {"projections", "sealer", "follower"}  # MSO Operations has no chores of its own
TAKEOVER = 20.0  # the survivor's next tick; generous on a loaded two-core machine


def twin_of(services: Services, log_dir: Path) -> ServiceProcess:
    """A second MSO Operations process on the first one's store."""
    return ServiceProcess(
        name="mso-ops",
        port=free_port(),
        database_url=services.mso.database_url,
        peer_port=services.pc.port,
        log_path=log_dir / "mso-ops-twin.log",
    )


def holds(process: ServiceProcess) -> set[str]:
    return set(process.readiness()["holds"])


def work_held(process: ServiceProcess) -> list[str]:
    """The kinds of work `/metrics` says this process does (`mhg_work_held` 1)."""
    text = httpx.get(f"{process.base_url}/metrics", timeout=5.0).text
    return [
        sample.labels["work"]
        for family in text_string_to_metric_families(text)
        if family.name == "mhg_work_held"
        for sample in family.samples
        if sample.value == 1
    ]


def new_site(process: ServiceProcess, name: str) -> httpx.Response:
    body = {"name": name, "kind": "clinic", "address": "1 Main St"}
    return httpx.post(f"{process.base_url}/sites", json=body, headers=ADMIN, timeout=10.0)


def test_two_processes_started_at_once_both_come_up_and_serve(
    store_url: StoreUrl, tmp_path: Path
) -> None:
    with running_services(store_url, tmp_path, start=False) as services:
        twin = twin_of(services, tmp_path)
        try:
            for process in (services.mso, twin, services.pc):
                process.start(wait=False)
            for process in (services.mso, twin, services.pc):
                process.wait_healthy()
            made = {}
            for process in (services.mso, twin):
                created = new_site(process, f"Site of {process.port}")
                assert created.status_code == 201, created.text
                made[process.port] = created.json()["id"]
            for process in (services.mso, twin):  # each reads what the other wrote
                with process.client(ADMIN) as http:
                    for site_id in made.values():
                        assert http.get(f"/sites/{site_id}").status_code == 200

            def shared_out() -> bool:
                first, second = holds(services.mso), holds(twin)
                return first | second == MSO_WORK and not first & second

            wait_until(shared_out, TAKEOVER, message="each kind of work held by one process")
            held = Counter(work for process in (services.mso, twin) for work in work_held(process))
            assert held == dict.fromkeys(MSO_WORK, 1), "the metric says who does what, too"
            for process in (services.mso, twin):
                listed = wait_until(
                    lambda p=process: _listed(p, len(made)), TAKEOVER, message="both sites listed"
                )
                assert listed == set(made.values())
        finally:
            twin.stop()


def test_two_workers_on_a_fresh_store_both_come_up(store_url: StoreUrl, tmp_path: Path) -> None:
    """`mhg serve --workers 2`: both workers create the store at once (one after the other)."""
    with running_services(store_url, tmp_path, start=False) as services:
        services.mso.arguments = ("--workers", "2")
        services.mso.start()
        seen: set[str] = set()

        def both_answered() -> bool:
            seen.add(services.mso.readiness()["process"])  # a new connection each time
            return len(seen) == 2

        wait_until(both_answered, 30.0, message="an answer from each of the two workers")
        created = new_site(services.mso, "Two workers")
        assert created.status_code == 201, created.text
        log = services.mso.log_path.read_text(errors="replace")
        assert "Traceback" not in log, services.mso.log_tail()


def test_serving_sqlite_with_several_workers_is_refused(tmp_path: Path) -> None:
    process = ServiceProcess(
        name="mso-ops",
        port=free_port(),
        database_url=f"sqlite:///{tmp_path}/mso.sqlite",
        peer_port=free_port(),
        log_path=tmp_path / "mso-ops.log",
        arguments=("--workers", "2"),
    )
    process.start(wait=False)
    assert process.wait_exit(30.0) == 2
    assert "--workers 2 needs a PostgreSQL store" in process.log_path.read_text()


def test_killing_the_process_doing_the_work_loses_nothing_and_another_takes_it_over(
    store_url: StoreUrl, tmp_path: Path
) -> None:
    with running_services(store_url, tmp_path, start=False) as services:
        twin = twin_of(services, tmp_path)
        mso = (services.mso, twin)
        try:
            for process in (*mso, services.pc):
                process.start(wait=False)
            for process in (*mso, services.pc):
                process.wait_healthy()
            holder = wait_until(
                lambda: next((p for p in mso if "projections" in holds(p)), None),
                TAKEOVER,
                message="a process doing the projections",
            )
            survivor = twin if holder is services.mso else services.mso
            load = Load(mso, services.pc)
            load.start()
            wait_until(lambda: len(load.created) >= 20, 30.0, message="sites created")
            assert holder.process is not None
            holder.process.kill()  # SIGKILL: no shutdown, its connections just close
            holder.process.wait(timeout=10)
            started = time.monotonic()
            wait_until(
                lambda: holds(survivor) == MSO_WORK, TAKEOVER, message="the survivor to take over"
            )
            taken_over = time.monotonic() - started
            time.sleep(2.0)  # the survivor alone under load
            load.stop()

            wait_caught_up(survivor, services.pc, timeout=30.0)
            wait_until(
                lambda: survivor.readiness()["projection_lag"] == 0, 30.0, message="projections"
            )
            listed = _listed(survivor, len(load.created))
            assert listed is not None
            assert set(load.created) <= listed
            ledger = Ledger(StoreLocation.parse(survivor.database_url), MsoOpsApplication.name)
            try:
                verdict = wait_until(
                    lambda: (v := verify(ledger)).unsealed == 0 and v, 30.0, message="all sealed"
                )
            finally:
                ledger.dispose()
            assert verdict.intact, verdict.findings
        finally:
            twin.stop()
        services.stop()
    print(
        f"took over in {taken_over:.2f} s; {len(load.created)} sites, {load.clinicians} clinicians"
    )
    events = stored_events(MsoOpsApplication, services.mso.database_url)
    proposed = {str(e.originator_id) for e in events if event_name(e) == "Site.Proposed"}
    assert set(load.created) <= proposed, "a site answered 201 is missing from the log"
    received = Counter(e.position for e in events if event_name(e) == "ReceivedMessage.Received")
    assert received, "no contract message reached the MSO"
    assert max(received.values()) == 1, "a contract message was applied twice"
    standings = [e for e in events if event_name(e) == "ClinicianStanding.Recorded"]
    assert len(standings) == load.clinicians


class Load:
    """Sites created on both MSO processes in turn, clinicians registered at the PC (each a
    contract message the MSO's follower applies), until stopped."""

    def __init__(self, mso: tuple[ServiceProcess, ...], pc: ServiceProcess) -> None:
        self.mso, self.pc = mso, pc
        self.created: list[str] = []
        self.clinicians = 0
        self._stop = threading.Event()
        self._threads = [
            threading.Thread(target=self._sites, daemon=True),
            threading.Thread(target=self._clinicians, daemon=True),
        ]

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=30)

    def _sites(self) -> None:
        for number in itertools.count():
            if self._stop.is_set():
                return
            try:
                response = new_site(self.mso[number % 2], f"Load site {number}")
            except httpx.HTTPError:
                continue  # the killed process: its requests fail, none of them answered 201
            if response.status_code == 201:
                self.created.append(str(response.json()["id"]))

    def _clinicians(self) -> None:
        with self.pc.client(DIRECTOR) as http:
            for number in itertools.count(1):
                if self._stop.wait(0.2):
                    return
                body = {"npi": f"{5000000000 + number}", "name": f"Dr. {number}", "role": "np"}
                response = http.post("/clinicians", json=body)
                assert response.status_code == 201, response.text
                self.clinicians += 1


def _listed(process: ServiceProcess, at_least: int) -> set[str] | None:
    """Every site the process lists (page after page), once there are `at_least`."""
    ids: set[str] = set()
    params: dict[str, str | int] = {"limit": 100}
    with process.client(ADMIN) as http:
        while True:
            page = http.get("/sites", params=params).json()
            ids |= {str(item["id"]) for item in page["items"]}
            if not page.get("next_cursor"):
                break
            params["cursor"] = page["next_cursor"]
    return ids if len(ids) >= at_least else None
