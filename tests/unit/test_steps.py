"""A resource's steps declared once (mhg.steps): the spelled-out route's document and behaviour."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel

from mhg import errors, problems
from mhg.auth import Principal, Role
from mhg.changes import CHANGING, Change
from mhg.meta import Meta
from mhg.steps import Steps
from mhg.web import RequestIdentity

DOOR = UUID("6f1c2d4e-8a3b-4c5d-9e7f-0a1b2c3d4e5f")


@dataclass(frozen=True)
class Door:
    id: UUID
    state: str
    version: int


class CloseIn(BaseModel):
    reason: str


class DoorOut(BaseModel):
    id: UUID
    state: str
    version: int

    @classmethod
    def of(cls, door: Door) -> DoorOut:
        return cls(id=door.id, state=door.state, version=door.version)


class DoorCommands:
    def __init__(self) -> None:
        self.door = Door(DOOR, "open", 1)
        self.reasons: list[str] = []

    def _step(self, door_id: UUID, state: str, expected_version: int | None) -> Door:
        if door_id != self.door.id:
            raise errors.NotFound(f"no door {door_id}")
        if expected_version is not None and expected_version != self.door.version:
            raise errors.StaleVersion("the door changed")
        self.door = replace(self.door, state=state, version=self.door.version + 1)
        return self.door

    def close_door(
        self, door_id: UUID, *, reason: str, expected_version: int | None, meta: Meta
    ) -> Door:
        self.reasons.append(reason)
        return self._step(door_id, "closed", expected_version)

    def lock_door(self, door_id: UUID, *, expected_version: int | None, meta: Meta) -> Door:
        return self._step(door_id, "locked", expected_version)


def doors_of(commands: DoorCommands) -> Any:
    """The capability a route declares, giving these commands."""
    return Annotated[DoorCommands, Depends(lambda: commands)]


Doors = Annotated[DoorCommands, Depends(DoorCommands)]


def keeper() -> Principal:
    return Principal(subject="someone", org="mso", role=Role.MSO_ADMIN)


Keeper = Annotated[Principal, Depends(keeper)]


def spelled_out() -> FastAPI:
    app = FastAPI()

    @app.post(
        "/doors/{door_id}/close",
        operation_id="closeDoor",
        summary="Close the door, with a reason",
        response_model=DoorOut,
        responses=CHANGING,
    )
    def close(
        door_id: UUID, body: CloseIn, caller: Keeper, doors: Doors, change: Change
    ) -> DoorOut:
        return DoorOut.of(change(caller, doors.close_door, door_id, body=body))

    @app.post(
        "/doors/{door_id}/lock",
        operation_id="lockDoor",
        summary="Lock the door",
        response_model=DoorOut,
        responses=CHANGING,
    )
    def lock(door_id: UUID, caller: Keeper, doors: Doors, change: Change) -> DoorOut:
        return DoorOut.of(change(caller, doors.lock_door, door_id, body=None))

    return app


def declared(doors: Any = Doors) -> FastAPI:
    router = APIRouter()
    door = Steps(router, "/doors/{door_id}", doors, DoorOut.of)
    door.step(
        "close",
        "closeDoor",
        "Close the door, with a reason",
        CloseIn,
        Keeper,
        lambda doors: doors.close_door,
    )
    door.step("lock", "lockDoor", "Lock the door", None, Keeper, lambda doors: doors.lock_door)
    app = FastAPI()
    app.include_router(router)
    return app


def _document(app: FastAPI) -> Any:
    return app.openapi()


def test_the_openapi_document_is_the_spelled_out_one() -> None:
    assert _document(declared()) == _document(spelled_out())


def test_a_step_runs_its_command_with_the_body_at_the_version_read() -> None:
    commands = DoorCommands()
    app = declared(doors_of(commands))
    problems.install(app)
    app.add_middleware(RequestIdentity)
    client = TestClient(app)
    closed = client.post(
        f"/doors/{DOOR}/close", json={"reason": "draught"}, headers={"If-Match": '"1"'}
    )
    assert closed.json() == {"id": str(DOOR), "state": "closed", "version": 2}
    assert closed.headers["ETag"] == '"2"'
    assert commands.reasons == ["draught"]
    assert client.post(f"/doors/{DOOR}/lock", headers={"If-Match": '"1"'}).status_code == 412
    assert client.post(f"/doors/{DOOR}/lock").json()["state"] == "locked"
    assert client.post(f"/doors/{DOOR}/close", json={}).status_code == 422
