"""Listing a read model: a declared filter spec, a cursor, a page. What every list route shares.

The read side of a capability declares, once, which table a list reads and what each
query parameter means (in `projections/sites.py`):

    SITES = Selection(
        "mso_sites",
        status=equals(),
        kind=equals(),
        proposed_from=at_least("proposed_at", start_of_day),
        proposed_before=below("proposed_at", start_of_day),
    )

the API pairs it with the row it answers in, `Listing(sites.SITES, SiteRow)`, and the route
(which keeps declaring its parameters, so the API document says what they are) hands them
over by name: `return SITES.page(rt, cursor, limit, status=status, ...)`.
A parameter left out (None) does not filter. A value the route always gives (the site in
its path) is declared the same way. A rule no comparison expresses is `matching(...)`.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any, Generic, Protocol, TypeVar

from pydantic import BaseModel
from sqlalchemy import ColumnElement, Table, select

from mhg.pagination import Page, read_page
from mhg.readstore import ReadStore

R = TypeVar("R", bound=BaseModel)
Test = Callable[[Any, Any], ColumnElement[bool]]


class HasReadStore(Protocol):
    """A service's runtime, as far as a list needs it: the read store."""

    @property
    def store(self) -> ReadStore: ...


def _same(value: Any) -> Any:
    return value


@dataclass(frozen=True)
class Filter:
    """What one query parameter means: a test of a column (its own name unless given)."""

    test: Callable[[Table, str, Any], ColumnElement[bool]]

    def clause(self, table: Table, name: str, value: Any) -> ColumnElement[bool]:
        return self.test(table, name, value)


def _compare(compare: Test, column: str | None, convert: Callable[[Any], Any]) -> Filter:
    return Filter(lambda table, name, value: compare(table.c[column or name], convert(value)))


def equals(column: str | None = None, convert: Callable[[Any], Any] = _same) -> Filter:
    return _compare(operator.eq, column, convert)


def at_least(column: str | None = None, convert: Callable[[Any], Any] = _same) -> Filter:
    return _compare(operator.ge, column, convert)


def above(column: str | None = None, convert: Callable[[Any], Any] = _same) -> Filter:
    return _compare(operator.gt, column, convert)


def at_most(column: str | None = None, convert: Callable[[Any], Any] = _same) -> Filter:
    return _compare(operator.le, column, convert)


def below(column: str | None = None, convert: Callable[[Any], Any] = _same) -> Filter:
    return _compare(operator.lt, column, convert)


def one_of(column: str | None = None) -> Filter:
    return Filter(lambda table, name, values: table.c[column or name].in_(list(values)))


def matching(rule: Callable[[Table, Any], ColumnElement[bool]]) -> Filter:
    """Any other rule: `rule(table, value)` gives the clause."""
    return Filter(lambda table, _name, value: rule(table, value))


def linked(link: str, key: str, column: str | None = None) -> Filter:
    """Rows that a row of the table `link` names by `key` with the value in `column` (the
    parameter's own name unless given): the shifts a staff member is on, the contracts
    covering a site, the protocols naming a service line."""

    def test(table: Table, name: str, value: Any) -> ColumnElement[bool]:
        links = table.metadata.tables[link]
        return table.c.id.in_(select(links.c[key]).where(links.c[column or name] == value))

    return Filter(test)


def equal_columns(*names: str) -> dict[str, Filter]:
    """Filters that each match the column of their own name exactly:
    `**equal_columns("status", "kind")` is `status=equals(), kind=equals()`."""
    return {name: equals() for name in names}


def span(name: str, column: str, convert: Callable[[Any], Any] = _same) -> dict[str, Filter]:
    """The two filters of a window on one column: `<name>_from` (at or after) and
    `<name>_before` (before): `**span("planned", "planned_at")`."""
    return {f"{name}_from": at_least(column, convert), f"{name}_before": below(column, convert)}


def through(name: str, column: str, convert: Callable[[Any], Any] = _same) -> dict[str, Filter]:
    """The two filters of a window on one column that holds both its ends: `<name>_from`
    (at or after) and `<name>_to` (at or before): `**through("month", "month", month_start)`."""
    return {f"{name}_from": at_least(column, convert), f"{name}_to": at_most(column, convert)}


def equals_or_unset(column: str | None = None, unset: str = "none") -> Filter:
    """Rows whose column equals the value, or, given the word `unset`, rows where it is
    not set (an answer not given yet: `answer=none`)."""

    def test(table: Table, name: str, value: Any) -> ColumnElement[bool]:
        tested = table.c[column or name]
        return tested.is_(None) if value == unset else tested == value

    return Filter(test)


def month_start(value: str) -> date:
    """A month (YYYY-MM) as its first day: `month_from=2026-03` compares with a day column."""
    return date.fromisoformat(f"{value}-01")


def start_of_day(day: date) -> datetime:
    """A UTC day's first instant: `proposed_from=2026-03-01` compares with an instant column."""
    return datetime.combine(day, time(), UTC)


class Selection:
    """Which rows of a read model a list may select, and what each of its parameters means.

    It belongs to the read side of a capability (`projections/<capability>.py`, beside the
    table it reads); the API pairs it with the row it answers in (`Listing`)."""

    def __init__(self, table: str, /, **filters: Filter) -> None:
        self.table = table
        self.filters = filters

    def where(self, table: Table, values: dict[str, Any]) -> list[ColumnElement[bool]]:
        unknown = set(values) - set(self.filters)
        if unknown:  # a programming error in the route, not a client's
            raise TypeError(f"{self.table} declares no filter {sorted(unknown)}")
        return [
            self.filters[name].clause(table, name, value)
            for name, value in values.items()
            if value is not None
        ]


class Listing(Generic[R]):
    """A selection answered, page by page, as rows of one API model."""

    def __init__(self, selection: Selection, row: type[R], /) -> None:
        self.selection = selection
        self.row = row

    @property
    def table(self) -> str:
        return self.selection.table

    @property
    def filters(self) -> dict[str, Filter]:
        return self.selection.filters

    def where(self, table: Table, values: dict[str, Any]) -> list[ColumnElement[bool]]:
        return self.selection.where(table, values)

    def page(
        self,
        rt: HasReadStore,
        cursor: str | None,
        limit: int,
        *,
        also: Sequence[ColumnElement[bool]] = (),
        **values: Any,
    ) -> Page[R]:
        """One page in log order after `cursor`; `also` adds clauses built by the caller."""
        table = rt.store.metadata.tables[self.table]
        rows, next_cursor = read_page(
            rt.store.reader,
            table,
            cursor=cursor,
            limit=limit,
            filters=[*self.where(table, values), *also],
        )
        items = [self.row.model_validate(row) for row in rows]
        # The route's response model (Page[SiteRow]) is what the answer is checked against.
        return Page[Any](items=items, next_cursor=next_cursor)
