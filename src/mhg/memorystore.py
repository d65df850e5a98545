"""A SQLite store in this process's memory: the fast store of tests not about storage.

SQLite's `memdb` VFS keeps a database in memory under a name that starts with `/`,
shared by every connection of the process that opens that name, and frees it when the
last one closes. Unlike shared-cache `:memory:` databases (table locks, SQLITE_LOCKED,
which no busy timeout waits out) it locks the whole database as a file does and answers
contention with SQLITE_BUSY, which the store's busy timeouts wait out: so the service's
request threads, projection thread and sealer share it as they share a file. No WAL:
readers wait for a writer's commit (see docs/adr/0024).

`sqlite:///file:/name.sqlite?vfs=memdb&uri=true` is such a store; its read models and
seals are the databases beside it (`/name.read.sqlite`, `/name.audit.sqlite`), as a
file's are. Whoever makes one keeps a connection open for as long as it must live.
"""

from __future__ import annotations

from sqlalchemy.engine import URL

MEMORY_VFS = "memdb"


def memory_url(name: str) -> str:
    """The URL of the in-memory store `name` (unique within this process)."""
    return f"sqlite:///file:/{name}.sqlite?vfs={MEMORY_VFS}&uri=true"


def in_memory(url: URL) -> bool:
    return url.get_backend_name() == "sqlite" and url.query.get("vfs") == MEMORY_VFS


def sqlite_filename(url: URL) -> str:
    """What `sqlite3.connect(..., uri=True)` opens for a SQLite URL: its file, or its
    database in memory."""
    if in_memory(url):
        return f"{url.database}?vfs={MEMORY_VFS}"
    return str(url.database)
