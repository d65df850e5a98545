import json
from pathlib import Path

import pytest

from contracts import MESSAGES
from contracts.compat import breaking_changes
from contracts.export import (
    RELEASED_DIR,
    SCHEMA_DIR,
    export_schemas,
    render_schema,
    schema_documents,
)

DOCUMENTS = schema_documents()
V1_NAMES = sorted(name for name in DOCUMENTS if name.endswith(".v1.json"))


def _committed(directory: Path) -> set[str]:
    return {path.name for path in directory.glob("*.json")}


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_committed_schema_matches_model(name: str) -> None:
    path = SCHEMA_DIR / name
    assert path.exists(), f"{name} is missing: run `python -m contracts.export`"
    assert path.read_text(encoding="utf-8") == render_schema(DOCUMENTS[name]), (
        f"{name} is out of date: run `python -m contracts.export`"
    )


def test_every_registered_message_has_a_schema_file() -> None:
    expected = {f"{type_}.v{version}.json" for type_, version in MESSAGES}
    assert expected <= _committed(SCHEMA_DIR)


def test_every_schema_file_belongs_to_a_contract() -> None:
    stale = _committed(SCHEMA_DIR) - set(DOCUMENTS)
    assert not stale, f"schema files without a model: {sorted(stale)}"


def test_every_released_schema_is_still_a_contract() -> None:
    assert _committed(RELEASED_DIR) <= set(DOCUMENTS)


@pytest.mark.parametrize("name", V1_NAMES)
def test_current_schema_is_backward_compatible_with_release(name: str) -> None:
    released_path = RELEASED_DIR / name
    assert released_path.exists(), f"{name} has no released copy in {RELEASED_DIR}"
    released = json.loads(released_path.read_text(encoding="utf-8"))
    assert breaking_changes(released, DOCUMENTS[name]) == []


def test_export_writes_one_file_per_document(tmp_path: Path) -> None:
    written = export_schemas(tmp_path)
    assert sorted(path.name for path in written) == sorted(DOCUMENTS)
    assert all(path.parent == tmp_path for path in written)
