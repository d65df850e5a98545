"""Verification checks the log a batch of seals at a time and walks a batch that is not
intact record by record: a problem in a later batch, or across a batch's edge, is still
located and named as in a single batch, and the counts add up across batches."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy.engine import Connection

from mhg.audit.sealing import seal_pending
from mhg.audit.verification import verify
from tests.integration import test_audit_chain as chain_tests
from tests.integration.conftest import ADMIN
from tests.integration.services import Pair
from tests.integration.test_audit_chain import TAMPERS, tampering

pytestmark = pytest.mark.storage


# six sites through the MSO service, as in test_audit_chain
six_sites = chain_tests.pair


@pytest.mark.parametrize("batch", [1, 2, 4])
def test_counts_and_head_add_up_across_batches(six_sites: Pair, batch: int) -> None:
    ledger = six_sites.mso_runtime.ledger
    seal_pending(ledger)
    six_sites.mso.post(
        "/sites", json={"name": "Late", "kind": "clinic", "address": "x"}, headers=ADMIN
    )
    whole, batched = verify(ledger), verify(ledger, batch=batch)
    assert batched.intact
    assert (batched.records, batched.sealed, batched.unsealed) == (7, 6, 1)
    assert (batched.head_position, batched.head_link) == (whole.head_position, whole.head_link)
    last = ledger.last_seal()
    assert last is not None
    assert (batched.head_position, batched.head_link) == (last.position, last.link.hex())


@pytest.mark.parametrize(
    ("case", "tamper", "problem", "position"), TAMPERS, ids=[t[0] for t in TAMPERS]
)
@pytest.mark.parametrize("batch", [2, 3])
def test_a_tampered_row_in_any_batch_is_located(
    six_sites: Pair,
    case: str,
    tamper: Callable[[Connection, str, str, int], None],
    problem: str,
    position: int,
    batch: int,
) -> None:
    ledger = six_sites.mso_runtime.ledger
    seal_pending(ledger)
    with tampering(ledger) as conn:
        tamper(conn, ledger.events_table, ledger.position_column, position)
    verdict = verify(ledger, batch=batch)
    assert not verdict.intact, case
    assert (verdict.findings[0].problem, verdict.findings[0].position) == (problem, position)
    assert verdict.sealed == max(position - 1, 0), "the batches before the problem were intact"
