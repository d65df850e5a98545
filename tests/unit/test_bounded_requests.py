"""Every value a request can carry is bounded in the OpenAPI documents (ADR 0016).

The walk covers every parameter and request body of both services, so a new field
without a bound fails here: strings need a maximum length (and, in bodies, a pattern
that keeps control characters out, an enum or a format), days and instants the
kernel's range, numbers a minimum and a maximum, arrays a maximum count.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from mhg.bounded import FIRST_DAY, LAST_DAY, LINE_PATTERN, MONTH_PATTERN, PROSE_PATTERN
from mhg_cli.services import OPENAPI_FILES
from tests.conftest import Documents

# Patterns that keep every control character out (the kernel's, or a closed alphabet).
SAFE_PATTERN_CHARS = set("^$[]{}()|?*+-.,:/_ ")


def _resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].split("/")[-1]]
    return schema


def _closed_alphabet(pattern: str) -> bool:
    """A pattern built only of literal ASCII, ranges and \\d: it admits no control char."""
    if pattern in (LINE_PATTERN, PROSE_PATTERN, MONTH_PATTERN):
        return True
    body = pattern.replace("\\d", "").replace("\\.", "").replace("\\-", "")
    return "\\" not in body and all(c.isalnum() or c in SAFE_PATTERN_CHARS for c in body)


def problems_of(
    document: dict[str, Any], schema: dict[str, Any], where: str, *, in_body: bool
) -> Iterator[str]:
    schema = _resolve(document, schema)
    variants = schema.get("anyOf", []) + schema.get("oneOf", []) + schema.get("allOf", [])
    numbers = [v for v in variants if _resolve(document, v).get("type") in ("number", "integer")]
    for variant in variants:
        resolved = _resolve(document, variant)
        if numbers and resolved.get("type") == "string" and "maxLength" not in resolved:
            continue  # a Decimal's string spelling: bounded by its number branch
        yield from problems_of(document, variant, where, in_body=in_body)
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        for name, child in schema.get("properties", {}).items():
            yield from problems_of(document, child, f"{where}.{name}", in_body=in_body)
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict):
            yield f"{where}: an open map"
    elif kind == "array":
        if "maxItems" not in schema:
            yield f"{where}: an array without maxItems"
        yield from problems_of(document, schema.get("items", {}), f"{where}[]", in_body=in_body)
    elif kind == "string":
        yield from _string_problems(schema, where, in_body=in_body)
    elif kind in ("integer", "number"):
        if not {"maximum", "exclusiveMaximum"} & schema.keys():
            yield f"{where}: a number without maximum"
        if not {"minimum", "exclusiveMinimum"} & schema.keys():
            yield f"{where}: a number without minimum"


def _string_problems(schema: dict[str, Any], where: str, *, in_body: bool) -> Iterator[str]:
    if "enum" in schema or "const" in schema or schema.get("format") == "uuid":
        return
    if schema.get("format") in ("date", "date-time"):
        low, high = schema.get("formatMinimum", ""), schema.get("formatMaximum", "")
        if not (low.startswith(FIRST_DAY.isoformat()) and high.startswith(LAST_DAY.isoformat())):
            yield f"{where}: a {schema['format']} outside the kernel's Day/Instant range"
        return
    if "maxLength" not in schema:
        yield f"{where}: a string without maxLength"
    pattern = schema.get("pattern")
    if in_body and (pattern is None or not _closed_alphabet(pattern)):
        yield f"{where}: text that may carry control characters (pattern {pattern!r})"


def request_problems(document: dict[str, Any]) -> Iterator[str]:
    for path, item in document["paths"].items():
        for method, operation in item.items():
            label = f"{method.upper()} {path}"
            for parameter in operation.get("parameters", []):
                yield from problems_of(
                    document,
                    parameter.get("schema", {}),
                    f"{label} ?{parameter['name']}",
                    in_body=False,
                )
            for media in operation.get("requestBody", {}).get("content", {}).values():
                yield from problems_of(document, media["schema"], f"{label} body", in_body=True)


@pytest.mark.parametrize("service", sorted(OPENAPI_FILES))
def test_every_request_value_is_bounded(service: str, openapi: Documents) -> None:
    found = sorted(set(request_problems(openapi[service])))
    assert not found, f"{len(found)} unbounded request values:\n" + "\n".join(found)


def test_the_walk_finds_an_unbounded_value() -> None:
    document: dict[str, Any] = {
        "paths": {
            "/x": {
                "post": {
                    "parameters": [{"name": "n", "schema": {"type": "integer", "minimum": 0}}],
                    "requestBody": {
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "name": {"type": "string", "maxLength": 9},
                                        "on": {"type": "string", "format": "date"},
                                    },
                                }
                            }
                        }
                    },
                }
            }
        },
        "components": {"schemas": {}},
    }
    assert sorted(request_problems(document)) == [
        "POST /x ?n: a number without maximum",
        "POST /x body.name: text that may carry control characters (pattern None)",
        "POST /x body.on: a date outside the kernel's Day/Instant range",
    ]
