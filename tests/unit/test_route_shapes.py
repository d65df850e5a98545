"""The kernel's route shapes (create, list) on a small app of their own, on SQLite."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Annotated, Any
from uuid import UUID

import pytest
from fastapi import Depends, FastAPI
from fastapi.responses import JSONResponse
from fastapi.testclient import TestClient
from pydantic import BaseModel
from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, Uuid, insert

from mhg import problems
from mhg.auth import Principal, Role
from mhg.bounded import Day
from mhg.creation import Create
from mhg.eventstore import StoreLocation
from mhg.idempotency import IdempotencyStore, idempotency_table
from mhg.listing import Listing, Selection, at_least, equals, matching, one_of, start_of_day
from mhg.meta import Meta
from mhg.pagination import CursorParam, LimitParam, Page
from mhg.readstore import ReadStore
from mhg.web import RequestIdentity


class ThingIn(BaseModel):
    name: str


class ThingOut(BaseModel):
    id: UUID
    name: str
    version: int


class ThingRow(BaseModel):
    id: UUID
    kind: str
    made_at: datetime


def caller() -> Principal:
    return Principal(subject="someone", org="mso", role=Role.MSO_ADMIN)


Caller = Annotated[Principal, Depends(caller)]

THINGS = Listing(
    Selection(
        "things",
        kind=equals(),
        kinds=one_of("kind"),
        made_from=at_least("made_at", start_of_day),
        named_like=matching(lambda table, text: table.c.kind.contains(text)),
    ),
    ThingRow,
)


@dataclass
class Shapes:
    client: TestClient
    store: ReadStore
    made: dict[UUID, ThingOut]
    seen: list[Meta]


@pytest.fixture
def shapes(tmp_path: Path) -> Iterator[Shapes]:
    made: dict[UUID, ThingOut] = {}
    metadata = MetaData()
    idempotency_table(metadata)
    things = Table(
        "things",
        metadata,
        Column("position", Integer, primary_key=True),
        Column("id", Uuid),
        Column("kind", String),
        Column("made_at", DateTime(timezone=True)),
    )
    store = ReadStore(StoreLocation.parse(f"sqlite:///{tmp_path / 'shapes.db'}"), metadata)
    store.create_tables()
    with store.writer.begin() as conn:
        for position, (kind, day) in enumerate(
            [("a", 1), ("b", 2), ("a", 3), ("c", 4), ("a", 5)], start=1
        ):
            conn.execute(
                insert(things).values(
                    position=position,
                    id=UUID(int=position),
                    kind=kind,
                    made_at=datetime(2026, 3, day, 12, tzinfo=UTC),
                )
            )
    app = FastAPI()
    app.state.runtime = SimpleNamespace(store=store, idempotency=IdempotencyStore(store))
    problems.install(app)
    app.add_middleware(RequestIdentity)
    seen: list[Meta] = []

    def make(new_id: UUID, meta: Meta, name: str) -> ThingOut:
        seen.append(meta)
        made[new_id] = ThingOut(id=new_id, name=name, version=1)
        return made[new_id]

    @app.post("/things", operation_id="makeThing", status_code=201, response_model=ThingOut)
    def make_thing(body: ThingIn, create: Create, who: Caller) -> JSONResponse:
        return create(
            who,
            body,
            make=lambda new_id, meta: make(new_id, meta, body.name),
            find=made.get,
            answer=lambda thing: thing,
            location="/things/{id}",
        )

    @app.post("/things/{thing_id}/parts", operation_id="addPart", status_code=201)
    def add_part(thing_id: UUID, body: ThingIn, create: Create, who: Caller) -> JSONResponse:
        return create(
            who,
            body,
            make=lambda new_id, meta: make(new_id, meta, f"{thing_id}:{body.name}"),
            find=made.get,
            answer=lambda thing: thing,
            location=f"/things/{thing_id}/parts/{{id}}",
        )

    @app.get("/things", response_model=Page[ThingRow])
    def list_things(
        cursor: CursorParam = None,
        limit: LimitParam = 50,
        kind: str | None = None,
        made_from: Day | None = None,
        named_like: str | None = None,
    ) -> Page[ThingRow]:
        return THINGS.page(
            app.state.runtime,
            cursor,
            limit,
            kind=kind,
            made_from=made_from,
            named_like=named_like,
        )

    with TestClient(app) as client:
        yield Shapes(client, store, made, seen)
    store.dispose()


def test_a_create_answers_201_at_its_location_with_its_etag(shapes: Shapes) -> None:
    client = shapes.client
    answer = client.post("/things", json={"name": "x"})
    assert answer.status_code == 201
    assert answer.headers["location"] == f"/things/{answer.json()['id']}"
    assert answer.headers["etag"] == '"1"'
    assert "idempotent-replayed" not in answer.headers


def test_a_retry_with_the_same_key_replays_the_first_answer(shapes: Shapes) -> None:
    client, made = shapes.client, shapes.made
    first = client.post("/things", json={"name": "x"}, headers={"Idempotency-Key": "k1"})
    again = client.post("/things", json={"name": "x"}, headers={"Idempotency-Key": "k1"})
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert len(made) == 1


def test_the_same_key_with_another_body_is_refused(shapes: Shapes) -> None:
    client = shapes.client
    client.post("/things", json={"name": "x"}, headers={"Idempotency-Key": "k2"})
    other = client.post("/things", json={"name": "y"}, headers={"Idempotency-Key": "k2"})
    assert other.status_code == 422


def test_a_key_names_the_path_id(shapes: Shapes) -> None:
    client, made = shapes.client, shapes.made
    one, two = UUID(int=1), UUID(int=2)
    first = client.post(
        f"/things/{one}/parts", json={"name": "p"}, headers={"Idempotency-Key": "k"}
    )
    # the same id spelled in capitals is the same path id: the same operation
    again = client.post(
        f"/things/{str(one).upper()}/parts", json={"name": "p"}, headers={"Idempotency-Key": "k"}
    )
    # the key's operation names the path id: under another thing it is another request
    other = client.post(
        f"/things/{two}/parts", json={"name": "p"}, headers={"Idempotency-Key": "k"}
    )
    assert again.json() == first.json()
    assert first.headers["location"] == f"/things/{one}/parts/{first.json()['id']}"
    assert other.status_code == 422
    assert other.json()["type"].endswith("idempotency-key-reused")
    assert len(made) == 1


def test_a_crash_after_saving_is_answered_from_the_saved_resource(shapes: Shapes) -> None:
    client, made, store = shapes.client, shapes.made, shapes.store
    first = client.post("/things", json={"name": "x"}, headers={"Idempotency-Key": "k3"})
    with store.writer.begin() as conn:  # the stored response is lost, the resource is not
        conn.execute(store.metadata.tables["idempotency_keys"].delete())
    again = client.post("/things", json={"name": "x"}, headers={"Idempotency-Key": "k3"})
    assert again.json() == first.json()
    assert len(made) == 1


def test_a_create_records_who_acted_in_which_request(shapes: Shapes) -> None:
    shapes.client.post("/things", json={"name": "x"})
    (meta,) = shapes.seen
    assert meta.actor_id == "someone"
    assert meta.actor_role == "mso_admin"


def _kinds(client: TestClient, **params: Any) -> list[str]:
    answer = client.get("/things", params=params)
    assert answer.status_code == 200, answer.text
    return [row["kind"] for row in answer.json()["items"]]


def test_a_list_filters_by_what_it_declares(shapes: Shapes) -> None:
    client = shapes.client
    assert _kinds(client) == ["a", "b", "a", "c", "a"]
    assert _kinds(client, kind="a") == ["a", "a", "a"]
    assert _kinds(client, made_from=str(date(2026, 3, 3))) == ["a", "c", "a"]
    assert _kinds(client, kind="a", made_from="2026-03-02") == ["a", "a"]
    assert _kinds(client, named_like="c") == ["c"]


def test_a_list_pages_by_cursor_in_log_order(shapes: Shapes) -> None:
    client = shapes.client
    first = client.get("/things", params={"limit": 2}).json()
    second = client.get("/things", params={"limit": 2, "cursor": first["next_cursor"]}).json()
    last = client.get("/things", params={"limit": 2, "cursor": second["next_cursor"]}).json()
    assert [r["kind"] for r in first["items"] + second["items"] + last["items"]] == [
        "a",
        "b",
        "a",
        "c",
        "a",
    ]
    assert last["next_cursor"] is None


def test_a_filter_the_listing_does_not_declare_is_a_route_bug() -> None:
    table = Table("things", MetaData(), Column("kind", String))
    with pytest.raises(TypeError, match="no filter"):
        THINGS.where(table, {"colour": "red"})
    assert len(THINGS.where(table, {"kinds": ["a", "b"], "kind": None})) == 1
