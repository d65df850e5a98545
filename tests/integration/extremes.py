"""Extreme but schema-valid requests, drawn from a service's own OpenAPI document.

Every leaf takes a boundary its schema allows: the first and last day and instant of
the kernel's range (with the widest UTC offsets), text at its maximum length in
non-ASCII letters (and line breaks where prose allows them), the smallest and
largest numbers. Identifiers are, where possible, those of resources created before,
so requests reach the domain and write events instead of answering 404.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from uuid import UUID

from hypothesis import strategies as st

from mhg.bounded import LINE_PATTERN, PROSE_PATTERN

LETTERS = "aZé漢𝔘😀ßя"  # noqa: RUF001  (one to four bytes in UTF-8, none a control character)
INSTANTS = {  # the kernel's range, reached from both ends of the offset range
    "min": ["1900-01-01T00:00:00Z", "1900-01-01T14:00:00+14:00"],
    "max": ["2199-12-31T23:59:59Z", "2199-12-31T09:59:59-14:00"],
}
MAX_ITEMS = 2  # keep bodies well under the body limit


@dataclass
class Pool:
    """Ids the service returned, by the collection they were created in."""

    ids: dict[str, list[str]] = field(default_factory=dict)

    def remember(self, collection: str, body: Any) -> None:
        if isinstance(body, dict) and isinstance(body.get("id"), str):
            self.ids.setdefault(collection, []).append(body["id"])

    def for_collection(self, collection: str) -> list[str]:
        return self.ids.get(collection.rstrip("/"), [])

    def for_field(self, name: str) -> list[str]:
        stem = name.removesuffix("_id").replace("_", "-")
        return [i for key, ids in self.ids.items() if key.endswith(f"/{stem}s") for i in ids]


def _resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].split("/")[-1]]
    return schema


def _text(schema: dict[str, Any]) -> st.SearchStrategy[str]:
    longest = int(schema.get("maxLength", 200))
    shortest = max(int(schema.get("minLength", 0)), 1)
    prose = schema.get("pattern") == PROSE_PATTERN

    def spell(length: int, seed: int) -> str:
        chars = [LETTERS[(seed + i) % len(LETTERS)] for i in range(length)]
        if prose and length > 2:
            chars[length // 2] = "\n"
            chars[length // 3] = "\t"
        return "".join(chars)

    return st.builds(spell, st.sampled_from(sorted({shortest, longest})), st.integers(0, 7))


def _identifier(known: Callable[[], list[str]]) -> st.SearchStrategy[str]:
    """A created id when there is one, else a random one: the same draws either way, so
    the pool growing between examples does not change the shape of the data."""

    def pick(choice: tuple[int, UUID]) -> str:
        ids = known()
        return ids[choice[0] % len(ids)] if ids else str(choice[1])

    return st.tuples(st.integers(0, 1000), st.uuids()).map(pick)


DECIMAL_DIGITS = re.compile(r"\{1,(\d+)\}")


def _string(
    document: dict[str, Any], schema: dict[str, Any], name: str, pool: Pool
) -> st.SearchStrategy[Any]:
    kind = schema.get("format")
    if kind == "uuid":
        return _identifier(lambda: pool.for_field(name))
    if kind == "date":
        return st.sampled_from([schema["formatMinimum"], schema["formatMaximum"], "2000-02-29"])
    if kind == "date-time":
        return st.sampled_from(INSTANTS["min"] + INSTANTS["max"])
    if kind == "decimal":  # a decimal string: its most digits, both signs it allows
        whole, places = map(int, DECIMAL_DIGITS.findall(schema["pattern"]))
        largest = "9" * whole + "." + "9" * places
        signs = ("", "-") if schema["pattern"].startswith("^-?") else ("",)
        return st.sampled_from([sign + digits for sign in signs for digits in (largest, "1")])
    pattern = schema.get("pattern")
    if pattern is None or pattern in (LINE_PATTERN, PROSE_PATTERN):
        return _text(schema)
    longest = int(schema.get("maxLength", 100))
    return st.from_regex(re.compile(pattern), fullmatch=True).filter(lambda s: len(s) <= longest)


def _number(schema: dict[str, Any], integer: bool) -> st.SearchStrategy[Any]:
    step = Decimal(1) if integer else Decimal("0.01")
    low = schema.get("minimum")
    if low is None and "exclusiveMinimum" in schema:
        low = Decimal(str(schema["exclusiveMinimum"])) + step
    high = schema.get("maximum")
    if high is None and "exclusiveMaximum" in schema:
        high = Decimal(str(schema["exclusiveMaximum"])) - step
    ends = [Decimal(str(v)) for v in (low, high) if v is not None] or [Decimal(0)]
    if integer:
        return st.sampled_from([int(v) for v in ends])
    return st.sampled_from([f"{v:.2f}" for v in ends])


def value(
    document: dict[str, Any], schema: dict[str, Any], pool: Pool, name: str = ""
) -> st.SearchStrategy[Any]:
    """A strategy for the boundary values of `schema`."""
    schema = _resolve(document, schema)
    if "const" in schema:
        return st.just(schema["const"])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    variants = [_resolve(document, v) for v in schema.get("anyOf", []) + schema.get("oneOf", [])]
    variants = [v for v in variants if v.get("type") != "null"]
    if variants:
        numbers = [v for v in variants if v.get("type") in ("number", "integer")]
        return st.one_of([value(document, v, pool, name) for v in (numbers or variants)])
    if schema.get("allOf"):
        return value(document, schema["allOf"][0], pool, name)
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        return st.fixed_dictionaries(
            {k: value(document, v, pool, k) for k, v in schema.get("properties", {}).items()}
        )
    if kind == "array":
        fewest = max(int(schema.get("minItems", 1)), 1)
        most = max(min(int(schema.get("maxItems", MAX_ITEMS)), MAX_ITEMS), fewest)
        item = value(document, schema.get("items", {}), pool, name)
        if schema.get("uniqueItems"):
            return st.lists(item, min_size=fewest, max_size=most, unique_by=repr)
        return st.lists(item, min_size=fewest, max_size=most)
    if kind == "string":
        return _string(document, schema, name, pool)
    if kind in ("integer", "number"):
        return _number(schema, kind == "integer")
    if kind == "boolean":
        return st.booleans()
    return st.none()


ENDINGS = (
    "close",
    "cancel",
    "retire",
    "terminate",
    "revoke",
    "deny",
    "suspend",
    "end",
    "withdraw",
    "entered-in-error",
    "release",
    "reopen",
    "verify",
    "adjourn",
)


@dataclass(frozen=True)
class WriteRoute:
    method: str
    path: str
    operation: dict[str, Any]

    @property
    def order(self) -> tuple[bool, int, str, str]:
        """Creations first, then steps on what exists, steps that end a record last."""
        ends = self.method == "delete" or self.path.rsplit("/", 1)[-1] in ENDINGS
        return ends, self.path.count("{"), self.path, self.method


def write_routes(document: dict[str, Any]) -> list[WriteRoute]:
    """Every write of the document, in `WriteRoute.order`."""
    routes = [
        WriteRoute(method, path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in ("post", "put", "patch", "delete")
    ]
    return sorted(routes, key=lambda r: r.order)


def request(
    document: dict[str, Any], route: WriteRoute, pool: Pool, data: st.DataObject
) -> tuple[str, dict[str, str], Any]:
    """The URL, the headers and the JSON body of one extreme request to `route`."""
    url = route.path
    headers: dict[str, str] = {}
    query: dict[str, Any] = {}
    for parameter in route.operation.get("parameters", []):
        name, where = parameter["name"], parameter["in"]
        if where == "path":
            prefix = route.path.split("{" + name + "}")[0]
            schema = _resolve(document, parameter["schema"])
            if schema.get("format") == "uuid":
                ids = _identifier(lambda prefix=prefix: pool.for_collection(prefix))
                drawn = data.draw(ids, label=name)
            else:
                drawn = data.draw(value(document, schema, pool, name), label=name)
            url = url.replace("{" + name + "}", str(drawn))
        elif parameter.get("required"):
            drawn = data.draw(value(document, parameter["schema"], pool, name), label=name)
            (headers if where == "header" else query)[name] = str(drawn)
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    body = None
    content = route.operation.get("requestBody", {}).get("content", {})
    if "application/json" in content:
        schema = content["application/json"]["schema"]
        body = data.draw(value(document, schema, pool), label=f"{route.method} {route.path}")
    return url, headers, body
