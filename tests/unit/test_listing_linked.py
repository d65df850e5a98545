"""A list filtered through a link table (mhg.listing.linked): the rows a link names."""

from __future__ import annotations

from pydantic import BaseModel
from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, select

from mhg.listing import Listing, Selection, equals_or_unset, linked, month_start, through


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


def test_a_window_holds_both_its_ends_and_none_means_not_set() -> None:
    metadata = MetaData()
    answers = Table(
        "answers",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("month", String(7)),
        Column("answer", String(10)),
    )
    selection = Selection("answers", answer=equals_or_unset(), **through("month", "month"))
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(
            answers.insert(),
            [
                {"id": 1, "month": "2026-01", "answer": "accepted"},
                {"id": 2, "month": "2026-02", "answer": None},
                {"id": 3, "month": "2026-03", "answer": "disputed"},
            ],
        )

        def ids(**values: str) -> list[int]:
            query = select(answers.c.id).where(*selection.where(answers, values))
            return list(conn.execute(query.order_by(answers.c.id)).scalars())

        assert ids(month_from="2026-02", month_to="2026-03") == [2, 3]
        assert ids(answer="none") == [2]
        assert ids(answer="accepted") == [1]
    assert month_start("2026-02").isoformat() == "2026-02-01"
