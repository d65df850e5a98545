"""Routes declared once for several (mhg.declared): the OpenAPI document of each spelled out."""

from __future__ import annotations

import inspect
from typing import Annotated, Any
from uuid import UUID

import pytest
from fastapi import APIRouter, Depends, FastAPI, Header
from fastapi.responses import JSONResponse
from fastapi.testclient import TestClient
from pydantic import BaseModel

from mhg import problems
from mhg.declared import created, endpoint, given, listed, shown
from mhg.listing import Listing, Selection, equals


class OpenIn(BaseModel):
    at: str


class CloseIn(BaseModel):
    at: str
    reason: str


class DoorOut(BaseModel):
    door: str
    by: str
    at: str


Who = Annotated[str, Header()]
ROUTE: dict[str, Any] = {"summary": "Move the door", "response_model": DoorOut}


def spelled_out() -> FastAPI:
    app = FastAPI()

    @app.post("/doors/{door_id}/open", operation_id="openDoor", **ROUTE)
    def open_door(door_id: UUID, body: OpenIn, who: Who) -> dict[str, str]:
        return {"door": str(door_id), "by": who, **body.model_dump()}

    @app.post("/doors/{door_id}/close", operation_id="closeDoor", **ROUTE)
    def close_door(door_id: UUID, body: CloseIn, who: Who) -> dict[str, str]:
        return {"door": str(door_id), "by": who, **body.model_dump()}

    return app


def with_given() -> FastAPI:
    app = FastAPI()
    for step, model in (("open", OpenIn), ("close", CloseIn)):

        def step_door(door_id: UUID, body: BaseModel, who: Who) -> dict[str, str]:
            return {"door": str(door_id), "by": who, **body.model_dump()}

        app.post(f"/doors/{{door_id}}/{step}", operation_id=f"{step}Door", **ROUTE)(
            given(step_door, body=model)
        )
    return app


def with_endpoint() -> FastAPI:
    app = FastAPI()

    def run(door_id: UUID, body: BaseModel, who: str) -> dict[str, str]:
        return {"door": str(door_id), "by": who, **body.model_dump()}

    for step, model in (("open", OpenIn), ("close", CloseIn)):
        kind = inspect.Parameter.POSITIONAL_OR_KEYWORD
        parameters = [
            inspect.Parameter("door_id", kind, annotation=UUID),
            inspect.Parameter("body", kind, annotation=model),
            inspect.Parameter("who", kind, annotation=Who),
        ]
        app.add_api_route(
            f"/doors/{{door_id}}/{step}",
            endpoint(f"{step}_door", parameters, run),
            methods=["POST"],
            operation_id=f"{step}Door",
            **ROUTE,
        )
    return app


def _document(app: FastAPI) -> Any:
    return app.openapi()


@pytest.mark.parametrize("declared", [with_given, with_endpoint])
def test_the_openapi_document_is_the_spelled_out_one(declared: Any) -> None:
    assert _document(declared()) == _document(spelled_out())


@pytest.mark.parametrize("declared", [with_given, with_endpoint])
def test_each_route_validates_its_own_body(declared: Any) -> None:
    client = TestClient(declared())
    door = "6f1c2d4e-8a3b-4c5d-9e7f-0a1b2c3d4e5f"
    opened = client.post(f"/doors/{door}/open", json={"at": "9"}, headers={"who": "ann"})
    assert opened.json() == {"door": door, "by": "ann", "at": "9"}
    unreasoned = client.post(f"/doors/{door}/close", json={"at": "9"}, headers={"who": "ann"})
    assert unreasoned.status_code == 422


def test_given_refuses_a_parameter_the_endpoint_does_not_have() -> None:
    def route(body: BaseModel) -> None:
        return None

    with pytest.raises(TypeError, match="no parameters"):
        given(route, caller=str)


class Door(BaseModel):
    door: str
    version: int


Doors = Annotated[dict[str, int], Depends(lambda: {"front": 3})]


def reader(who: Who) -> str:
    return who


Reader = Annotated[str, Depends(reader)]


