"""Walking a log against its seals, offline: is every record present, in order, unaltered?

The first problem found is located and named:
- edited     the record at a sealed position is not what was sealed there
- reordered  the record at a position is one that was sealed at another position
- missing    a sealed position has no record any more
- inserted   a record sits at a position inside the sealed history that was never sealed
- chain-broken  a seal does not follow from the one before it (the seals were altered)
- head-mismatch  a head saved earlier (`--against`) is not part of this chain
Records after the last seal are reported as unsealed, not as tampering: the sealer
seals them within seconds.

The log is checked a batch of seals at a time against the records at the same positions:
whole lists of positions, digests and links compared at once. A batch that is not intact
is walked again record by record, to locate and name its first problem.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from mhg.audit.chain import GENESIS, Record, digest, digests, link
from mhg.audit.ledger import BATCH, FIRST, Ledger, Seal


@dataclass
class Finding:
    position: int
    problem: str
    detail: str


@dataclass
class Verdict:
    records: int = 0
    sealed: int = 0
    unsealed: int = 0
    head_position: int | None = None
    head_link: str | None = None
    findings: list[Finding] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.findings


Progress = Callable[[int], None]


def verify(ledger: Ledger, progress: Progress | None = None, batch: int = BATCH) -> Verdict:
    verdict = Verdict()
    after, previous = FIRST, GENESIS
    for seal_rows in ledger.seal_rows(batch=batch):
        last_position, _, last_link = seal_rows[-1]
        record_rows = ledger.record_rows(after, last_position, len(seal_rows) + 1)
        if not _intact(record_rows, seal_rows, previous):
            return _walk(ledger, verdict, after, previous, progress)
        before = verdict.sealed
        verdict.records += len(seal_rows)
        verdict.sealed += len(seal_rows)
        verdict.head_position, verdict.head_link = last_position, bytes(last_link).hex()
        if progress is not None:
            for _ in range(before // 10_000, verdict.sealed // 10_000):
                progress(10_000)
        after, previous = last_position, bytes(last_link)
    verdict.unsealed = ledger.count_records(after)
    verdict.records += verdict.unsealed
    return verdict


def _intact(record_rows: Sequence[Any], seal_rows: Sequence[Any], previous: bytes) -> bool:
    """Are these records exactly the sealed ones, position for position, with every link
    following from the one before?"""
    if [row[0] for row in record_rows] != [row[0] for row in seal_rows]:
        return False
    sealed_digests = [row[1] for row in seal_rows]
    links = [row[2] for row in seal_rows]
    sha256 = hashlib.sha256
    expected_links = [
        sha256(before + record_digest).digest()
        for before, record_digest in zip([previous, *links[:-1]], sealed_digests, strict=True)
    ]
    return expected_links == links and digests(record_rows) == sealed_digests


def _walk(
    ledger: Ledger, verdict: Verdict, after: int, previous: bytes, progress: Progress | None
) -> Verdict:
    """Record by record from a position on: the first problem, located and named."""
    records = ledger.records(after=after)
    record = next(records, None)
    for seal in ledger.seals(after=after):
        expected_link = link(previous, seal.digest)
        if seal.link != expected_link:
            return _found(
                verdict,
                seal.position,
                "chain-broken",
                "this seal does not follow the one before it",
            )
        previous = seal.link
        if record is not None and record.position < seal.position:
            return _found(
                verdict, record.position, "inserted", "a record at a position that was never sealed"
            )
        if record is None or record.position > seal.position:
            return _found(verdict, seal.position, "missing", "a sealed record is no longer stored")
        record_digest = digest(record)
        if record_digest != seal.digest:
            moved_from = _sealed_position_of(ledger, record)
            if moved_from is not None:
                return _found(
                    verdict,
                    seal.position,
                    "reordered",
                    f"holds the record sealed at position {moved_from}",
                )
            return _found(
                verdict, seal.position, "edited", "the stored record differs from the sealed one"
            )
        verdict.records += 1
        verdict.sealed += 1
        verdict.head_position, verdict.head_link = seal.position, seal.link.hex()
        if progress is not None and verdict.sealed % 10_000 == 0:
            progress(10_000)
        record = next(records, None)
    while record is not None:
        verdict.records += 1
        verdict.unsealed += 1
        record = next(records, None)
    return verdict


def verify_head(ledger: Ledger, position: int, link_hex: str) -> Finding | None:
    """Is a head saved earlier (position and link) part of this log's chain?"""
    seal = ledger.seal_at(position)
    if seal is None or seal.link.hex() != link_hex:
        return Finding(
            position, "head-mismatch", "the saved head is not in this chain: history was rewritten"
        )
    return None


def _sealed_position_of(ledger: Ledger, record: Record) -> int | None:
    """Where this record was sealed, if it was sealed at another position (a move)."""
    for seal in ledger.seals():
        if seal.position != record.position and seal.digest == digest(
            record._replace(position=seal.position)
        ):
            return seal.position
    return None


def _found(verdict: Verdict, position: int, problem: str, detail: str) -> Verdict:
    verdict.findings.append(Finding(position, problem, detail))
    return verdict


__all__ = ["Finding", "Seal", "Verdict", "verify", "verify_head"]
