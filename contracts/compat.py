"""Backward-compatibility check between a released and a current JSON Schema.

Works on pydantic exports: named models live in the document's local `$defs`
and are referenced as `#/$defs/<Name>`. Each rule is one function below; the
evolution policy itself is in contracts/CHANGELOG.md.
"""

from __future__ import annotations

from typing import Any

Schema = dict[str, Any]

# Limit keyword -> the value meaning "no limit" (None: absent means unbounded).
_UPPER_LIMITS: dict[str, Any] = {
    "maxLength": None,
    "maxItems": None,
    "maxProperties": None,
    "maximum": None,
    "exclusiveMaximum": None,
}
_LOWER_LIMITS: dict[str, Any] = {
    "minLength": 0,
    "minItems": 0,
    "minProperties": 0,
    "minimum": None,
    "exclusiveMinimum": None,
}


def breaking_changes(released: Schema, current: Schema) -> list[str]:
    """Every change in `current` that could break a consumer built against `released`."""
    return _Comparison(released, current).compare(released, current, "")


class _Comparison:
    def __init__(self, released_root: Schema, current_root: Schema) -> None:
        self._roots = (released_root, current_root)
        self._in_progress: set[tuple[str | None, str | None]] = set()

    def compare(self, old: Schema, new: Schema, path: str) -> list[str]:
        refs = (old.get("$ref"), new.get("$ref"))
        if refs in self._in_progress:  # a recursive model: already being compared
            return []
        if refs != (None, None):
            self._in_progress.add(refs)
        try:
            return self._compare_resolved(self._resolve(old, 0), self._resolve(new, 1), path)
        finally:
            self._in_progress.discard(refs)

    def _resolve(self, node: Schema, side: int) -> Schema:
        while "$ref" in node:
            ref = node["$ref"]
            if not ref.startswith("#/"):
                raise ValueError(f"only local references are supported, got {ref!r}")
            target = self._roots[side]
            for part in ref[2:].split("/"):
                target = target[part]
            siblings = {key: value for key, value in node.items() if key != "$ref"}
            node = {**target, **siblings}
        return node

    def _compare_resolved(self, old: Schema, new: Schema, path: str) -> list[str]:
        old_variants, new_variants = _variants(old), _variants(new)
        if len(old_variants) > 1 or len(new_variants) > 1:
            return self._compare_variants(old_variants, new_variants, path)
        if changed := _type_changed(old, new, path):
            return changed
        return [
            *_enum_values_removed(old, new, path),
            *_limits_tightened(old, new, path),
            *_properties_changed(old, new, path),
            *self._compare_children(old, new, path),
        ]

    def _compare_variants(self, old: list[Schema], new: list[Schema], path: str) -> list[str]:
        """Union members (e.g. nullable fields) are paired by their shape."""
        old_shaped = sorted(((_shape(self._resolve(v, 0)), i) for i, v in enumerate(old)))
        new_shaped = sorted(((_shape(self._resolve(v, 1)), i) for i, v in enumerate(new)))
        old_shapes = [shape for shape, _ in old_shaped]
        new_shapes = [shape for shape, _ in new_shaped]
        if old_shapes != new_shapes:
            return [_type_change_message(path, old_shapes, new_shapes)]
        problems: list[str] = []
        for (_, old_index), (_, new_index) in zip(old_shaped, new_shaped, strict=True):
            problems += self.compare(old[old_index], new[new_index], path)
        return problems

    def _compare_children(self, old: Schema, new: Schema, path: str) -> list[str]:
        problems: list[str] = []
        old_props, new_props = old.get("properties", {}), new.get("properties", {})
        for name in sorted(old_props.keys() & new_props.keys()):
            problems += self.compare(old_props[name], new_props[name], _join(path, name))
        for keyword, suffix in (("items", "[]"), ("additionalProperties", "{}")):
            old_child, new_child = old.get(keyword), new.get(keyword)
            if isinstance(old_child, dict) and isinstance(new_child, dict):
                problems += self.compare(old_child, new_child, path + suffix)
        return problems


def _variants(node: Schema) -> list[Schema]:
    for keyword in ("anyOf", "oneOf"):
        if keyword in node:
            variants: list[Schema] = node[keyword]
            return variants
    if isinstance(node.get("type"), list):
        return [{**node, "type": type_} for type_ in node["type"]]
    return [node]


def _shape(node: Schema) -> str:
    type_ = node.get("type", "any")
    return f"{type_}:{node['format']}" if "format" in node else str(type_)


def _type_changed(old: Schema, new: Schema, path: str) -> list[str]:
    if _shape(old) == _shape(new):
        return []
    return [_type_change_message(path, [_shape(old)], [_shape(new)])]


def _type_change_message(path: str, old: list[str], new: list[str]) -> str:
    return f"{_at(path)}: type changed from {' | '.join(old)} to {' | '.join(new)}"


def _enum_values(node: Schema) -> list[Any] | None:
    if "enum" in node:
        values: list[Any] = node["enum"]
        return values
    return [node["const"]] if "const" in node else None


def _enum_values_removed(old: Schema, new: Schema, path: str) -> list[str]:
    old_values, new_values = _enum_values(old), _enum_values(new)
    if new_values is None:
        return []
    if old_values is None:
        return [f"{_at(path)}: now restricted to the values {new_values!r}"]
    removed = [value for value in old_values if value not in new_values]
    return [f"{_at(path)}: value {value!r} removed" for value in removed]


def _limits_tightened(old: Schema, new: Schema, path: str) -> list[str]:
    problems = []
    for keyword, unbounded in _UPPER_LIMITS.items():
        before, after = old.get(keyword, unbounded), new.get(keyword, unbounded)
        if after is not None and (before is None or after < before):
            problems.append(f"{_at(path)}: {keyword} tightened from {before} to {after}")
    for keyword, unbounded in _LOWER_LIMITS.items():
        before, after = old.get(keyword, unbounded), new.get(keyword, unbounded)
        if after is not None and (before is None or after > before):
            problems.append(f"{_at(path)}: {keyword} raised from {before} to {after}")
    return problems


def _properties_changed(old: Schema, new: Schema, path: str) -> list[str]:
    """Removed properties, optional ones made required, and new required ones."""
    old_props, new_props = old.get("properties", {}), new.get("properties", {})
    old_required, new_required = set(old.get("required", [])), set(new.get("required", []))
    problems = [
        f"{_at(_join(path, name))}: property removed"
        for name in sorted(old_props.keys() - new_props.keys())
    ]
    problems += [
        f"{_at(_join(path, name))}: optional property became required"
        for name in sorted((old_props.keys() & new_required) - old_required)
    ]
    problems += [
        f"{_at(_join(path, name))}: new required property"
        for name in sorted(new_required - old_props.keys())
    ]
    return problems


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _at(path: str) -> str:
    return path or "<root>"