def test_shown_answers_the_read_with_its_version_as_the_etag() -> None:
    app = FastAPI()
    router = APIRouter()

    @shown(router, "/doors/{name}", "getDoor", Reader)
    def get_door(name: str, doors: Doors) -> Door:
        """One door"""
        return Door(door=name, version=doors[name])

    app.include_router(router)
    answer = TestClient(app).get("/doors/front", headers={"who": "ann"})
    assert answer.json() == {"door": "front", "version": 3}
    assert answer.headers["ETag"] == '"3"'
    operation = app.openapi()["paths"]["/doors/{name}"]["get"]
    assert (operation["operationId"], operation["summary"]) == ("getDoor", "One door")
    assert [p["name"] for p in operation["parameters"]] == ["name", "who"]


Anyone = Annotated[str, Depends(lambda: "anyone")]  # a role read from no request parameter


def test_a_resource_shown_alone_answers_no_422_and_one_a_path_names_does() -> None:
    app = FastAPI()
    router = APIRouter()

    @shown(router, "/front-door", "getFrontDoor", Anyone)
    def get_front_door(doors: Doors) -> Door:
        """The front door"""
        return Door(door="front", version=doors["front"])

    @shown(router, "/doors/{name}", "getDoor", Anyone)
    def get_door(name: str, doors: Doors) -> Door:
        """One door"""
        return Door(door=name, version=doors[name])

    app.include_router(router)
    answer = TestClient(app).get("/front-door")
    assert answer.headers["ETag"] == '"3"'
    paths = app.openapi()["paths"]
    assert sorted(paths["/front-door"]["get"]["responses"]) == ["200", "401", "403", "404"]
    assert sorted(paths["/doors/{name}"]["get"]["responses"]) == [
        "200",
        "401",
        "403",
        "404",
        "422",
    ]


def test_created_is_the_spelled_out_create_route_with_its_docstring_as_summary() -> None:
    spelled, declared_app = FastAPI(), FastAPI()

    @spelled.post(
        "/doors",
        operation_id="hangDoor",
        summary="Hang a door",
        status_code=201,
        response_model=DoorOut,
        responses=problems.responses(401, 403, 422),
    )
    def hang(body: OpenIn, who: Who) -> JSONResponse:
        return JSONResponse({"door": "new", "by": who, **body.model_dump()}, status_code=201)

    router = APIRouter()

    @created(router, "/doors", "hangDoor", DoorOut, (401, 403, 422))
    def hang_door(body: OpenIn, who: Who) -> JSONResponse:
        """Hang a door"""
        return JSONResponse({"door": "new", "by": who, **body.model_dump()}, status_code=201)

    declared_app.include_router(router)
    assert _document(declared_app) == _document(spelled)
    answer = TestClient(declared_app).post("/doors", json={"at": "9"}, headers={"who": "ann"})
    assert (answer.status_code, answer.json()) == (201, {"door": "new", "by": "ann", "at": "9"})


class Hinge(BaseModel):
    door: str
    at: str


HINGES = Listing(Selection("hinges", door=equals()), Hinge)


def test_a_list_under_a_resource_checks_it_first_and_declares_its_404() -> None:
    router = APIRouter()
    checked: list[str] = []

    @listed(router, "/doors/{door}/hinges", "listHinges", HINGES, Reader)
    def list_hinges(door: str, doors: Doors) -> None:
        """The hinges of a door"""
        checked.append(door)
        if door not in doors:
            raise problems.Problem(404, "no-door", "No such door", door)

    app = FastAPI()
    app.state.runtime = object()  # never read: the door is checked first
    problems.install(app)
    app.include_router(router)
    operation = app.openapi()["paths"]["/doors/{door}/hinges"]["get"]
    assert "404" in operation["responses"]
    answer = TestClient(app).get("/doors/back/hinges", headers={"who": "ann"})
    assert (answer.status_code, checked) == (404, ["back"])


def test_listed_refuses_a_query_filter_its_listing_does_not_declare() -> None:
    with pytest.raises(TypeError, match="declares no filter"):

        @listed(APIRouter(), "/hinges", "listHinges", HINGES, Reader)
        def list_hinges(colour: str | None = None) -> None:
            """Hinges"""
