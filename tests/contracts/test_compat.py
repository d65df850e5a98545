from typing import Any

from contracts.compat import breaking_changes
from contracts.export import schema_of
from contracts.v1 import AuthorizationDeniedV1

Schema = dict[str, Any]


def _object(properties: Schema, required: list[str] | None = None) -> Schema:
    return {"type": "object", "properties": properties, "required": required or []}


STRING: Schema = {"type": "string"}
NULLABLE_STRING: Schema = {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None}
RELEASED = _object({"id": {"type": "string", "format": "uuid"}, "note": NULLABLE_STRING}, ["id"])


def test_identical_schemas_are_compatible() -> None:
    assert breaking_changes(RELEASED, RELEASED) == []


def test_removed_property_is_breaking() -> None:
    current = _object({"id": {"type": "string", "format": "uuid"}}, ["id"])
    assert breaking_changes(RELEASED, current) == ["note: property removed"]


def test_new_required_property_is_breaking() -> None:
    current = _object({**RELEASED["properties"], "reason": STRING}, ["id", "reason"])
    assert breaking_changes(RELEASED, current) == ["reason: new required property"]


def test_optional_property_becoming_required_is_breaking() -> None:
    current = _object(RELEASED["properties"], ["id", "note"])
    assert breaking_changes(RELEASED, current) == ["note: optional property became required"]


def test_new_optional_property_is_compatible() -> None:
    current = _object({**RELEASED["properties"], "extra": NULLABLE_STRING}, ["id"])
    assert breaking_changes(RELEASED, current) == []


def test_type_change_is_breaking() -> None:
    current = _object({"id": {"type": "integer"}, "note": NULLABLE_STRING}, ["id"])
    assert breaking_changes(RELEASED, current) == ["id: type changed from string:uuid to integer"]


def test_format_change_is_breaking() -> None:
    current = _object({"id": {"type": "string", "format": "date"}, "note": NULLABLE_STRING}, ["id"])
    assert breaking_changes(RELEASED, current) == [
        "id: type changed from string:uuid to string:date"
    ]


def test_nullable_type_change_is_breaking() -> None:
    nullable_int = {"anyOf": [{"type": "integer"}, {"type": "null"}], "default": None}
    current = _object({**RELEASED["properties"], "note": nullable_int}, ["id"])
    assert breaking_changes(RELEASED, current) == [
        "note: type changed from null | string to integer | null"
    ]


def test_field_becoming_nullable_is_breaking() -> None:
    released = _object({"name": STRING}, ["name"])
    current = _object({"name": NULLABLE_STRING}, ["name"])
    assert breaking_changes(released, current) == [
        "name: type changed from string to null | string"
    ]


def test_enum_value_removed_is_breaking() -> None:
    released = _object({"kind": {"type": "string", "enum": ["a", "b"]}})
    current = _object({"kind": {"type": "string", "enum": ["a"]}})
    assert breaking_changes(released, current) == ["kind: value 'b' removed"]


def test_enum_value_added_is_compatible() -> None:
    released = _object({"kind": {"type": "string", "const": "a"}})
    current = _object({"kind": {"type": "string", "enum": ["a", "b"]}})
    assert breaking_changes(released, current) == []


def test_tightened_max_length_is_breaking() -> None:
    released = _object({"name": {"type": "string", "maxLength": 200}})
    current = _object({"name": {"type": "string", "maxLength": 100}})
    assert breaking_changes(released, current) == ["name: maxLength tightened from 200 to 100"]


def test_new_max_items_is_breaking() -> None:
    released = _object({"tags": {"type": "array", "items": STRING}})
    current = _object({"tags": {"type": "array", "items": STRING, "maxItems": 5}})
    assert breaking_changes(released, current) == ["tags: maxItems tightened from None to 5"]


def test_raised_min_length_is_breaking() -> None:
    released = _object({"name": {"type": "string"}})
    current = _object({"name": {"type": "string", "minLength": 1}})
    assert breaking_changes(released, current) == ["name: minLength raised from 0 to 1"]


def test_loosened_limits_are_compatible() -> None:
    released = _object({"name": {"type": "string", "minLength": 1, "maxLength": 100}})
    current = _object({"name": {"type": "string", "maxLength": 200}})
    assert breaking_changes(released, current) == []


def test_changes_behind_refs_and_in_list_items_are_found() -> None:
    def document(item_max: int, extra_required: bool) -> Schema:
        item = _object({"text": {"type": "string", "maxLength": item_max}}, ["text"])
        if extra_required:
            item = _object({**item["properties"], "owner": STRING}, ["text", "owner"])
        return {
            "$defs": {"Item": item},
            **_object({"items": {"type": "array", "items": {"$ref": "#/$defs/Item"}}}),
        }

    assert breaking_changes(document(200, False), document(200, False)) == []
    assert breaking_changes(document(200, False), document(100, True)) == [
        "items[].owner: new required property",
        "items[].text: maxLength tightened from 200 to 100",
    ]


def test_recursive_models_terminate() -> None:
    node = {
        "$defs": {
            "Node": _object({"children": {"type": "array", "items": {"$ref": "#/$defs/Node"}}})
        },
        "$ref": "#/$defs/Node",
    }
    assert breaking_changes(node, node) == []


def test_pydantic_model_with_new_required_field_is_flagged() -> None:
    class DeniedWithTicket(AuthorizationDeniedV1):
        ticket: str

    released = schema_of(AuthorizationDeniedV1)
    assert breaking_changes(released, schema_of(DeniedWithTicket)) == [
        "ticket: new required property"
    ]


def test_pydantic_model_with_new_optional_field_is_compatible() -> None:
    class DeniedWithNote(AuthorizationDeniedV1):
        note: str | None = None

    assert breaking_changes(schema_of(AuthorizationDeniedV1), schema_of(DeniedWithNote)) == []
