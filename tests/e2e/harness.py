"""Real service processes for end-to-end tests: start, wait for health, stop, poll.

Each service runs `mhg serve <name>` on a free loopback port, with its store and its
peer's feed URL in the environment, as in production (only the poll interval is
shorter), in a process forked from the worker's zygote, which has imported the
services once (tests/e2e/zygote.py). Every wait here is bounded and fails with a
message that says what was awaited, plus the tail of the service's log.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, TypeVar

import httpx
import pytest

from mhg.eventstore import ServiceApplication, StoreLocation
from mhg_cli.token_command import service_environment
from tests.conftest import SECRET, StoreUrl
from tests.e2e.zygote import ZygoteChild, zygote
from tests.keys import MSO_KEY, MSO_SIGNING_SEED, PC_KEY, PC_SIGNING_SEED

T = TypeVar("T")

# A ceiling, not a target: on a loaded 2-core machine (CI, or parallel workers) importing
# and starting a service has taken over 20 s.
STARTUP_TIMEOUT = 90.0
STOP_TIMEOUT = 10.0
POLL_INTERVAL = "0.1"

SIGNING_SEEDS = {"mso-ops": MSO_SIGNING_SEED, "pc-governance": PC_SIGNING_SEED}
PEER_PUBLIC_KEYS = {"mso-ops": PC_KEY.public_text, "pc-governance": MSO_KEY.public_text}
ENV_PREFIX = {"mso-ops": "MHG_MSO_OPS_", "pc-governance": "MHG_PC_GOVERNANCE_"}


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_until(
    predicate: Callable[[], T | None],
    timeout: float = 10.0,
    *,
    message: str = "condition",
    interval: float = 0.05,
) -> T:
    """Poll `predicate` until it returns something truthy, and return that; fail after `timeout`.

    Exceptions raised by the predicate count as "not yet" (the last one is reported).
    """
    deadline = time.monotonic() + timeout
    last_error: BaseException | None = None
    while True:
        try:
            result = predicate()
        except (AssertionError, httpx.HTTPError, KeyError, ValueError) as error:
            last_error = error
            result = None
        if result:
            return result
        if time.monotonic() >= deadline:
            detail = f" (last error: {last_error!r})" if last_error else ""
            pytest.fail(f"timed out after {timeout:.1f}s waiting for {message}{detail}")
        time.sleep(interval)


@dataclass
class ServiceProcess:
    """One service as a subprocess; restartable on the same port and store."""

    name: str
    port: int
    database_url: str
    peer_port: int
    log_path: Path
    arguments: tuple[str, ...] = ()
    """Further `mhg serve` arguments, e.g. `--workers 2`."""
    process: ZygoteChild | subprocess.Popen[bytes] | None = None
    _log_file: IO[bytes] | None = field(default=None, repr=False)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def environment(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        prefix = ENV_PREFIX[self.name]
        env = service_environment(self.name, dict(os.environ))  # not the peer's private key
        env.pop("MHG_FAULT_POINT", None)
        env.update(
            {
                "MHG_AUTH_SECRET": SECRET,
                f"{prefix}DATABASE_URL": self.database_url,
                f"{prefix}PEER_FEED_URL": f"http://127.0.0.1:{self.peer_port}/contracts/v1/feed",
                f"{prefix}POLL_INTERVAL": POLL_INTERVAL,
                f"{prefix}SIGNING_KEY": SIGNING_SEEDS[self.name],
                f"{prefix}PEER_PUBLIC_KEYS": PEER_PUBLIC_KEYS[self.name],
                # feeds of domain messages only here: witnessed heads have their own tests
                f"{prefix}HEAD_INTERVAL": "3600",
                # a peer away is reported after a second, not the production five
                f"{prefix}PEER_UNREACHABLE_AFTER": "1",
            }
        )
        env.update(extra or {})
        return env

    def start(self, extra_env: dict[str, str] | None = None, *, wait: bool = True) -> None:
        assert not self.running, f"{self.name} is running already"
        command = [
            "serve",
            self.name,
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            *self.arguments,
        ]
        self._log_file = self.log_path.open("ab")
        self._log_file.write(f"\n=== start mhg {' '.join(command)} {extra_env or ''}\n".encode())
        self._log_file.flush()
        if os.environ.get("MHG_E2E_FORK", "1") == "0":  # a fresh interpreter each time, to compare
            self.process = subprocess.Popen(
                [sys.executable, "-m", "mhg_cli", *command],
                env=self.environment(extra_env),
                stdout=self._log_file,
                stderr=subprocess.STDOUT,
            )
        else:
            self.process = zygote().spawn(command, self.environment(extra_env), str(self.log_path))
        if wait:
            self.wait_healthy()

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def wait_healthy(self, timeout: float = STARTUP_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise AssertionError(
                    f"{self.name} exited with {self.process.returncode} while starting\n"
                    f"{self.log_tail()}"
                )
            try:
                if httpx.get(f"{self.base_url}/healthz", timeout=1.0).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise AssertionError(
            f"{self.name} did not answer /healthz within {timeout:.0f}s\n{self.log_tail()}"
        )

    def wait_exit(self, timeout: float = STARTUP_TIMEOUT) -> int:
        """Wait for the process to end by itself; its exit code."""
        assert self.process is not None
        try:
            code = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            pytest.fail(f"{self.name} did not exit within {timeout:.0f}s\n{self.log_tail()}")
        self._close_log()
        return code

    def stop(self, timeout: float = STOP_TIMEOUT) -> int | None:
        """SIGINT (graceful shutdown), then SIGKILL after `timeout`; the exit code."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=timeout)
        self._close_log()
        return self.process.returncode

    def _close_log(self) -> None:
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None

    def log_tail(self, lines: int = 40) -> str:
        if not self.log_path.exists():
            return f"(no log at {self.log_path})"
        tail = self.log_path.read_text(errors="replace").splitlines()[-lines:]
        return f"--- last {len(tail)} lines of {self.log_path} ---\n" + "\n".join(tail)

    def client(self, headers: dict[str, str] | None = None) -> httpx.Client:
        return httpx.Client(base_url=self.base_url, headers=headers or {}, timeout=10.0)

    def readiness(self) -> dict[str, Any]:
        response = httpx.get(f"{self.base_url}/readyz", timeout=5.0)
        body: dict[str, Any] = response.json()
        return body


