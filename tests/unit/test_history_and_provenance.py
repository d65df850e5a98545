"""The kernel's history pages and provenance traces, against a real event store."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from eventsourcing.domain import Aggregate, event
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contracts import Actor, ContractMessage, Envelope
from mhg.errors import NotFound
from mhg.eventstore import ServiceApplication, StoreLocation
from mhg.feed import FeedPublisher, reaction_meta
from mhg.history import HistoryEntry, HistoryFilter, history_page
from mhg.meta import Meta
from mhg.pagination import Page
from mhg.provenance import arrival, publication, published_message_id

META = Meta("ann", "mso_admin", "mso", "req-1", "corr-1", "req-1")


class Note(Aggregate):
    @event("Written")
    def __init__(self, text: str, secret: str, meta: Meta) -> None:
        self.text = text
        self.secret = secret

    @event("Amended")
    def amend(self, text: str, meta: Meta) -> None:
        self.text = text


class Other(Aggregate):
    @event("Made")
    def __init__(self, meta: Meta) -> None:
        pass


class Missing(NotFound):
    code = "note-not-found"


class Notes(ServiceApplication):
    name = "notes"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Notes]:
    path: Path = tmp_path_factory.mktemp("history") / "notes.sqlite"
    notes = Notes(StoreLocation.parse(f"sqlite:///{path}"))
    yield notes
    notes.close()


def written(app: Notes, amendments: int) -> Note:
    note = Note(text="first", secret="Pat Doe 2010-04-01", meta=META)
    for n in range(amendments):
        note.amend(f"text {n}", Meta("bo", "mso_billing", "mso", f"req-{n}", "corr-2", f"req-{n}"))
    app.record(note)
    return note


def every_page(
    app: Notes, note_id: uuid.UUID, limit: int, only: HistoryFilter
) -> list[HistoryEntry]:
    entries, cursor = [], None
    while True:
        page: Page[HistoryEntry] = history_page(
            app, note_id, Note, Missing("no note"), cursor=cursor, limit=limit, only=only
        )
        assert len(page.items) <= limit
        entries += page.items
        if page.next_cursor is None:
            return entries
        cursor = page.next_cursor


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    amendments=st.integers(0, 12),
    limit=st.integers(1, 6),
    types=st.sets(st.sampled_from(["Written", "Amended", "Unknown"])),
)
def test_paging_a_history_yields_every_chosen_event_once_in_order(
    app: Notes, amendments: int, limit: int, types: set[str]
) -> None:
    note = written(app, amendments)
    entries = every_page(app, note.id, limit, HistoryFilter(types=frozenset(types)))
    expected = [(1, "Written")] + [(v, "Amended") for v in range(2, amendments + 2)]
    assert [(e.version, e.type) for e in entries] == [
        (v, t) for v, t in expected if not types or t in types
    ]


def test_an_entry_carries_the_metadata_and_nothing_of_the_state(app: Notes) -> None:
    note = written(app, 1)
    first, second = every_page(app, note.id, 10, HistoryFilter())
    assert first.model_dump(exclude={"recorded_at"}) == {
        "version": 1,
        "type": "Written",
        "actor_id": "ann",
        "actor_role": "mso_admin",
        "actor_org": "mso",
        "request_id": "req-1",
        "correlation_id": "corr-1",
        "causation_id": "req-1",
    }
    assert "Pat Doe" not in first.model_dump_json() + second.model_dump_json()
    since = HistoryFilter(recorded_from=second.recorded_at)
    assert [e.version for e in every_page(app, note.id, 10, since)] == [2]
    before = HistoryFilter(recorded_before=second.recorded_at + timedelta(microseconds=1))
    assert [e.version for e in every_page(app, note.id, 10, before)] == [1, 2]


def test_an_unknown_id_or_another_kind_is_not_found(app: Notes) -> None:
    other = Other(meta=META)
    app.record(other)
    for unknown in (uuid.uuid4(), other.id):
        with pytest.raises(Missing):
            history_page(app, unknown, Note, Missing("no note"), cursor=None, limit=5)


def test_a_reaction_names_the_message_it_applied() -> None:
    message_id = uuid.uuid4()
    envelope = Envelope(
        message_id=message_id,
        type="authorization.approved",
        version=1,
        producer="pc-governance",
        position=42,
        occurred_at="2026-11-23T10:00:00Z",
        correlation_id="corr-9",
        causation_id="req-9",
        actor=Actor(id="dr-lee", role="medical_director", org="pc"),
        payload={},
    )

    class Reaction:
        meta = reaction_meta(envelope, "mso-ops")

    found = arrival(Reaction())
    assert found is not None
    assert (found.producer, found.position, found.message_id) == (
        "pc-governance",
        42,
        str(message_id),
    )

    class Command:
        meta = META

    assert arrival(Command()) is None
    assert arrival(object()) is None


class Published(ContractMessage):
    TYPE = "note.written"
    VERSION = 1
    text: str


def test_a_published_event_has_the_message_id_the_feed_gives_it(app: Notes) -> None:
    note = written(app, 0)
    publisher = FeedPublisher(app, "mso-ops", {Note.Written: lambda e: Published(text=e.text)})  # type: ignore[attr-defined]
    served = {m.position: m for m in publisher.page(0, 1000).messages}
    stored: Any = next(iter(app.events.get(note.id)))
    found = publication(publisher, stored)
    assert found is not None
    assert found.message_id == published_message_id("mso-ops", note.id, 1)
    assert found.message_id in {m.message_id for m in served.values()}
    assert (found.producer, found.message_type, found.message_version) == (
        "mso-ops",
        "note.written",
        1,
    )
    amended = Note.Amended  # type: ignore[attr-defined]
    assert publication(FeedPublisher(app, "mso-ops", {amended: Published}), stored) is None
