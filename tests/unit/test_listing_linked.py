"""A list filtered through a link table (mhg.listing.linked): the rows a link names."""

from __future__ import annotations

from pydantic import BaseModel
from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, select

from mhg.listing import Listing, Selection, linked


class ShiftRow(BaseModel):
    id: int


def test_a_linked_filter_keeps_the_rows_a_link_with_the_value_names() -> None:
    metadata = MetaData()
    shifts = Table("shifts", metadata, Column("id", Integer, primary_key=True))
    Table("shift_staff", metadata, Column("shift_id", Integer), Column("staff", String))
    listing = Listing(
        Selection(
            "shifts",
            staff=linked("shift_staff", "shift_id"),
            who=linked("shift_staff", "shift_id", "staff"),
        ),
        ShiftRow,
    )
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(shifts.insert(), [{"id": 1}, {"id": 2}, {"id": 3}])
        conn.execute(
            metadata.tables["shift_staff"].insert(),
            [
                {"shift_id": 1, "staff": "ann"},
                {"shift_id": 3, "staff": "ann"},
                {"shift_id": 2, "staff": "bo"},
            ],
        )

        def ids(**values: str) -> list[int]:
            query = select(shifts.c.id).where(*listing.where(shifts, values)).order_by(shifts.c.id)
            return list(conn.scalars(query))

        assert ids(staff="ann") == [1, 3]
        assert ids(who="bo") == [2]  # the link's column named apart from the parameter
        assert ids(staff="cy") == []
    engine.dispose()
