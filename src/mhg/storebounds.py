"""How long any store call may take: one bound, applied to every connection a service opens.

A request that cannot reach its store within about `timeout` seconds must fail (503),
and nothing it started may commit afterwards. So the bound is enforced where the work
happens, never by abandoning a thread that carries on: connecting (libpq
`connect_timeout`), waiting for a pooled connection, waiting for a lock, a statement
(`statement_timeout`), a transaction left idle, and a dead peer (TCP keepalives and
`tcp_user_timeout`). The event store library retries a failed call ten times; here it
tries twice, each attempt waiting half the timeout to reach the store; a statement may
wait longer behind the service's own writers (`contention_seconds`; docs/adr/0018).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

import psycopg
from eventsourcing.persistence import InterfaceError, OperationalError
from eventsourcing.postgres import PostgresProcessRecorder
from sqlalchemy.engine import URL

DEFAULT_STORE_TIMEOUT = 4.0
ATTEMPTS = 2
LOCK_WAIT_FACTOR = 2.5
_RETRY_PAUSE = 0.1


def attempt_seconds(timeout: float) -> int:
    """Whole seconds one attempt may wait to reach the store (connect, pooled connection)."""
    return max(1, math.ceil(timeout / ATTEMPTS))


def contention_seconds(timeout: float) -> int:
    """Whole seconds a statement may wait behind this service's own writers (a lock).

    A store that answers but is busy is not an outage: a burst of writers queues for the
    log's write lock. Such waits get LOCK_WAIT_FACTOR times the timeout (10 s by default,
    what the SQLite log waited before), so a burst is served while a lock held for good
    still ends in 503.
    """
    return max(1, math.ceil(timeout * LOCK_WAIT_FACTOR))


def postgres_connect_args(
    timeout: float, schema: str | None = None, *, statements: bool = True
) -> dict[str, Any]:
    """libpq parameters bounding connecting, each statement, locks and a silent peer.

    `statements=False` leaves statements unbounded, for the audit ledger, whose offline
    verification reads a whole log; it is still bounded in connecting and by keepalives.
    """
    attempt = attempt_seconds(timeout)
    waits = contention_seconds(timeout) * 1000
    options = []
    if statements:
        options = [
            f"-c statement_timeout={waits}",
            f"-c lock_timeout={waits}",
            f"-c idle_in_transaction_session_timeout={waits}",
        ]
    if schema:
        options.insert(0, f"-csearch_path={schema}")
    return {
        "connect_timeout": max(2, attempt),  # libpq's least
        "keepalives": 1,
        "keepalives_idle": attempt,
        "keepalives_interval": 1,
        "keepalives_count": 2,
        "tcp_user_timeout": attempt * 1000,
        "options": " ".join(options),
    }


def bounded(method: Callable[..., Any]) -> Callable[..., Any]:
    once: Callable[..., Any] = getattr(method, "__wrapped__", method)

    @wraps(once)
    def call(self: Any, *args: Any, **kwargs: Any) -> Any:
        for _ in range(ATTEMPTS - 1):
            try:
                return once(self, *args, **kwargs)
            except (InterfaceError, OperationalError):
                time.sleep(_RETRY_PAUSE)
        return once(self, *args, **kwargs)

    return call


class BoundedPostgresProcessRecorder(PostgresProcessRecorder):
    """The library's PostgreSQL process recorder, retrying a failed call once, not nine times."""

    insert_events = bounded(PostgresProcessRecorder.insert_events)
    select_events = bounded(PostgresProcessRecorder.select_events)
    select_notifications = bounded(PostgresProcessRecorder.select_notifications)
    max_notification_id = bounded(PostgresProcessRecorder.max_notification_id)
    insert_tracking = bounded(PostgresProcessRecorder.insert_tracking)
    max_tracking_id = bounded(PostgresProcessRecorder.max_tracking_id)
    has_tracking_id = bounded(PostgresProcessRecorder.has_tracking_id)


def libpq_target(url: URL) -> dict[str, Any]:
    """The database a PostgreSQL URL names, as psycopg's connection parameters."""
    return {
        "dbname": url.database or "postgres",
        "host": url.host or "127.0.0.1",
        "port": url.port or 5432,
        "user": url.username or "postgres",
        "password": url.password or "",
    }


class StoreUnreachable(Exception):
    """The store named by a service's URL does not answer (start-up refuses to go on)."""


def check_reachable(url: URL, timeout: float) -> None:
    """Connect once to a PostgreSQL store, or raise StoreUnreachable saying why in one line."""
    if url.get_backend_name() != "postgresql":
        return
    args = postgres_connect_args(timeout)
    try:
        with psycopg.connect(**libpq_target(url), connect_timeout=args["connect_timeout"]) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as error:
        reason = " ".join(str(error).split()) or type(error).__name__
        where = url.render_as_string(hide_password=True)
        msg = f"cannot reach the store at {where}: {reason}"
        raise StoreUnreachable(msg) from None
