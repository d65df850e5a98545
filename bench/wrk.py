"""Driving an HTTP endpoint with wrk (Debian/Ubuntu package `wrk`): a Lua script per
request shape, and the figures wrk reports (requests/s, p99, answers that failed)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

INSTALL = "wrk is not installed: `apt-get install -y wrk` (or build it from github.com/wg/wrk)"
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


class WrkMissing(RuntimeError):
    """The load generator is not on PATH."""


def require_wrk() -> str:
    found = shutil.which("wrk")
    if found is None:
        raise WrkMissing(INSTALL)
    return found


@dataclass(frozen=True)
class Load:
    """What wrk sends: one method and body to a path picked per request from `paths`;
    `fresh_header`, when named, gets a value of its own in every request."""

    method: str
    paths: tuple[str, ...]
    headers: dict[str, str]
    body: Mapping[str, object] | None = None
    fresh_header: str | None = None

    def script(self) -> str:
        """A Lua script: fixed headers and body, a random one of the paths per request."""
        lines = [f"wrk.method = {_lua(self.method)}"]
        headers = dict(self.headers)
        if self.body is not None:
            lines.append(f"wrk.body = {_lua(json.dumps(self.body))}")
            headers["Content-Type"] = "application/json"
        lines += [f"wrk.headers[{_lua(k)}] = {_lua(v)}" for k, v in headers.items()]
        lines.append("local paths = {" + ", ".join(_lua(p) for p in self.paths) + "}")
        if self.fresh_header is None:
            lines.append(
                "request = function() return wrk.format(nil, paths[math.random(#paths)]) end"
            )
        else:  # this run's own prefix, the wrk thread's number, a counter
            lines += [
                f"local prefix = {_lua(uuid.uuid4().hex)}",
                "local threads = 0",
                "function setup(thread) threads = threads + 1; thread:set('tid', threads) end",
                "local counter = 0",
                "request = function()",
                "  counter = counter + 1",
                f"  wrk.headers[{_lua(self.fresh_header)}] = prefix .. '-' .. tid .. '-' .. counter",
                "  return wrk.format(nil, paths[math.random(#paths)])",
                "end",
            ]
        return "\n".join(lines) + "\n"


def _lua(value: str) -> str:
    """A Lua string literal (JSON's escapes are Lua's for what we send)."""
    return json.dumps(value)


@dataclass(frozen=True)
class Measured:
    rate: float
    p99_ms: float
    failed: int  # non-2xx/3xx answers and socket errors
    requests: int


def run(base: str, load: Load, seconds: int, connections: int, threads: int = 1) -> Measured:
    """One wrk run of `load` against `base` (http://host:port)."""
    wrk = require_wrk()
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(load.script())
    try:
        out = subprocess.run(
            [
                wrk,
                f"-t{threads}",
                f"-c{connections}",
                f"-d{seconds}s",
                "--latency",
                "-s",
                script.name,
                base,
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        Path(script.name).unlink()
    return parse(out)


def parse(out: str) -> Measured:
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s|m)\b", out)
    requests = re.search(r"(\d+) requests in", out)
    if rate is None or p99 is None or requests is None:
        raise RuntimeError(f"wrk's output is not what bench.wrk reads:\n{out}")
    failed = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses:\s+(\d+)", out))
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if errors is not None:
        failed += sum(int(n) for n in errors.groups())
    return Measured(
        rate=float(rate.group(1)),
        p99_ms=float(p99.group(1)) * UNITS[p99.group(2)],
        failed=failed,
        requests=int(requests.group(1)),
    )
