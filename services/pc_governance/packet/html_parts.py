"""What every part of the packet's HTML page is made of; every value escaped where written."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from html import escape
from typing import Any


def text(value: Any) -> str:
    """A value as words, before escaping."""
    if value is None:
        return "\u2014"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return "; ".join(text(v) for v in value) or "\u2014"
    if isinstance(value, Mapping):
        return "; ".join(f"{k}: {text(v)}" for k, v in value.items()) or "\u2014"
    return str(value)


def e(value: Any) -> str:
    return escape(text(value), quote=True)


def table(headers: Iterable[str], rows: Iterable[Iterable[Any]]) -> str:
    body = "".join("<tr>" + "".join(f"<td>{e(v)}</td>" for v in row) + "</tr>\n" for row in rows)
    if not body:
        return '<p class="none">None.</p>\n'
    head = "".join(f"<th>{e(h)}</th>" for h in headers)
    return f"<table><thead><tr>{head}</tr></thead><tbody>\n{body}</tbody></table>\n"


def fields(pairs: Iterable[tuple[str, Any]]) -> str:
    items = "".join(f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in pairs)
    return f"<dl>{items}</dl>\n"


def record(heading: str, content: str) -> str:
    return f'<article class="record">\n<h3>{e(heading)}</h3>\n{content}</article>\n'


def records(items: list[dict[str, Any]], none: str, each: Callable[[dict[str, Any]], str]) -> str:
    """Each item as `each` writes it, or the sentence `none` where there is none."""
    if not items:
        return f'<p class="none">{none}</p>\n'
    return "".join(each(item) for item in items)
