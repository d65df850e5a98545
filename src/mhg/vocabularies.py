"""One name per vocabulary in an OpenAPI document, so generated clients get one enum each.

A vocabulary the APIs name (a `TypeAliasType` such as `ServiceLineCode`) becomes a
component schema of its own. FastAPI inlines the values where a route takes the alias as
a bare parameter, and a route may spell the same values as an inline `Literal`; each such
inline enum is the named vocabulary, so the document says so with a `$ref`.
"""

from __future__ import annotations

from typing import Any

COMPONENTS = "#/components/schemas/"
ENUM_KEYS = ("enum", "type")


def _vocabularies(schemas: dict[str, Any]) -> dict[frozenset[str], str]:
    """The named string enums of the document, by their set of values."""
    named: dict[frozenset[str], str] = {}
    for name, schema in schemas.items():
        if set(schema) <= {*ENUM_KEYS, "title", "description"} and "enum" in schema:
            named.setdefault(frozenset(schema["enum"]), name)
    return named


def _referenced(node: Any, named: dict[frozenset[str], str], own: str | None) -> Any:
    if isinstance(node, list):
        return [_referenced(item, named, own) for item in node]
    if not isinstance(node, dict):
        return node
    if "enum" in node and node.get("type", "string") == "string":
        name = named.get(frozenset(node["enum"]))
        if name is not None and name != own:
            rest = {key: value for key, value in node.items() if key not in ENUM_KEYS}
            return {"$ref": COMPONENTS + name, **rest}
    return {key: _referenced(value, named, own) for key, value in node.items()}


def named_vocabularies(document: dict[str, Any]) -> dict[str, Any]:
    """Every inline enum that equals a named vocabulary, replaced by a `$ref` to it."""
    schemas: dict[str, Any] = document.get("components", {}).get("schemas", {})
    named = _vocabularies(schemas)
    if not named:
        return document
    document["paths"] = _referenced(document.get("paths", {}), named, None)
    for name, schema in list(schemas.items()):
        schemas[name] = _referenced(schema, named, name)
    return document
