"""Both services in the seed's own process, on the stores `mhg run` serves, each on a
free port and following the other: the stage the demo year is played on.

A year cannot be entered after the fact through the APIs alone, and rightly: a PC policy
never acts retroactively, a visit's outcome waits for the visit. So the seed lives the
year: it moves this process's clock (time-machine, which moves every clock Python has,
in every thread) to each month in turn and acts then, and both services, started after
the first move, see the same moment. Their logs hold the year as it would have happened.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn

from mhg.devkeys import run_environment
from mhg.settings import AuthSettings
from mhg_cli.services import SERVICES, service_module
from mhg_cli.token_command import ENV_PREFIX, ensure_development_keys, service_environment

START_WAIT = 60.0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _environment(ports: dict[str, int]) -> dict[str, str]:
    """What each service would be started with by `mhg run`, each following the other
    on its port here; one environment, since the prefixes keep them apart."""
    merged: dict[str, str] = {}
    for name in SERVICES:
        own = run_environment(name, service_environment(name, dict(os.environ)))
        merged |= {k: v for k, v in own.items() if k.startswith(ENV_PREFIX[name])}
        peer = next(other for other in SERVICES if other != name)
        merged[f"{ENV_PREFIX[name]}PEER_FEED_URL"] = (
            f"http://127.0.0.1:{ports[peer]}/contracts/v1/feed"
        )
    return merged


@contextmanager
def _served(app: Any, port: int) -> Iterator[None]:
    config = uvicorn.Config(app, host="127.0.0.1", port=port, loop="asyncio", log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=f"demo-{port}", daemon=True)
    thread.start()
    deadline = time.perf_counter() + START_WAIT
    while not server.started:
        if not thread.is_alive() or time.perf_counter() > deadline:
            msg = f"a service did not start on port {port}"
            raise RuntimeError(msg)
        time.sleep(0.05)
    try:
        yield
    finally:
        server.should_exit = True
        thread.join(timeout=30)


@contextmanager
def services_here() -> Iterator[dict[str, str]]:
    """Both services started in this process; their base URLs by service name."""
    AuthSettings().secret()
    ensure_development_keys()
    ports = {name: _free_port() for name in SERVICES}
    saved = dict(os.environ)
    os.environ.update(_environment(ports))
    try:
        apps = {name: service_module(name).create_app() for name in SERVICES}
        with (
            _served(apps["mso-ops"], ports["mso-ops"]),
            _served(apps["pc-governance"], ports["pc-governance"]),
        ):
            yield {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    finally:
        os.environ.clear()
        os.environ.update(saved)
