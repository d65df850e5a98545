"""Sealing: extending the chain over records written since the last seal.

It runs right behind the write path (a background worker polling the log), so a
command never waits for it; a record stays unsealed for about one poll interval.
Sealing is deterministic: two sealers racing compute the same seals, and the loser's
insert conflicts on the position and is simply retried from the new last seal.
"""

from __future__ import annotations

import hashlib

from sqlalchemy.exc import IntegrityError

from mhg.audit.chain import GENESIS, digests
from mhg.audit.ledger import FIRST, LAST, Ledger


def seal_pending(ledger: Ledger, batch: int = 2000) -> int:
    """Seal every record not yet sealed; returns how many were sealed."""
    sealed = 0
    sha256 = hashlib.sha256
    while True:
        last = ledger.last_seal()
        after, previous = (last.position, last.link) if last else (FIRST, GENESIS)
        rows = ledger.record_rows(after, LAST, batch)
        if not rows:
            return sealed
        new: list[tuple[int, bytes, bytes]] = []
        for row, record_digest in zip(rows, digests(rows), strict=True):
            previous = sha256(previous + record_digest).digest()
            new.append((row[0], record_digest, previous))
        try:
            ledger.append_seals(new)
        except IntegrityError:
            continue  # another sealer got there first: start again from its last seal
        sealed += len(new)
