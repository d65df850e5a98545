"""A replay decodes stored events exactly as the library's mapper does, and projections'
batch memos last as long as the transaction (a replay's: the whole replay)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from eventsourcing.domain import Aggregate, event
from eventsourcing.persistence import (
    DatetimeAsISO,
    DecimalAsStr,
    JSONTranscoder,
    Mapper,
    MapperDeserialisationError,
    StoredEvent,
    UUIDAsHex,
)
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import create_engine

from mhg.eventstore import DateAsISO, MetaAsDict
from mhg.meta import Meta
from mhg.projection import batch_memo
from mhg.replay_events import event_decoder, uuid_from_hex
from mhg.replay_rows import BufferedConnection

META = Meta("ann", "mso_admin", "mso", "req-1", "conv-1", "req-1")


class Visit(Aggregate):
    @event("Booked")
    def __init__(self, site_id: uuid.UUID, on: date, fee: Decimal, meta: Meta) -> None:
        self.site_id = site_id

    @event("Noted")
    def note(self, notes: dict[str, Any], tags: list[Any], at: datetime, meta: Meta) -> None:
        pass

    class Moved(Aggregate.Event):
        class_version = 2
        to: date
        reason: str

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["reason"] = "unknown"

    def move(self, to: date, reason: str) -> None:
        self.trigger_event(self.Moved, to=to, reason=reason)


def mapper() -> Mapper[uuid.UUID]:
    transcoder = JSONTranscoder()
    for transcoding in (UUIDAsHex(), DecimalAsStr(), DatetimeAsISO(), MetaAsDict(), DateAsISO()):
        transcoder.register(transcoding)
    return Mapper(transcoder=transcoder)


def stored(events: Sequence[Any]) -> list[StoredEvent]:
    return [mapper().to_stored_event(e) for e in events]


def assert_same(decoded: Any, expected: Any) -> None:
    assert type(decoded) is type(expected)
    assert decoded.__dict__ == expected.__dict__
    for name, value in expected.__dict__.items():
        assert type(decoded.__dict__[name]) is type(value), name


def decode_both(record: StoredEvent) -> tuple[Any, Any]:
    fast = event_decoder(mapper())
    originator = str(record.originator_id).replace("-", "")
    return (
        fast(originator, record.originator_version, record.topic, record.state),
        mapper().to_domain_event(record),
    )


notes = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5) | st.uuids(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=8,
)


@given(notes=st.dictionaries(st.text(max_size=8), notes, max_size=4), tags=st.lists(notes))
def test_any_event_decodes_as_the_librarys_mapper_decodes_it(
    notes: dict[str, Any], tags: list[Any]
) -> None:
    visit = Visit(site_id=uuid.uuid4(), on=date(2027, 1, 2), fee=Decimal("12.30"), meta=META)
    visit.note(notes, tags, datetime(2027, 1, 2, 9, 30, 1, 5, tzinfo=UTC), META)
    visit.move(date(2027, 2, 1), "clash")
    for record in stored(visit.collect_events()):
        assert_same(*decode_both(record))


def test_an_older_class_version_is_upcast_and_a_broken_state_refused() -> None:
    visit = Visit(site_id=uuid.uuid4(), on=date(2027, 1, 2), fee=Decimal(1), meta=META)
    visit.move(date(2027, 2, 1), "clash")
    moved = stored(visit.collect_events())[-1]
    state = json.loads(moved.state)
    del state["reason"], state["class_version"]
    older = StoredEvent(moved.originator_id, 2, moved.topic, json.dumps(state).encode())
    fast, library = decode_both(older)
    assert_same(fast, library)
    assert fast.reason == "unknown"
    broken = StoredEvent(moved.originator_id, 2, moved.topic, b"{not json")
    with pytest.raises(MapperDeserialisationError):
        decode_both(broken)


def test_uuids_from_hex_are_uuids() -> None:
    value = uuid.uuid4()
    made = uuid_from_hex(value.hex)
    assert (made, hash(made), str(made), made.is_safe) == (
        value,
        hash(value),
        str(value),
        value.is_safe,
    )
    assert uuid_from_hex(str(value)) == value  # any other spelling: UUID's own parsing
    with pytest.raises(ValueError, match="badly formed"):
        uuid_from_hex("-" + value.hex[1:])


def test_a_batch_memo_lasts_as_long_as_its_transaction() -> None:
    engine = create_engine("sqlite://")
    owner = object()
    with engine.connect() as conn:
        assert batch_memo(conn, owner) is not batch_memo(conn, owner)  # no transaction
        with conn.begin():
            batch_memo(conn, owner)["k"] = 1
            assert batch_memo(conn, owner) == {"k": 1}
            assert batch_memo(conn, object()) == {}
        with conn.begin():
            assert batch_memo(conn, owner) == {}
            memos: dict[object, dict[Any, Any]] = {}
            BufferedConnection(conn, memos).memo(owner)["k"] = 2
            assert batch_memo(BufferedConnection(conn, memos), owner) == {"k": 2}  # type: ignore[arg-type]
