"""A deliberately poisonable projection, added to MSO Operations for tests of failure isolation.

`test_site_names` records each proposed site's name, and raises on a site named
`POISON` while `Poison.armed` is set (the "bug"; disarming it is the "fix").
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import BigInteger, Column, Integer, MetaData, String, Table
from sqlalchemy.engine import Connection

import services.mso_ops.app as mso_app
from mhg.projection import Projection
from services.mso_ops.domain.site import Site
from tests.integration.services import Pair, service_pair

POISON = "Poison"
REFUSED = "Refused by the store"  # the handler writes NULL into a NOT NULL column
NAME = "test_site_names"


ORIGINAL_PARTS = mso_app.PARTS


class Poison:
    armed = True


def parts(*, version: int = 1, wide: bool = False) -> Any:
    """MSO Operations' parts with the poisonable projection last (or, `wide`, a BigInteger
    position column: a changed schema)."""
    base = ORIGINAL_PARTS

    def metadata() -> MetaData:
        found = MetaData()  # a copy: the service's own metadata is shared by the process
        for table in base.metadata().tables.values():
            table.to_metadata(found)
        Table(
            NAME,
            found,
            Column("position", BigInteger if wide else Integer, primary_key=True),
            Column("name", String(200), nullable=False),
        )
        return found

    def projections(found: MetaData) -> Sequence[Projection]:
        table = found.tables[NAME]

        def proposed(conn: Connection, event: Any, position: int) -> None:
            if Poison.armed and event.name == POISON:
                raise OverflowError("date value out of range")
            name = None if Poison.armed and event.name == REFUSED else event.name
            conn.execute(table.insert().values(position=position, name=name))

        return [
            *base.projections(found),
            Projection(
                name=NAME, tables=[table], handlers={Site.Proposed: proposed}, version=version
            ),
        ]

    return dataclasses.replace(base, metadata=metadata, projections=projections)


@contextmanager
def poisonable_pair(
    monkeypatch: pytest.MonkeyPatch, store_url: Any, **kwargs: Any
) -> Iterator[Pair]:
    monkeypatch.setattr(mso_app, "PARTS", parts(**kwargs))
    monkeypatch.setattr(Poison, "armed", True)
    with service_pair(store_url) as pair:
        yield pair
