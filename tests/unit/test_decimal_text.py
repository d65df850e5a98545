"""Decimals in requests are documented as decimal strings, and still taken as JSON numbers."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Any

import pytest
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from mhg.bounded import MAX_MONEY, DecimalText
from tests.conftest import Documents

Money = Annotated[
    Decimal, Field(gt=0, lt=MAX_MONEY, max_digits=12, decimal_places=2), DecimalText(9, 2)
]


class PaymentIn(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")
    amount: Money
    target: Annotated[Decimal, DecimalText(8, 4, signed=True)] = Decimal(0)


def test_a_decimal_string_and_a_json_number_are_both_taken() -> None:
    assert PaymentIn.model_validate_json('{"amount": "125.50"}').amount == Decimal("125.50")
    assert PaymentIn.model_validate_json('{"amount": 125.5}').amount == Decimal("125.5")
    with pytest.raises(ValidationError):
        PaymentIn.model_validate_json('{"amount": "125.505"}')  # its bounds still hold
    with pytest.raises(ValidationError):
        PaymentIn.model_validate_json('{"amount": "0"}')


def test_the_schema_names_the_string_with_its_digits() -> None:
    schema = PaymentIn.model_json_schema(mode="validation")["properties"]
    amount = schema["amount"]
    assert amount["type"] == "string"
    assert amount["format"] == "decimal"
    assert re.fullmatch(amount["pattern"], "999999999.99")
    assert not re.fullmatch(amount["pattern"], "1000000000")
    assert not re.fullmatch(amount["pattern"], "-1")
    assert re.fullmatch(schema["target"]["pattern"], "-0.0825")
    # answers carry the string pydantic writes for a Decimal
    assert PaymentIn(amount=Decimal("12.30")).model_dump(mode="json")["amount"] == "12.30"


def _number_schemas(node: Any, where: str = "") -> list[str]:
    if isinstance(node, list):
        return [hit for i, item in enumerate(node) for hit in _number_schemas(item, f"{where}/{i}")]
    if not isinstance(node, dict):
        return []
    hits = [where] if {"number", "string"} <= {o.get("type") for o in node.get("anyOf", [])} else []
    return hits + [hit for key, v in node.items() for hit in _number_schemas(v, f"{where}/{key}")]


def test_no_document_types_a_value_as_number_or_string(openapi: Documents) -> None:
    for name, document in openapi.items():
        assert _number_schemas(document) == [], name
