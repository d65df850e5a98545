"""The committed OpenAPI documents are the ones the code produces, and they are honest."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from mhg.cli import OPENAPI_FILES, openapi_documents, render_openapi

DOCUMENTS = openapi_documents()


@pytest.mark.parametrize("service", sorted(OPENAPI_FILES))
def test_committed_openapi_is_current(service: str) -> None:
    committed = Path(OPENAPI_FILES[service]).read_text()
    assert committed == render_openapi(DOCUMENTS[service]), (
        f"{OPENAPI_FILES[service]} is stale: run `make openapi` and commit it"
    )


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
    ]


@pytest.mark.parametrize("service", sorted(OPENAPI_FILES))
def test_every_operation_is_named_summarized_and_declares_its_errors(service: str) -> None:
    seen: set[str] = set()
    secured_operations = 0
    for path, method, operation in operations(DOCUMENTS[service]):
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


def test_the_problem_schema_is_published() -> None:
    for document in DOCUMENTS.values():
        problem = document["components"]["schemas"]["ProblemDocument"]
        assert set(problem["required"]) >= {"type", "title", "status", "detail"}


def test_documents_are_stable_json() -> None:
    for service, document in DOCUMENTS.items():
        assert json.loads(render_openapi(document)) == document, service
