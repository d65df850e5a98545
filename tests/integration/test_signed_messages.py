"""Every contract message is signed by its producer; a forged one is refused, never skipped;
the MSO's facts resting on PC decisions re-verify offline from its database alone."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from eventsourcing.utils import get_topic
from sqlalchemy import text

from contracts import Envelope
from mhg.audit.decisions import RECEIVED_TOPIC, verify_decisions
from mhg.audit.ledger import Ledger
from mhg.feed_follower import RefusedMessage
from mhg.signing import ForgedMessage, SigningKey, TrustedKeys
from services.mso_ops.inbound import PC_DECISION_EVENTS
from tests.conftest import StoreUrl, auth
from tests.integration.mhg_command import mhg_in_process
from tests.integration.services import MSO_KEY, PC_KEY, Pair, service_pair
from tests.integration.site_helpers import live_site
from tests.integration.test_audit_chain import tampering
from tests.integration.test_feed_and_projections import authorization_count, requested_line

# Issues 9 and 10 ask for every point on both backends.
pytestmark = pytest.mark.storage

SERVICE = auth("service", "pc-governance")
AUDITOR = auth("auditor", "aud")
PC_TRUSTED = TrustedKeys.from_texts([PC_KEY.public_text])
OTHER_KEY = SigningKey.from_text("b3RoZXIgb3JnYW5pemF0aW9uIGtleSwgMzIgYnl0ZXM=")


def raw_feed(pair: Pair) -> list[dict[str, Any]]:
    page = pair.mso.get("/contracts/v1/feed", params={"after": 0}, headers=SERVICE)
    assert page.status_code == 200
    messages: list[dict[str, Any]] = page.json()["messages"]
    return messages


def test_every_message_carries_its_producers_signature_over_the_whole_envelope(
    store_url: StoreUrl,
) -> None:
    with service_pair(store_url) as pair:
        requested_line(pair)
        [document] = raw_feed(pair)
        trusted = TrustedKeys.from_texts([MSO_KEY.public_text])
        assert document["key_id"] == MSO_KEY.key_id
        assert trusted.verify(document) == MSO_KEY.key_id
        for field, value in (("position", 99), ("producer", "pc-governance"), ("key_id", "x")):
            with pytest.raises(ForgedMessage):
                trusted.verify({**document, field: value})
        with pytest.raises(ForgedMessage, match="does not match"):
            trusted.verify({**document, "payload": {**document["payload"], "site_id": "x"}})
        with pytest.raises(ForgedMessage, match="unknown key"):
            PC_TRUSTED.verify(document)
        unsigned = {k: v for k, v in document.items() if k != "signature"}
        with pytest.raises(ForgedMessage, match="unsigned"):
            trusted.verify(unsigned)


def tampered_transport(pair: Pair, change: Any) -> httpx.Client:
    """A client reading the MSO's real feed, with each message altered by `change`."""

    def handler(request: httpx.Request) -> httpx.Response:
        real = pair.mso.get(request.url.path, params=dict(request.url.params), headers=SERVICE)
        page = real.json()
        page["messages"] = [change(m) for m in page["messages"]]
        return httpx.Response(200, json=page)

    return httpx.Client(transport=httpx.MockTransport(handler), base_url="http://mso")


@pytest.mark.parametrize(
    "forgery",
    [
        lambda m: {**m, "payload": {**m["payload"], "summary": "forged"}},
        lambda m: {**m, "signature": None, "key_id": None},
        lambda m: OTHER_KEY.sign({k: v for k, v in m.items() if k != "signature"}),
    ],
    ids=["altered", "unsigned", "unknown-key"],
)
def test_a_forged_message_is_refused_and_the_follower_stops_at_it(
    store_url: StoreUrl, forgery: Any
) -> None:
    with service_pair(store_url) as pair:
        requested_line(pair)
        [envelope] = [Envelope.model_validate(m) for m in raw_feed(pair)]
        follower = pair.pc_runtime.follower
        genuine = follower.client
        follower.client = tampered_transport(pair, forgery)
        for _ in range(2):  # asked again, it refuses again: never skipped
            with pytest.raises(RefusedMessage):
                follower.catch_up()
            assert follower.status.refused is not None
            assert follower.status.refused.position == envelope.position
            assert authorization_count(pair) == 0
            assert pair.pc_runtime.application.consumed_position("mso-ops.feed.v1") == 0
        assert follower.status.consumed < envelope.position
        answer = pair.pc.get("/readyz")
        assert answer.status_code == 503
        ready = answer.json()
        assert f"refused the message at position {envelope.position}" in ready["follower_error"]
        [reason] = [r for r in ready["reasons"] if r["code"] == "message-refused"]
        assert reason["position"] == envelope.position

        follower.client = genuine
        assert follower.catch_up() == 1
        assert follower.status.refused is None
        assert authorization_count(pair) == 1
        codes = {r["code"] for r in pair.pc.get("/readyz").json()["reasons"]}
        assert "message-refused" not in codes


def kept_envelopes(ledger: Ledger) -> list[tuple[int, dict[str, Any]]]:
    return [
        (r.position, json.loads(r.state)) for r in ledger.records() if r.topic == RECEIVED_TOPIC
    ]


def check(pair: Pair, keys: TrustedKeys = PC_TRUSTED) -> Any:
    return verify_decisions(
        pair.mso_runtime.ledger,
        keys,
        consumer="mso-ops",
        producer="pc-governance",
        decision_topics={get_topic(cls) for cls in PC_DECISION_EVENTS},
    )


