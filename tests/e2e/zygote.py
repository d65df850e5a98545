"""Service processes forked from one interpreter that has imported the services already.

Starting `python -m mhg_cli serve ...` costs two to four CPU-seconds of imports before the
service does anything, and the end-to-end tests start some fifty such processes. So each
test worker starts one zygote (`python -m tests.e2e.zygote`) that imports the command line,
both services and the server once, and forks a process for each service start: the child
takes the environment and log file it is given and runs `mhg_cli.main.main(argv)` -- the
same code `python -m mhg_cli` runs, on a fresh process of its own (its own pid, signals,
sockets, store connections; nothing is opened before the fork).

The zygote reaps its children and reports each one's exit code, so the test side sees a
`Popen`-like handle (`poll`, `wait`, `send_signal`, `kill`, `returncode`). When its stdin
closes (the test worker ended, however), it kills the children still running and exits.
`MHG_E2E_FORK=0` starts each service as a fresh `python -m mhg_cli` instead (tests/e2e/harness.py),
to compare or to rule the zygote out.
"""

from __future__ import annotations

import atexit
import json
import os
import select
import signal
import subprocess
import sys
import threading
import traceback
from pathlib import Path
from typing import IO, Any

PRELOADED = (
    "mhg_cli.main",
    "services.mso_ops.app",
    "services.pc_governance.app",
    "uvicorn",
    "uvicorn.main",
    "uvicorn.loops.uvloop",
    "uvicorn.protocols.http.httptools_impl",
    "uvicorn.lifespan.on",
    "psycopg",
    "httpx",
)


# --- the zygote (its own process) ---------------------------------------------------------


def _preload() -> None:
    import importlib  # noqa: PLC0415 - the zygote's own start

    for name in PRELOADED:
        importlib.import_module(name)


def _run_child(request: dict[str, Any]) -> None:
    """In the forked child: become the service process; never returns."""
    code = 1
    try:
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        log = os.open(request["log"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.dup2(log, 1)
        os.dup2(log, 2)
        os.close(null)
        os.close(log)
        os.environ.clear()
        os.environ.update(request["env"])
        sys.argv = ["mhg", *request["argv"]]
        from mhg_cli.main import main  # noqa: PLC0415 - preloaded: a dictionary look-up

        code = main(request["argv"])
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    except BaseException:  # a child reports any failure and exits, as a process would
        traceback.print_exc()
        code = 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _reap(children: set[int]) -> None:
    for pid in list(children):
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            children.discard(pid)
            os.write(1, f"exited {pid} {os.waitstatus_to_exitcode(status)}\n".encode())


def serve() -> None:
    """Read start requests (one JSON line each) from stdin; answer `started <pid>`, and
    `exited <pid> <code>` when a child ends."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C in the terminal: the tests decide
    _preload()
    children: set[int] = set()
    pending = b""
    os.write(1, b"ready\n")
    while True:
        readable, _, _ = select.select([0], [], [], 0.05)
        if readable:
            chunk = os.read(0, 1 << 16)
            if not chunk:
                break
            pending += chunk
            while b"\n" in pending:
                line, pending = pending.split(b"\n", 1)
                sys.stdout.flush()
                sys.stderr.flush()
                pid = os.fork()
                if pid == 0:
                    _run_child(json.loads(line))
                children.add(pid)
                os.write(1, f"started {pid}\n".encode())
        _reap(children)
    for pid in children:
        os.kill(pid, signal.SIGKILL)
    for pid in children:
        os.waitpid(pid, 0)


# --- the test side ------------------------------------------------------------------------


class Zygote:
    """The test worker's handle on its zygote process."""

    def __init__(self) -> None:
        self._process = subprocess.Popen(
            [sys.executable, "-m", "tests.e2e.zygote"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=Path(__file__).resolve().parents[2],  # where `tests` is a package
        )
        assert self._process.stdin is not None
        assert self._process.stdout is not None
        self._stdin: IO[bytes] = self._process.stdin
        self._stdout: IO[bytes] = self._process.stdout
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._started: list[int] = []
        self._exits: dict[int, int] = {}
        self._ready = False
        threading.Thread(target=self._read, daemon=True, name="zygote-reader").start()

    def _read(self) -> None:
        for raw in self._stdout:
            word, *rest = raw.decode().split()
            with self._changed:
                if word == "ready":
                    self._ready = True
                elif word == "started":
                    self._started.append(int(rest[0]))
                elif word == "exited":
                    self._exits[int(rest[0])] = int(rest[1])
                self._changed.notify_all()
        with self._changed:
            self._ready = False
            self._changed.notify_all()

    def spawn(self, argv: list[str], env: dict[str, str], log: str) -> ZygoteChild:
        request = json.dumps({"argv": argv, "env": env, "log": log}) + "\n"
        with self._changed:
            self._stdin.write(request.encode())
            self._stdin.flush()
            if not self._changed.wait_for(lambda: self._started, timeout=120.0):
                raise RuntimeError("the e2e zygote did not start a process within 120 s")
            return ZygoteChild(self, self._started.pop(0))

    def exit_code(self, pid: int, timeout: float | None) -> int | None:
        with self._changed:
            self._changed.wait_for(lambda: pid in self._exits, timeout=timeout)
            return self._exits.get(pid)

    def close(self) -> None:
        self._stdin.close()
        self._process.wait(timeout=30)


class ZygoteChild:
    """A forked service process, with the part of `subprocess.Popen` the harness uses."""

    def __init__(self, zygote: Zygote, pid: int) -> None:
        self._zygote = zygote
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            self.returncode = self._zygote.exit_code(self.pid, 0)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        if self.returncode is None:
            self.returncode = self._zygote.exit_code(self.pid, timeout)
        if self.returncode is None:
            raise subprocess.TimeoutExpired(f"service process {self.pid}", timeout or 0.0)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


_zygote: Zygote | None = None


def zygote() -> Zygote:
    """This test worker's zygote, started on first use and ended with the worker."""
    global _zygote  # noqa: PLW0603 - one per process, like the interpreter it stands for
    if _zygote is None:
        _zygote = Zygote()
        atexit.register(close_zygote)
    return _zygote


def close_zygote() -> None:
    global _zygote  # noqa: PLW0603
    if _zygote is not None:
        _zygote.close()
        _zygote = None


if __name__ == "__main__":
    serve()
