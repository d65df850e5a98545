"""Write the JSON Schema of every contract to contracts/schemas/.

Run `python -m contracts.export` after changing a model. The frozen copies under
schemas/released/ are the schemas as first published; this never rewrites them.
"""

import json
import sys
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel

from contracts.envelope import Envelope, FeedPage
from contracts.registry import MESSAGES

SCHEMA_DIR = Path(__file__).parent / "schemas"
RELEASED_DIR = SCHEMA_DIR / "released"
SCHEMA_MODE: Literal["serialization"] = "serialization"


def schema_of(model: type[BaseModel]) -> dict[str, Any]:
    return model.model_json_schema(mode=SCHEMA_MODE)


def render_schema(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"


def schema_documents() -> dict[str, dict[str, Any]]:
    """File name -> JSON Schema, for every message plus the envelope and feed page."""
    documents = {
        f"{type_}.v{version}.json": schema_of(model)
        for (type_, version), model in sorted(MESSAGES.items())
    }
    documents["envelope.v1.json"] = schema_of(Envelope)
    documents["feed-page.v1.json"] = schema_of(FeedPage)
    return documents


def export_schemas(directory: Path | None = None) -> list[Path]:
    target = SCHEMA_DIR if directory is None else directory
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in schema_documents().items():
        path = target / name
        path.write_text(render_schema(schema), encoding="utf-8")
        written.append(path)
    return written


def main() -> None:
    for path in export_schemas():
        sys.stdout.write(f"{path}\n")


if __name__ == "__main__":
    main()
