"""Every success of both APIs is typed in its OpenAPI document, so a generated client
parses it into a model (or a list of them, or text), never into nothing."""

from __future__ import annotations

from tests.conftest import Documents

TYPED = ("$ref", "type", "anyOf", "oneOf")


def test_every_2xx_response_has_a_typed_schema(openapi: Documents) -> None:
    untyped = []
    for name, document in openapi.items():
        schemas = document["components"]["schemas"]
        for path, item in document["paths"].items():
            for method, operation in item.items():
                for status, response in operation["responses"].items():
                    if not status.startswith("2"):
                        continue
                    contents = response.get("content", {})
                    if not contents and status != "204":
                        untyped.append((name, method, path, status, "no content"))
                    for media, content in contents.items():
                        schema = content.get("schema", {})
                        if not any(key in schema for key in TYPED):
                            untyped.append((name, method, path, status, media))
                        elif "$ref" in schema:
                            target = schemas[schema["$ref"].rsplit("/", 1)[-1]]
                            if target.get("type") == "object" and not target.get("properties"):
                                untyped.append((name, method, path, status, "untyped object"))
    assert untyped == []
