"""Bounded values: what the APIs and contracts accept can never fail later (ADR 0016).

Every accepted value must survive every later step: projections, UTC conversion, date
arithmetic in the domain, both stores. So the kernel names the bounds once:

- days and instants lie in the years 1900..2199 (an instant both as written and in UTC,
  so its UTC conversion never overflows);
- text carries no control characters (C0, DEL, C1: NUL is refused by PostgreSQL and
  breaks a projection); a one-line text allows none, prose allows tab, newline and CR;
  every text has a maximum length (lone surrogates are refused by pydantic already);
- integers and money have a maximum.

The JSON Schema of each type states its bound (`pattern`, `maxLength`, `maximum`, and
`formatMinimum`/`formatMaximum` for days and instants), so clients and fuzzers see them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    AwareDatetime,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    StringConstraints,
    WithJsonSchema,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError, core_schema

FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2199, 12, 31)
FIRST_INSTANT = datetime.combine(FIRST_DAY, time.min, tzinfo=UTC)
LAST_INSTANT = datetime.combine(LAST_DAY, time.max, tzinfo=UTC)

LINE_PATTERN = r"^[^\x00-\x1F\x7F-\x9F]*$"
"""No control character at all: names, references, reasons, codes."""
PROSE_PATTERN = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
"""Tab, newline and carriage return allowed: summaries, notes, protocol bodies, minutes."""

MONTH_PATTERN = r"^(19[0-9]{2}|2[01][0-9]{2})-(0[1-9]|1[0-2])$"
"""A calendar month `YYYY-MM` inside the years 1900..2199 (`0000-01` is refused)."""

MAX_COUNT = 1_000_000_000
"""The largest count, quantity or number of minutes any request may carry."""
MAX_MONEY = Decimal("1000000000")
"""Money is below a billion, in cents."""
MAX_POSITION = 2**63 - 1
"""The largest log position on any store (a signed 64-bit integer)."""


def Line(max_length: int, *, min_length: int = 1, strip_whitespace: bool = True) -> Any:
    """One-line text metadata for `Annotated[str, Line(200)]`."""
    return StringConstraints(
        strip_whitespace=strip_whitespace,
        min_length=min_length,
        max_length=max_length,
        pattern=LINE_PATTERN,
    )


def DecimalText(whole_digits: int, places: int, *, signed: bool = False) -> WithJsonSchema:
    """How a request documents a decimal (money, a rate, a target): a string such as
    `"125.00"`, so no client reads or writes it through a binary float. The value is
    still validated as a `Decimal` by its own bounds, and a JSON number is still taken,
    as it always was; the document names the string alone."""
    sign = "-?" if signed else ""
    return WithJsonSchema(
        {
            "type": "string",
            "format": "decimal",
            "pattern": rf"^{sign}[0-9]{{1,{whole_digits}}}(\.[0-9]{{1,{places}}})?$",
            "maxLength": len(sign[:1]) + whole_digits + 1 + places,
        },
        mode="validation",
    )


def Prose(max_length: int, *, min_length: int = 1, strip_whitespace: bool = True) -> Any:
    """Free-text metadata (tab and line breaks allowed) for `Annotated[str, Prose(4000)]`."""
    return StringConstraints(
        strip_whitespace=strip_whitespace,
        min_length=min_length,
        max_length=max_length,
        pattern=PROSE_PATTERN,
    )


@dataclass(frozen=True)
class _Within:
    """A day or an instant inside FIRST_DAY..LAST_DAY, stated in the JSON Schema."""

    low: str
    high: str

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        return core_schema.no_info_after_validator_function(_in_range, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        json_schema.update(formatMinimum=self.low, formatMaximum=self.high)
        return json_schema


def _in_range(value: date) -> date:
    if isinstance(value, datetime):
        try:
            in_utc = value.astimezone(UTC)
        except OverflowError:
            in_utc = None
        wall = value.replace(tzinfo=None)
        if (
            in_utc is None
            or not FIRST_INSTANT <= in_utc <= LAST_INSTANT
            or not FIRST_INSTANT.replace(tzinfo=None) <= wall <= LAST_INSTANT.replace(tzinfo=None)
        ):
            raise PydanticCustomError(
                "instant_out_of_range",
                "the instant must lie in the years {first}..{last}, also in UTC",
                {"first": FIRST_DAY.year, "last": LAST_DAY.year},
            )
        return value
    if not FIRST_DAY <= value <= LAST_DAY:
        raise PydanticCustomError(
            "day_out_of_range",
            "the day must lie in the years {first}..{last}",
            {"first": FIRST_DAY.year, "last": LAST_DAY.year},
        )
    return value


Day = Annotated[date, _Within(FIRST_DAY.isoformat(), LAST_DAY.isoformat())]
"""A calendar day in the years 1900..2199."""
Instant = Annotated[
    AwareDatetime,
    _Within(FIRST_INSTANT.isoformat().replace("+00:00", "Z"), "2199-12-31T23:59:59Z"),
]
"""A timezone-aware moment in the years 1900..2199, as written and in UTC."""
Month = Annotated[str, StringConstraints(pattern=MONTH_PATTERN, max_length=7)]
"""A calendar month `YYYY-MM` in the years 1900..2199."""
Count = Annotated[int, Field(ge=0, le=MAX_COUNT)]
"""A count, a quantity or a number of minutes."""
Position = Annotated[int, Field(ge=0, le=MAX_POSITION)]
"""A position in a log or a feed (64-bit)."""

__all__ = [
    "FIRST_DAY",
    "LAST_DAY",
    "LINE_PATTERN",
    "MAX_COUNT",
    "MAX_MONEY",
    "MAX_POSITION",
    "MONTH_PATTERN",
    "PROSE_PATTERN",
    "Count",
    "Day",
    "Instant",
    "Line",
    "Month",
    "Position",
    "Prose",
]
