"""The fast store's starting files: what each service creates on its first start, made once.

A service's first start on an empty SQLite store creates its event log, its read
models (64 tables and 131 indexes at MSO Operations) and its audit seals, with their
append-only triggers. Tests that are not about storage need that state, not the cost of
making it for every test: the session starts both services once on empty files (the
same start-up `service_pair` runs), and each such test gets its own copy of the files.
The service under test then starts on its copy through its own start-up, as it does on
every restart.
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

SERVICE_STORES = ("mso_ops", "pc_governance")


class StoreTemplates:
    """The files both services made on an empty store, built on first use."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._built = False
        self._lock = threading.Lock()

    def _build(self) -> None:
        from tests.integration.services import service_pair  # noqa: PLC0415 - imports the services

        def url(name: str) -> str:
            return f"sqlite:///{self.directory / name}.sqlite"

        with service_pair(url):
            pass

    def copy(self, name: str, into: Path) -> None:
        """Copy the files of the store `name` into `into`, if a service makes that store."""
        if name not in SERVICE_STORES:
            return
        with self._lock:
            if not self._built:
                self._build()
                self._built = True
        for source in sorted(self.directory.glob(f"{name}.*")):
            shutil.copyfile(source, into / source.name)
