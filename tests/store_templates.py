"""The fast store: SQLite in the test process's memory, each service's started from a
template made once.

A service's first start on an empty store creates its event log, its read models (64
tables and 131 indexes at MSO Operations) and its audit seals, with their append-only
triggers. Tests that are not about storage need that state, not the cost of making it
for every test: the session starts both services once on empty stores (the same
start-up `service_pair` runs), and each such test gets its own copy of them, made with
SQLite's backup API. The service under test then starts on its copy through its own
start-up, as it does on every restart.

Every store here is in memory (`mhg.memorystore`, docs/adr/0024): nothing written is
synced to disk. A store lives while its `MemoryStores` holds it open, so a service can
stop and start again on it, and is freed when the test ends.
"""

from __future__ import annotations

import sqlite3
import threading
import uuid

from mhg.audit.ledger import seals_url
from mhg.eventstore import StoreLocation
from mhg.memorystore import memory_url, sqlite_filename
from mhg.readstore import read_model_url

SERVICE_STORES = ("mso_ops", "pc_governance")


def databases(url: str) -> list[str]:
    """What sqlite3 opens for each database of a store: its log, read models and seals."""
    location = StoreLocation.parse(url)
    urls = (location.url, read_model_url(location), seals_url(location))
    return [sqlite_filename(each) for each in urls]


class MemoryStores:
    """The in-memory stores of one test (or of the templates), each held open until
    `close`."""

    def __init__(self) -> None:
        self.prefix = f"mhg-{uuid.uuid4().hex}"
        self.held: dict[str, list[sqlite3.Connection]] = {}

    def open(self, name: str, template: MemoryStores | None = None) -> str:
        """The URL of the store `name`, made (a copy of `template`'s, if it has one) and
        held on first use."""
        url = memory_url(f"{self.prefix}/{name}")
        if name not in self.held:
            held = [
                sqlite3.connect(database, uri=True, check_same_thread=False)
                for database in databases(url)
            ]
            if template is not None and name in template.held:
                for source, target in zip(template.held[name], held, strict=True):
                    source.backup(target)
            self.held[name] = held
        return url

    def close(self) -> None:
        for held in self.held.values():
            for connection in held:
                connection.close()
        self.held.clear()


class StoreTemplates:
    """The stores both services made on an empty store, built on first use."""

    def __init__(self) -> None:
        self.templates = MemoryStores()
        self._built = False
        self._lock = threading.Lock()

    def _build(self) -> None:
        from tests.integration.services import service_pair  # noqa: PLC0415 - imports the services

        with service_pair(self.templates.open):
            pass

    def open(self, stores: MemoryStores, name: str) -> str:
        """The URL of the test's store `name`: a copy of the template if a service makes
        that store, else empty."""
        if name in SERVICE_STORES:
            with self._lock:
                if not self._built:
                    self._build()
                    self._built = True
        return stores.open(name, self.templates)

    def close(self) -> None:
        self.templates.close()
