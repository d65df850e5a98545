"""Which process of a service does the work only one process should do.

Several processes of one service may share one PostgreSQL store (`mhg serve --workers
N`, or processes on several hosts). All of them serve requests; each kind of background
work (the projections, the audit sealer, the peer-feed follower, the context's chores) is
done by one of them at a time. PostgreSQL advisory locks, session-level, make it so:

- the *schema lock*: a process creates the store's tables (event log, read models,
  seals and their triggers) holding `pg_advisory_lock` on a key derived from the
  schema, so processes starting together create them one after another, never at once;
- a *chore lock* per kind of work: on each tick the work's thread asks `holds(chore)`.
  A process not holding it tries `pg_try_advisory_lock` (it never waits) and, once it
  has it, keeps it on its own connection. When the holder dies, PostgreSQL closes its
  session and releases its locks; another process takes the work over at its next tick.

The locks share work out; they are not what keeps the store right. Whatever the work
writes is already safe against a second writer: a projection's position is locked FOR
UPDATE, a seal conflicts on its position, a consumed message on its tracking row. So a
holder whose connection broke a moment ago may finish its batch while another takes
over: the later write is refused, nothing is applied twice.

On SQLite a service is one process (`mhg serve` refuses `--workers` above 1): it holds
every chore, and nothing is locked. ADR 0022.
"""

from __future__ import annotations

import hashlib
import logging
import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg

from mhg.eventstore import StoreLocation
from mhg.storebounds import libpq_target, postgres_connect_args

log = logging.getLogger(__name__)

PROJECTIONS = "projections"
SEALER = "sealer"
FOLLOWER = "follower"
CHORES = "chores"
WORK = (PROJECTIONS, SEALER, FOLLOWER, CHORES)


# The server's side of a lock connection: a holder whose host died (no FIN, unlike a killed
# process) is noticed within about 11 s, not the system's two hours, and its locks freed.
SERVER_KEEPALIVES = (
    "-c tcp_keepalives_idle=5 -c tcp_keepalives_interval=2 -c tcp_keepalives_count=3"
)


def lock_key(*names: str) -> int:
    """A signed 64-bit advisory-lock key for a name (PostgreSQL's locks are per database)."""
    digest = hashlib.blake2b("\x1f".join(("mhg", *names)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def this_process() -> str:
    """How this process is named to an operator: host and process id."""
    return f"{socket.gethostname()}:{os.getpid()}"


def _connect(location: StoreLocation, purpose: str, *, bounded: bool) -> psycopg.Connection:
    """A connection of its own (never the pools'), autocommit: a session-level lock lives
    as long as it does, and it never sits idle in a transaction."""
    args = postgres_connect_args(location.timeout, statements=bounded)
    args["options"] = f"{args['options']} {SERVER_KEEPALIVES}".strip()
    return psycopg.connect(
        **libpq_target(location.url),
        autocommit=True,
        application_name=f"mhg {purpose} {this_process()}"[:63],
        **args,
    )


def _schema(location: StoreLocation) -> str:
    return location.schema or "public"


@contextmanager
def schema_owner(location: StoreLocation) -> Iterator[None]:
    """Hold the schema's lock while this process creates the store's tables.

    Waits as long as another process holds it (its start-up may rebuild a read model):
    creating tables is quick, and a process must not serve before they exist.
    """
    if location.is_sqlite:
        yield
        return
    key = lock_key("schema", _schema(location))
    with _connect(location, "schema", bounded=False) as conn:
        if not _granted(conn.execute("SELECT pg_try_advisory_lock(%s)", (key,)).fetchone()):
            log.info(
                "another process is creating the store in schema %s: waiting for it",
                _schema(location),
            )
            conn.execute("SELECT pg_advisory_lock(%s)", (key,))
        yield  # closing the connection releases the lock


def _granted(row: tuple[object, ...] | None) -> bool:
    return bool(row is not None and row[0])


class Ownership:
    """The chores this process holds, on one connection of its own (PostgreSQL)."""

    def __init__(
        self, location: StoreLocation, service: str, store_errors: dict[str, int] | None = None
    ) -> None:
        self.location = location
        self.service = service
        self.process = this_process()
        self.store_errors = {} if store_errors is None else store_errors
        """Where a failed lock connection is counted, under `ownership` (the runtime's, for
        /metrics)."""
        self._held: frozenset[str] = frozenset()  # replaced, never changed: read unlocked
        self._conn: psycopg.Connection | None = None
        self._mutex = threading.Lock()

    @property
    def held(self) -> list[str]:
        """The chores this process does now (never waits for a tick that is connecting)."""
        return sorted(self._held)

    def holds(self, chore: str) -> bool:
        """Whether this process does `chore` now: it keeps a chore it holds while its
        connection lives, and tries (never waits) to take one it does not."""
        with self._mutex:
            if self.location.is_sqlite:  # one process: it does everything
                self._held |= {chore}
                return True
            try:
                return self._hold(chore)
            except psycopg.Error as error:
                self._lose(error)
                return False

    def _hold(self, chore: str) -> bool:
        if self._conn is None or self._conn.closed:
            self._conn = _connect(self.location, f"{self.service} chores", bounded=True)
        if chore in self._held:
            self._conn.execute("SELECT 1")  # the session lives, and so does its lock
            return True
        key = lock_key("chore", _schema(self.location), self.service, chore)
        if not _granted(self._conn.execute("SELECT pg_try_advisory_lock(%s)", (key,)).fetchone()):
            return False
        self._held |= {chore}
        log.info("%s: this process (%s) now does the %s", self.service, self.process, chore)
        return True

    def _lose(self, error: psycopg.Error) -> None:
        """The lock connection failed: whatever it held, another process may take now."""
        self.store_errors["ownership"] = self.store_errors.get("ownership", 0) + 1
        if self._held:
            log.warning(
                "%s: lost the connection holding %s (%s); trying again next tick",
                self.service,
                ", ".join(sorted(self._held)),
                type(error).__name__,
            )
        self._held = frozenset()
        self._close()

    def _close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def release(self) -> None:
        """Give every chore up (at shutdown): another process takes them at its next tick."""
        with self._mutex:
            self._held = frozenset()
            self._close()