@dataclass
class Services:
    mso: ServiceProcess
    pc: ServiceProcess

    def stop(self) -> None:
        for service in (self.mso, self.pc):
            service.stop()


def wait_caught_up(
    consumer: ServiceProcess, producer: ServiceProcess, timeout: float = 15.0
) -> None:
    """Wait until `consumer` has read `producer`'s whole log and its read models are current."""

    def caught_up() -> bool:
        head = producer.readiness()["log_head"]
        ready = consumer.readiness()
        return (
            ready["follower_consumed"] >= head
            and ready["follower_lag"] == 0
            and ready["follower_error"] is None
            and ready["projection_lag"] == 0
        )

    wait_until(caught_up, timeout, message=f"{consumer.name} to catch up with {producer.name}")


@contextmanager
def running_services(
    store_url: StoreUrl, log_dir: Path, *, start: bool = True
) -> Iterator[Services]:
    """MSO Operations and PC Governance as two processes, each following the other's feed."""
    mso_port, pc_port = free_port(), free_port()
    while pc_port == mso_port:
        pc_port = free_port()
    services = Services(
        mso=ServiceProcess(
            name="mso-ops",
            port=mso_port,
            database_url=store_url("mso_ops"),
            peer_port=pc_port,
            log_path=log_dir / "mso-ops.log",
        ),
        pc=ServiceProcess(
            name="pc-governance",
            port=pc_port,
            database_url=store_url("pc_governance"),
            peer_port=mso_port,
            log_path=log_dir / "pc-governance.log",
        ),
    )
    try:
        if start:
            services.mso.start(wait=False)
            services.pc.start(wait=False)
            services.mso.wait_healthy()
            services.pc.wait_healthy()
        yield services
    finally:
        services.stop()


@contextmanager
def opened_store(
    application: Callable[[StoreLocation], ServiceApplication], database_url: str
) -> Iterator[ServiceApplication]:
    """A service's event store, opened with its real application class (for inspection)."""
    app = application(StoreLocation.parse(database_url))
    try:
        yield app
    finally:
        app.close()


def stored_events(
    application: Callable[[StoreLocation], ServiceApplication], database_url: str
) -> list[Any]:
    """Every event in a service's log, decoded, in log order."""
    with opened_store(application, database_url) as app:
        notifications = app.recorder.select_notifications(start=None, limit=10000)
        assert len(notifications) < 10000, "more events than this inspection reads"
        return [app.decode(n) for n in notifications]


def event_name(event: Any) -> str:
    """`Aggregate.Event`, e.g. `Authorization.Requested`."""
    return str(type(event).__qualname__)
