"""Change, create and worked-out list routes declared by what they do (mhg.steps.changing,
mhg.declared.created, mhg.paged): the OpenAPI document of each is the one spelling it out
gives."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, FastAPI, Query
from fastapi.responses import JSONResponse
from fastapi.testclient import TestClient
from pydantic import BaseModel

from mhg import problems
from mhg.changes import CHANGING
from mhg.declared import created
from mhg.paged import Pages, paged, remade
from mhg.pagination import CursorParam, LimitParam, Page
from mhg.routes import Runtime
from mhg.steps import changing


class DoorIn(BaseModel):
    at: str


class DoorOut(BaseModel):
    door: str
    at: str


class DoorRow(BaseModel):
    door: str


def reader() -> str:
    return "ann"


Reader = Annotated[str, Depends(reader)]
Days = Annotated[int, Query(ge=0, le=10, description="Days from today")]


def spelled_out() -> FastAPI:
    router = APIRouter()

    @router.post(
        "/doors/{door_id}/open",
        operation_id="openDoor",
        summary="Open a door",
        response_model=DoorOut,
        responses=CHANGING,
    )
    def open_door(door_id: UUID, body: DoorIn, who: Reader) -> DoorOut:
        return DoorOut(door=str(door_id), at=body.at)

    @router.post(
        "/doors",
        operation_id="hangDoor",
        summary="Hang a door",
        status_code=201,
        response_model=DoorOut,
        responses=problems.responses(401, 403, 409, 422),
    )
    def hang_door(body: DoorIn, who: Reader) -> JSONResponse:
        return JSONResponse({"door": "new", "at": body.at}, status_code=201)

    @router.get(
        "/doors",
        operation_id="listDoors",
        summary="Doors to oil within some days",
        response_model=Page[DoorRow],
        responses=problems.responses(401, 403, 422),
    )
    def list_doors(
        rt: Runtime,
        _caller: Reader,
        cursor: CursorParam = None,
        limit: LimitParam = 50,
        within: Days = 3,
    ) -> Page[DoorRow]:
        return Page[DoorRow](items=[DoorRow(door=str(within))], next_cursor=None)

    app = FastAPI()
    app.include_router(router)
    return app


def declared() -> FastAPI:
    router = APIRouter()

    @changing(router, "/doors/{door_id}/open", "openDoor")
    def open_door(door_id: UUID, body: DoorIn, who: Reader) -> DoorOut:
        """Open a door"""
        return DoorOut(door=str(door_id), at=body.at)

    @created(router, "/doors", "hangDoor", DoorOut, (401, 403, 409, 422))
    def hang_door(body: DoorIn, who: Reader) -> JSONResponse:
        """Hang a door"""
        return JSONResponse({"door": "new", "at": body.at}, status_code=201)

    @paged(router, "/doors", "listDoors", Reader)
    def list_doors(pages: Pages, within: Days = 3) -> Page[DoorRow]:
        """Doors to oil within some days"""
        page = Page[Any](items=[within], next_cursor=None)
        return remade(page, lambda days: DoorRow(door=str(days)))

    app = FastAPI()
    app.include_router(router)
    return app


def test_the_openapi_document_is_the_spelled_out_one() -> None:
    assert declared().openapi() == spelled_out().openapi()


def test_the_declared_routes_run_the_decorated_functions() -> None:
    app = declared()
    app.state.runtime = object()
    client = TestClient(app)
    door = "6f1c2d4e-8a3b-4c5d-9e7f-0a1b2c3d4e5f"
    assert client.post(f"/doors/{door}/open", json={"at": "9"}).json() == {"door": door, "at": "9"}
    hung = client.post("/doors", json={"at": "7"})
    assert (hung.status_code, hung.json()) == (201, {"door": "new", "at": "7"})
    assert client.get("/doors", params={"within": 5}).json() == {
        "items": [{"door": "5"}],
        "next_cursor": None,
    }
    assert client.get("/doors", params={"within": 11}).status_code == 422
