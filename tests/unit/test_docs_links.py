"""The repository explains itself: every document it cites is in it, and every link holds.

A maintainer who clones the repository must be able to follow each reference: relative
markdown links in `docs/` and the README point at files that exist (and at headings that
exist, when they name one); `docs/...` citations in code and documents resolve the same
way; no file cites the working notes the project started from, which live outside it;
and the docs index lists every ADR.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
SKIPPED_DIRS = {"var", "node_modules", "__pycache__"}  # and every hidden directory

# Built from parts, so that this file does not cite them itself.
OUTSIDE_NOTES = tuple(name + ".md" for name in ("DOMAIN", "ARCHITECTURE", "BASELINES"))

FENCE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)
CODE_SPAN = re.compile(r"`[^`\n]*`")
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)
CITATION = re.compile(r"(?<![\w/.])docs/[\w./-]*\w(?:#[\w-]+)?")


def repository_files(*suffixes: str) -> Iterator[Path]:
    for directory, subdirectories, names in os.walk(ROOT):
        subdirectories[:] = [
            d for d in subdirectories if d not in SKIPPED_DIRS and not d.startswith(".")
        ]
        for name in names:
            if name.endswith(suffixes):
                yield Path(directory) / name


def linked_documents() -> list[Path]:
    return [ROOT / "README.md", *sorted(DOCS.rglob("*.md"))]


def prose(markdown: str) -> str:
    """The text outside fenced blocks and code spans, where links are links."""
    return CODE_SPAN.sub("", FENCE.sub("", markdown))


def slug(heading: str) -> str:
    """The anchor a heading gets on GitHub: lower case, punctuation dropped, spaces to -."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading).replace("`", "").lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(document: Path) -> set[str]:
    return {slug(h) for h in HEADING.findall(FENCE.sub("", document.read_text()))}


def unresolved(target: Path, anchor: str) -> str | None:
    if not target.exists():
        return f"{target.relative_to(ROOT)} does not exist"
    if anchor and target.suffix == ".md" and anchor not in anchors(target):
        return f"{target.relative_to(ROOT)} has no heading #{anchor}"
    return None


@pytest.mark.parametrize("document", linked_documents(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_points_at_an_existing_file_and_heading(document: Path) -> None:
    broken = []
    for link in LINK.findall(prose(document.read_text())):
        if re.match(r"^[a-z][a-z0-9+.-]*:", link):  # https:, mailto: ...
            continue
        path, _, anchor = link.partition("#")
        target = (document.parent / path).resolve() if path else document
        problem = unresolved(target, anchor)
        if problem:
            broken.append(f"{link}: {problem}")
    assert broken == [], f"{document.relative_to(ROOT)}: {broken}"


def test_citations_of_docs_in_code_and_documents_resolve() -> None:
    adrs = {p.name[:4] for p in (DOCS / "adr").glob("*.md")}
    broken = []
    for source in repository_files(".py", ".md", ".toml", "Makefile"):
        for citation in CITATION.findall(source.read_text()):
            path, _, anchor = citation.partition("#")
            short_adr = re.fullmatch(r"docs/adr/(\d{4})", path)
            if short_adr:  # "docs/adr/0019" names an ADR by its number
                if short_adr.group(1) not in adrs:
                    broken.append(f"{source.relative_to(ROOT)}: {citation}: no such ADR")
                continue
            problem = unresolved(ROOT / path, anchor)
            if problem:
                broken.append(f"{source.relative_to(ROOT)}: {citation}: {problem}")
    assert broken == []


def test_no_file_cites_the_working_notes_outside_the_repository() -> None:
    citing = [
        f"{source.relative_to(ROOT)}: {name}"
        for source in repository_files(".py", ".md")
        for name in OUTSIDE_NOTES
        if name in source.read_text()
    ]
    assert citing == [], "cite docs/ instead (docs/README.md lists what is there)"


def test_the_docs_index_lists_every_adr() -> None:
    index = (DOCS / "README.md").read_text()
    missing = [
        p.name for p in sorted((DOCS / "adr").glob("*.md")) if f"(adr/{p.name})" not in index
    ]
    assert missing == [], "add a line for each new ADR to docs/README.md"
