"""Each vocabulary appears once in an OpenAPI document, as a named component (ADR 0029)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from mhg.vocabularies import named_vocabularies
from tests.conftest import Documents


def _enums(node: Any) -> list[frozenset[str]]:
    if isinstance(node, list):
        return [found for item in node for found in _enums(item)]
    if not isinstance(node, dict):
        return []
    own = [frozenset(node["enum"])] if "enum" in node else []
    return own + [found for value in node.values() for found in _enums(value)]


def test_no_vocabulary_is_spelled_out_twice(openapi: Documents) -> None:
    for name, document in openapi.items():
        repeated = [sorted(v) for v, n in Counter(_enums(document)).items() if n > 1]
        assert repeated == [], name


def test_the_shared_vocabularies_are_named(openapi: Documents) -> None:
    for document in openapi.values():
        schemas = document["components"]["schemas"]
        assert "campus_walk_in" in schemas["ServiceLineCode"]["enum"]
        assert "physician" in schemas["ClinicianRole"]["enum"]
        assert not [n for n in schemas if "__" in n], "a component name FastAPI had to qualify"


def test_an_inline_enum_equal_to_a_named_one_becomes_a_reference() -> None:
    line = {"type": "string", "enum": ["a", "b"]}
    document: dict[str, Any] = {
        "paths": {
            "/x": {
                "get": {
                    "parameters": [{"schema": {"enum": ["b", "a"], "type": "string", "title": "T"}}]
                }
            }
        },
        "components": {
            "schemas": {
                "Line": line,
                "Other": {"type": "string", "enum": ["a", "c"]},
                "In": {"properties": {"line": {"enum": ["a", "b"], "type": "string"}}},
            }
        },
    }
    named_vocabularies(document)
    parameter = document["paths"]["/x"]["get"]["parameters"][0]["schema"]
    assert parameter == {"$ref": "#/components/schemas/Line", "title": "T"}
    schemas = document["components"]["schemas"]
    assert schemas["In"]["properties"]["line"] == {"$ref": "#/components/schemas/Line"}
    assert schemas["Line"] == line  # the vocabulary itself stays as it is
    assert schemas["Other"]["enum"] == ["a", "c"]
