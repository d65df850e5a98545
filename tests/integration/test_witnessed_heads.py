"""Each service records the other's signed chain head in its own log (through the feed),
so one organization rewriting its history, re-sealed from the start, is caught by the
other's log."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import text

from mhg.audit.heads import check_signature
from mhg.audit.ledger import Ledger
from mhg.audit.sealing import seal_pending
from mhg.audit.verification import verify
from mhg.runtime import ServiceRuntime
from mhg.witness import PUBLISHED_TOPIC, WITNESSED_TOPIC
from tests.conftest import StoreUrl
from tests.integration.mhg_command import mhg_in_process
from tests.integration.services import MSO_KEY, PC_KEY, Pair, service_pair
from tests.integration.test_audit_chain import edit_a_byte, tampering
from tests.integration.test_feed_and_projections import requested_line

# Issues 9 and 10 ask for every point on both backends.
pytestmark = pytest.mark.storage


def heads_in(ledger: Ledger, topic: str) -> list[dict[str, Any]]:
    return [json.loads(r.state)["head"] for r in ledger.records() if r.topic == topic]


def witnessed(ledger: Ledger) -> list[tuple[dict[str, Any], bool]]:
    states = [json.loads(r.state) for r in ledger.records() if r.topic == WITNESSED_TOPIC]
    return [(state["head"], state["verified"]) for state in states]


def seal_and_publish(runtime: ServiceRuntime) -> bool:
    seal_pending(runtime.ledger)
    return runtime.publish_head()


def test_each_service_records_the_others_signed_head(store_url: StoreUrl) -> None:
    with service_pair(store_url) as pair:
        requested_line(pair)
        pair.sync()
        for runtime in (pair.mso_runtime, pair.pc_runtime):
            assert seal_and_publish(runtime)
            # its own head record is sealed next; that alone publishes nothing more
            assert not seal_and_publish(runtime)
        pair.sync()
        [mso_head] = heads_in(pair.mso_runtime.ledger, PUBLISHED_TOPIC)
        [pc_head] = heads_in(pair.pc_runtime.ledger, PUBLISHED_TOPIC)
        assert check_signature(mso_head)
        assert mso_head["public_key"] == MSO_KEY.public_text
        assert pc_head["public_key"] == PC_KEY.public_text
        assert witnessed(pair.pc_runtime.ledger) == [(mso_head, True)]
        assert witnessed(pair.mso_runtime.ledger) == [(pc_head, True)]


def test_a_head_signed_by_a_key_the_witness_does_not_trust_is_recorded_as_unverified(
    store_url: StoreUrl,
) -> None:
    with service_pair(store_url) as pair:
        requested_line(pair)
        pair.mso_runtime.settings.audit_signing_key = "b3RoZXIgb3JnYW5pemF0aW9uIGtleSwgMzIgYnl0ZXM="
        assert seal_and_publish(pair.mso_runtime)
        pair.sync()
        [(head, verified)] = witnessed(pair.pc_runtime.ledger)
        assert check_signature(head)
        assert verified is False


def rewrite_history(pair: Pair) -> None:
    """The MSO's owner edits a record, deletes every seal and lets the sealer re-seal."""
    ledger = pair.mso_runtime.ledger
    with tampering(ledger) as conn:
        edit_a_byte(conn, ledger.events_table, ledger.position_column, 2)
    with tampering(ledger, seals=True) as conn:
        conn.execute(text("DELETE FROM audit_seals"))
    seal_pending(ledger)


def test_a_rewritten_history_is_caught_by_the_heads_the_peer_witnessed(
    store_url: StoreUrl,
) -> None:
    with service_pair(store_url) as pair:
        for n in range(3):
            requested_line(pair, f"Campus {n}")
        assert seal_and_publish(pair.mso_runtime)
        pair.sync()
        mso_url = pair.mso_runtime.settings.database_url
        pc_url = pair.pc_runtime.settings.database_url
        args = ("audit", "verify", "--service", "mso-ops", "--database-url", mso_url)
        done = mhg_in_process(*args, "--witnessed-in", pc_url, "--json")
        assert done.returncode == 0, done.stdout + done.stderr
        assert json.loads(done.stdout)["intact"] is True

        rewrite_history(pair)
        assert verify(pair.mso_runtime.ledger).intact, "alone, the rewritten log verifies"
        caught = mhg_in_process(*args, "--witnessed-in", pc_url, "--json")
        assert caught.returncode == 1
        problem = json.loads(caught.stdout)["first_problem"]
        [(head, _)] = witnessed(pair.pc_runtime.ledger)
        assert problem["problem"] == "head-mismatch"
        assert problem["position"] == head["position"]
        assert "pc-governance witnessed" in problem["detail"]
