"""The seal of a packet: the hash chain's link at the last log position the packet covers.

It has the shape of a chain head (`GET /audit/head`), signed when the service has a
signing key, so a recipient saves it and runs `mhg audit verify --against` on a copy of
the log. A position the sealer has not reached yet is said to be unsealed, never guessed.
"""

from __future__ import annotations

from typing import Any

from mhg.audit.heads import Head, signed, signing_key
from mhg.audit.ledger import Ledger


def seal_at(
    ledger: Ledger, service: str, position: int, key: str | None
) -> tuple[dict[str, Any] | None, str | None]:
    """(the seal at `position`, None), or (None, why there is none)."""
    if position == 0:
        return None, "the period holds no governance record, so there is nothing to seal"
    seal = ledger.seal_at(position)
    if seal is None:
        return None, (
            f"log position {position} is not sealed yet (the sealer runs right behind the "
            "writes); request the packet again shortly"
        )
    head = Head(
        service=service,
        position=seal.position,
        link=seal.link.hex(),
        sealed_at=ledger.sealed_at(seal),
    )
    return signed(head, signing_key(key) if key else None), None