def test_the_mso_keeps_each_pc_message_signed_and_the_offline_check_passes(
    store_url: StoreUrl,
) -> None:
    with service_pair(store_url) as pair:
        site_id = live_site(pair)
        kept = kept_envelopes(pair.mso_runtime.ledger)
        assert kept, "every PC message the MSO applied is kept with its signature"
        for _position, state in kept:
            assert PC_TRUSTED.verify(state["envelope"]) == PC_KEY.key_id
        verdict = check(pair)
        assert verdict.intact, verdict.findings
        assert verdict.facts >= 1
        assert verdict.received == len(kept)
        [decision] = pair.mso.get(f"/provenance/site/{site_id}", headers=AUDITOR).json()[
            "decisions"
        ]
        assert decision["signature"]["key_id"] == PC_KEY.key_id
        assert decision["signature"]["verified"] is True
        wrong = check(pair, TrustedKeys.from_texts([MSO_KEY.public_text]))
        assert {f.problem for f in wrong.findings} >= {"forged-receipt", "unsigned-basis"}


def rewrite_state(pair: Pair, position: int, change: Any) -> None:
    ledger = pair.mso_runtime.ledger
    column, table = ledger.position_column, ledger.events_table
    with tampering(ledger) as conn:
        state = conn.execute(
            text(f"SELECT state FROM {table} WHERE {column} = :p"), {"p": position}
        ).scalar_one()
        document = change(json.loads(bytes(state)))
        conn.execute(
            text(f"UPDATE {table} SET state = :s WHERE {column} = :p"),
            {"s": json.dumps(document).encode(), "p": position},
        )


def approval_record(pair: Pair) -> tuple[int, dict[str, Any]]:
    for record in pair.mso_runtime.ledger.records():
        if record.topic.endswith("Site.GoLiveApproved"):
            return record.position, json.loads(record.state)
    raise AssertionError("no go-live approval recorded")


def test_an_altered_kept_message_fails_the_offline_check_naming_the_record(
    store_url: StoreUrl, tmp_path: Path
) -> None:
    with service_pair(store_url) as pair:
        site_id = live_site(pair)
        position, state = kept_envelopes(pair.mso_runtime.ledger)[0]
        assert state["envelope"]["type"] == "authorization.approved"
        peer_key = tmp_path / "pc.pub"
        peer_key.write_text(PC_KEY.public_text)
        url = pair.mso_runtime.settings.database_url
        command = ("audit", "verify-decisions", "--service", "mso-ops", "--database-url", url)
        untouched = mhg_in_process(*command, "--peer-key", str(peer_key))
        assert untouched.returncode == 0, untouched.stdout + untouched.stderr
        assert "rests on one of" in untouched.stdout

        def alter(state: dict[str, Any]) -> dict[str, Any]:
            state["envelope"]["payload"]["conditions"] = ["none: the MSO decides"]
            return state

        rewrite_state(pair, position, alter)
        verdict = check(pair)
        assert not verdict.intact
        assert ("forged-receipt", position) in {(f.problem, f.position) for f in verdict.findings}
        [decision] = pair.mso.get(f"/provenance/site/{site_id}", headers=AUDITOR).json()[
            "decisions"
        ]
        assert decision["signature"]["verified"] is False
        edited = mhg_in_process(*command, "--peer-key", str(peer_key), "--json")
        assert edited.returncode == 1
        findings = json.loads(edited.stdout)["findings"]
        assert ("forged-receipt", position) in {(f["problem"], f["position"]) for f in findings}
        # and the facts resting on it lose their basis, each named
        assert {f["problem"] for f in findings if f["position"] < position} == {"unsigned-basis"}


def test_a_fact_claiming_another_decision_fails_the_offline_check(store_url: StoreUrl) -> None:
    with service_pair(store_url) as pair:
        live_site(pair)
        position, _ = approval_record(pair)

        def claim_other(state: dict[str, Any]) -> dict[str, Any]:
            state["decision_id"] = {"_type_": "uuid_hex", "_data_": "0" * 32}
            return state

        rewrite_state(pair, position, claim_other)
        findings = {(f.problem, f.position) for f in check(pair).findings}
        assert ("claim-differs", position) in findings


def test_an_inserted_approval_fails_the_offline_check_naming_the_record(
    store_url: StoreUrl,
) -> None:
    with service_pair(store_url) as pair:
        live_site(pair)
        ledger = pair.mso_runtime.ledger
        position, _ = approval_record(pair)
        column, table = ledger.position_column, ledger.events_table
        columns = "originator_id, originator_version, topic, state"
        with tampering(ledger) as conn:
            row = conn.execute(
                text(f"SELECT {columns} FROM {table} WHERE {column} = :p"), {"p": position}
            ).one()
            forged_id = row.originator_id
            forged_version = row.originator_version + 1000
            conn.execute(
                text(f"INSERT INTO {table} ({columns}) VALUES (:o, :v, :t, :s)"),
                {"o": forged_id, "v": forged_version, "t": row.topic, "s": row.state},
            )
            inserted = conn.execute(text(f"SELECT MAX({column}) FROM {table}")).scalar_one()
        findings = {(f.problem, f.position) for f in check(pair).findings}
        assert ("detached-fact", inserted) in findings

        def no_pc_cause(state: dict[str, Any]) -> dict[str, Any]:
            state["meta"]["_data_"]["request_id"] = "mso-ops:request:1"
            return state

        rewrite_state(pair, inserted, no_pc_cause)
        findings = {(f.problem, f.position) for f in check(pair).findings}
        assert ("no-peer-message", inserted) in findings
