"""The committed OpenAPI documents are the ones the code produces, and they are honest."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, get_args

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from pydantic import BaseModel, ValidationError
from starlette.routing import BaseRoute

from mhg_cli.main import OPENAPI_FILES, render_openapi
from services.mso_ops.app import create_app as mso_ops_app
from services.pc_governance.app import create_app as pc_governance_app
from tests.conftest import Documents


@pytest.mark.parametrize("service", sorted(OPENAPI_FILES))
def test_committed_openapi_is_current(service: str, openapi: Documents) -> None:
    committed = Path(OPENAPI_FILES[service]).read_text()
    assert committed == render_openapi(openapi[service]), (
        f"{OPENAPI_FILES[service]} is stale: run `make openapi` and commit it"
    )


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
    ]


@pytest.mark.parametrize("service", sorted(OPENAPI_FILES))
def test_every_operation_is_named_summarized_and_declares_its_errors(
    service: str, openapi: Documents
) -> None:
    seen: set[str] = set()
    secured_operations = 0
    for path, method, operation in operations(openapi[service]):
        operation_id = operation["operationId"]
        assert operation_id[0].islower(), (path, operation_id)
        assert "_" not in operation_id, (path, operation_id)
        assert operation_id not in seen
        seen.add(operation_id)
        assert operation.get("summary"), f"{method} {path} has no summary"
        if "security" in operation:
            secured_operations += 1
            assert "401" in operation["responses"], f"{method} {path} hides its 401"
            assert "403" in operation["responses"], f"{method} {path} hides its 403"
        for status, response in operation["responses"].items():
            if status.startswith("4"):
                assert set(response["content"]) == {"application/problem+json"}, (path, status)
                schema = response["content"]["application/problem+json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ProblemDocument"}
    assert secured_operations >= 5


@pytest.mark.parametrize("service", sorted(OPENAPI_FILES))
def test_every_change_declares_the_log_position_of_its_success(
    service: str, openapi: Documents
) -> None:
    """Reads follow writes (ADR 0023): a generated client can read the position."""
    changes = 0
    for path, method, operation in operations(openapi[service]):
        for status, response in operation["responses"].items():
            declared = "Log-Position" in response.get("headers", {})
            if status.startswith("2") and method in ("post", "put", "patch", "delete"):
                changes += 1
                assert declared, f"{method} {path} {status} hides its Log-Position"
            else:
                assert not declared, f"{method} {path} {status} names a Log-Position"
    assert changes >= 40


def test_the_problem_schema_is_published(openapi: Documents) -> None:
    for document in openapi.values():
        problem = document["components"]["schemas"]["ProblemDocument"]
        assert set(problem["required"]) >= {"type", "title", "status", "detail"}


def test_documents_are_stable_json(openapi: Documents) -> None:
    for service, document in openapi.items():
        assert json.loads(render_openapi(document)) == document, service


# Every request body carries a realistic example, and every model-level example is one
# the API accepts: schemathesis sends them, and integrators copy them.

FACTORIES: dict[str, Callable[[], FastAPI]] = {
    "mso-ops": mso_ops_app,
    "pc-governance": pc_governance_app,
}


def json_request_bodies(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation["requestBody"]["content"]["application/json"]["schema"])
        for path, method, operation in operations(document)
        if "application/json" in operation.get("requestBody", {}).get("content", {})
    ]


def schema_refs(schema: dict[str, Any]) -> list[str]:
    """The component names a body schema stands for: one model, or each arm of a union."""
    if "$ref" in schema:
        return [schema["$ref"].removeprefix("#/components/schemas/")]
    return [
        name
        for key in ("anyOf", "oneOf", "allOf")
        for arm in schema.get(key, [])
        for name in schema_refs(arm)
    ]


def has_example(schema: dict[str, Any]) -> bool:
    return "examples" in schema or any(
        "examples" in field or "example" in field for field in schema.get("properties", {}).values()
    )


def api_routes(routes: Iterable[BaseRoute]) -> Iterator[APIRoute]:
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
            continue
        # included routers (and mounts) hold their own routes
        children = getattr(getattr(route, "original_router", route), "routes", None)
        if children:
            yield from api_routes(children)


def models_in(annotation: Any) -> Iterator[type[BaseModel]]:
    """The pydantic models an annotation names, through unions, Annotated and containers."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for argument in get_args(annotation):
        yield from models_in(argument)


def request_models(app: FastAPI) -> tuple[set[type[BaseModel]], int]:
    """Every model a JSON request body may carry (nested ones too), and the body count."""
    found: set[type[BaseModel]] = set()
    bodies = 0
    pending: list[type[BaseModel]] = []
    for route in api_routes(app.routes):
        if route.body_field is None or not route.include_in_schema:
            continue
        bodies += len(route.methods or ())
        field = route.body_field
        annotation = getattr(field, "type_", None) or field.field_info.annotation
        pending.extend(models_in(annotation))
    while pending:
        model = pending.pop()
        if model in found:
            continue
        found.add(model)
        for model_field in model.model_fields.values():
            pending.extend(models_in(model_field.annotation))
    return found, bodies


@pytest.mark.parametrize("service", sorted(OPENAPI_FILES))
def test_every_json_request_body_has_an_example(service: str, openapi: Documents) -> None:
    document: dict[str, Any] = openapi[service]
    components = document["components"]["schemas"]
    bodies = json_request_bodies(document)
    assert len(bodies) >= 30
    missing = []
    for path, method, schema in bodies:
        names = schema_refs(schema)
        assert names, f"{method} {path}: the body is not a documented model"
        missing += [
            f"{method.upper()} {path}: {name}"
            for name in names
            if not has_example(components[name])
        ]
    assert not missing, "request bodies without an example:\n" + "\n".join(missing)


@pytest.mark.parametrize("service", sorted(OPENAPI_FILES))
def test_every_model_level_example_is_valid(service: str, openapi: Documents) -> None:
    assert set(FACTORIES) == set(OPENAPI_FILES)
    models, bodies = request_models(FACTORIES[service]())
    assert bodies == len(json_request_bodies(openapi[service]))
    checked = 0
    invalid = []
    for model in sorted(models, key=lambda m: f"{m.__module__}.{m.__qualname__}"):
        for example in model.model_json_schema().get("examples", []):
            checked += 1
            try:
                model.model_validate(example)
            except ValidationError as error:
                invalid.append(f"{model.__module__}.{model.__qualname__}: {example}\n{error}")
    assert checked >= 20, f"only {checked} model-level examples found"
    assert not invalid, "invalid examples:\n\n" + "\n\n".join(invalid)
