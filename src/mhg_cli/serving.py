"""Who serves the development stores in `var/`: `mhg run` holds a lock there while it runs.

The demo seed starts the services in its own process on the same stores; two sets of
services writing one SQLite store, each running its own projections, would fight. The
lock says whether the stores are served now, whatever the ports (a lock on the file,
released by the system when the process ends, however it ends).
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from mhg.settings import VAR_DIR


class StoresInUse(Exception):
    """Another `mhg run` (or seed) serves the stores in this directory."""


@contextmanager
def serving(var_dir: Path = VAR_DIR) -> Iterator[None]:
    """Hold the stores of `var_dir` for this process, or raise `StoresInUse`."""
    var_dir.mkdir(parents=True, exist_ok=True)
    with (var_dir / "serving.lock").open("w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            msg = f"the stores in {var_dir}/ are served by another `mhg run` or `mhg demo seed`"
            raise StoresInUse(msg) from None
        yield
