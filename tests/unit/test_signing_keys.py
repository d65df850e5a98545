"""Signing keys: canonical bytes, development keys per organization, production refusal."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mhg.devkeys import key_paths, run_environment
from mhg.settings import MissingSigningKey, MsoOpsSettings, PcGovernanceSettings
from mhg.signing import ForgedMessage, SigningKey, TrustedKeys, canonical
from tests.keys import MSO_KEY, PC_KEY, PC_SIGNING_SEED

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=10,
)


@given(st.dictionaries(st.text(min_size=1), json_values, max_size=6))
def test_a_signature_holds_for_the_same_document_in_any_key_order(document: dict[str, Any]) -> None:
    signed = MSO_KEY.sign(document)
    reordered = dict(reversed(list(signed.items())))
    trusted = TrustedKeys.from_texts([MSO_KEY.public_text])
    assert trusted.verify(reordered) == MSO_KEY.key_id
    assert canonical(reordered) == canonical(signed)
    with pytest.raises(ForgedMessage):
        trusted.verify({**signed, "added": "a field the producer never signed"})


def test_canonical_form_is_sorted_compact_utf8() -> None:
    assert canonical({"b": 1, "a": {"d": "é", "c": None}, "signature": "x"}) == (
        '{"a":{"c":null,"d":"é"},"b":1}'.encode()
    )
    lone = {"payload": {"name": "\ud800"}}
    assert TrustedKeys.from_texts([PC_KEY.public_text]).verify(PC_KEY.sign(lone)) == PC_KEY.key_id


def test_rotation_trusts_every_configured_key() -> None:
    trusted = TrustedKeys.parse(f"{MSO_KEY.public_text}, {PC_KEY.public_text}")
    assert trusted.verify(PC_KEY.sign({"a": 1})) == PC_KEY.key_id
    assert trusted.verify(MSO_KEY.sign({"a": 1})) == MSO_KEY.key_id


def test_mhg_run_gives_each_service_its_own_seed_and_only_the_peers_public_key(
    tmp_path: Path,
) -> None:
    mso = run_environment("mso-ops", {}, tmp_path)
    pc = run_environment("pc-governance", {}, tmp_path)
    mso_seed, _ = key_paths("mso", tmp_path)
    pc_seed, pc_public = key_paths("pc", tmp_path)
    assert mso["MHG_MSO_OPS_SIGNING_KEY"] == mso_seed.read_text()
    assert mso["MHG_MSO_OPS_PEER_PUBLIC_KEYS"] == pc_public.read_text()
    assert pc_seed.read_text() not in mso.values()
    assert mso_seed.read_text() not in pc.values()
    assert (
        SigningKey.from_text(pc["MHG_PC_GOVERNANCE_SIGNING_KEY"]).public_text
        == (mso["MHG_MSO_OPS_PEER_PUBLIC_KEYS"])
    )
    assert oct(mso_seed.stat().st_mode & 0o777) == "0o600"
    assert run_environment("mso-ops", {}, tmp_path) == mso, "generated once"


def test_a_service_without_keys_uses_development_keys_or_refuses_in_production(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for name in (
        "MHG_MSO_OPS_SIGNING_KEY",
        "MHG_MSO_OPS_PEER_PUBLIC_KEYS",
        "MHG_AUDIT_SIGNING_KEY",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MHG_AUTH_SECRET", "s" * 40)
    settings = MsoOpsSettings.from_environment()
    assert settings.signing_key == key_paths("mso", Path("var"))[0].read_text()
    assert settings.peer_public_keys == key_paths("pc", Path("var"))[1].read_text()
    monkeypatch.setenv("MHG_ENVIRONMENT", "production")
    with pytest.raises(MissingSigningKey):
        PcGovernanceSettings.from_environment()
    monkeypatch.setenv("MHG_PC_GOVERNANCE_SIGNING_KEY", PC_SIGNING_SEED)
    monkeypatch.setenv("MHG_PC_GOVERNANCE_PEER_PUBLIC_KEYS", MSO_KEY.public_text)
    assert PcGovernanceSettings.from_environment().signing_key == PC_SIGNING_SEED
    monkeypatch.setenv("MHG_MSO_OPS_SIGNING_KEY", PC_SIGNING_SEED)
    monkeypatch.setenv("MHG_MSO_OPS_PEER_PUBLIC_KEYS", MSO_KEY.public_text)
    with pytest.raises(MissingSigningKey):  # it holds patient data: no master key, no start
        MsoOpsSettings.from_environment()
    master = base64.b64encode(bytes(32)).decode()
    monkeypatch.setenv("MHG_PATIENT_MASTER_KEYS", master)
    assert MsoOpsSettings.from_environment().patient_master_keys == master
