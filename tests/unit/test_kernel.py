"""The shared kernel's pure helpers: cursors, idempotency ids, store URLs, If-Match."""

from __future__ import annotations

import base64
import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mhg.auth import Principal, Role
from mhg.eventstore import StoreLocation, UnsupportedDatabaseURL
from mhg.idempotency import derived_id, fingerprint
from mhg.pagination import decode_cursor, encode_cursor
from mhg.problems import Problem
from mhg.web import expected_version

MAX_POSITION = 2**63 - 1  # a 64-bit INTEGER / BIGINT: the largest position a store can hold


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def json_cursor(obj: Any) -> str:
    return b64(json.dumps(obj).encode())


def assert_invalid_cursor(cursor: str) -> None:
    with pytest.raises(Problem) as caught:
        decode_cursor(cursor)
    assert caught.value.status == 422
    assert caught.value.code == "invalid-cursor"


# --- pagination ----------------------------------------------------------------------


@given(st.integers(min_value=0, max_value=MAX_POSITION))
def test_cursor_round_trip(position: int) -> None:
    cursor = encode_cursor(position)
    assert "=" not in cursor
    assert decode_cursor(cursor) == position
    # opaque, URL-safe
    assert all(c.isalnum() or c in "-_" for c in cursor)


def test_cursors_of_different_positions_differ() -> None:
    assert len({encode_cursor(p) for p in range(200)}) == 200


@pytest.mark.parametrize("cursor", [None, ""])
def test_no_cursor_starts_at_the_beginning(cursor: str | None) -> None:
    assert decode_cursor(cursor) == 0


@pytest.mark.parametrize(
    "cursor",
    [
        "!!!",
        "not a cursor",
        "a",
        "abcde",
        "\u00e9\u00e8",
        "\ud800",
        b64(b"\xff\xfe\xfd"),
        b64(b"hello world"),
        b64(b"{after: 3}"),
        json_cursor([1, 2, 3]),
        json_cursor("after"),
        json_cursor(3),
        json_cursor(None),
        json_cursor({}),
        json_cursor({"before": 3}),
        json_cursor({"After": 3}),
        json_cursor({"after": -1}),
        json_cursor({"after": -(2**40)}),
        json_cursor({"after": "3"}),
        json_cursor({"after": 1.5}),
        json_cursor({"after": 3.0}),
        json_cursor({"after": None}),
        json_cursor({"after": [3]}),
        json_cursor({"after": {"n": 3}}),
    ],
)
def test_garbage_cursors_are_refused(cursor: str) -> None:
    assert_invalid_cursor(cursor)


@pytest.mark.parametrize("flag", [True, False])
def test_a_boolean_position_is_refused(flag: bool) -> None:
    # json true/false decode to bool, a subclass of int; the API never issues one, and
    # `position > true` fails in SQL (SQLAlchemy refuses to compare with True/False).
    assert_invalid_cursor(json_cursor({"after": flag}))


def test_a_position_beyond_any_store_is_refused() -> None:
    # SQLite raises OverflowError binding it; a cursor the API never issued must be a 422.
    assert_invalid_cursor(json_cursor({"after": 10**30}))


@settings(max_examples=300)
@given(st.one_of(st.text(max_size=200), st.binary(max_size=150).map(b64)))
def test_any_cursor_decodes_to_a_position_or_is_a_422(cursor: str) -> None:
    refused: Problem | None = None
    try:
        position = decode_cursor(cursor)
    except Problem as problem:
        refused = problem
    if refused is not None:
        assert (refused.status, refused.code) == (422, "invalid-cursor")
    else:
        assert type(position) is int
        assert position >= 0


# --- idempotency -------------------------------------------------------------------------


def test_fingerprint_is_stable_under_key_order() -> None:
    one = {"a": 1, "b": {"x": [1, 2], "y": "z"}, "c": None}
    two = {"c": None, "b": {"y": "z", "x": [1, 2]}, "a": 1}
    assert fingerprint("op", one) == fingerprint("op", two)
    assert fingerprint("op", one) == fingerprint("op", json.loads(json.dumps(one)))
    digest = fingerprint("op", one)
    assert len(digest) == 64
    assert int(digest, 16) >= 0


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (("op", {"a": 1}), ("op", {"a": 2})),
        (("op", {"a": 1}), ("op", {"b": 1})),
        (("op", {"a": 1}), ("other", {"a": 1})),
        (("op", {"a": [1, 2]}), ("op", {"a": [2, 1]})),
        (("op", {"a": "1"}), ("op", {"a": 1})),
        (("op", {}), ("op", None)),
    ],
)
def test_fingerprint_differs_for_different_requests(
    first: tuple[str, Any], second: tuple[str, Any]
) -> None:
    assert fingerprint(*first) != fingerprint(*second)


@given(
    st.dictionaries(st.text(max_size=5), st.integers() | st.text(max_size=5), max_size=6),
    st.randoms(use_true_random=False),
)
def test_fingerprint_ignores_insertion_order(payload: dict[str, Any], rnd: Any) -> None:
    items = list(payload.items())
    rnd.shuffle(items)
    assert fingerprint("op", dict(items)) == fingerprint("op", payload)


ALICE = Principal(subject="alice", org="mso", role=Role.MSO_ADMIN)


def test_derived_id_is_deterministic_for_the_same_key() -> None:
    first = derived_id(ALICE, "key-1", "create-site")
    assert first == derived_id(ALICE, "key-1", "create-site")
    assert first == derived_id(
        Principal(subject="alice", org="mso", role=Role.MSO_SCHEDULER), "key-1", "create-site"
    ), "the id depends on the caller's scope, not their role"
    assert isinstance(first, uuid.UUID)


@pytest.mark.parametrize(
    ("principal", "key", "operation"),
    [
        (Principal(subject="bob", org="mso", role=Role.MSO_ADMIN), "key-1", "create-site"),
        (Principal(subject="alice", org="pc", role=Role.AUDITOR), "key-1", "create-site"),
        (ALICE, "key-2", "create-site"),
        (ALICE, "key-1", "book-appointment"),
    ],
)
def test_derived_id_differs_when_anything_differs(
    principal: Principal, key: str, operation: str
) -> None:
    assert derived_id(principal, key, operation) != derived_id(ALICE, "key-1", "create-site")


def test_derived_id_is_random_without_a_key() -> None:
    ids = {derived_id(ALICE, None, "create-site") for _ in range(50)}
    assert len(ids) == 50
    assert all(i.version == 4 for i in ids)


# --- store location ----------------------------------------------------------------------


def test_parse_sqlite_file() -> None:
    location = StoreLocation.parse("sqlite:///var/x.sqlite")
    assert location.is_sqlite
    assert location.schema is None
    assert location.url.database == "var/x.sqlite"
    assert location.sqlalchemy_url.drivername == "sqlite"


def test_sqlite_env_points_at_the_file(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "store.sqlite"
    env = StoreLocation.parse(f"sqlite:///{path}").eventsourcing_env()
    assert env["PERSISTENCE_MODULE"] == "eventsourcing.sqlite"
    assert env["SQLITE_DBNAME"] == str(path)
    assert path.parent.is_dir()


def test_parse_postgresql_extracts_the_schema_and_selects_psycopg() -> None:
    location = StoreLocation.parse("postgresql://u@h:5432/db?schema=s")
    assert not location.is_sqlite
    assert location.schema == "s"
    assert location.url.drivername == "postgresql+psycopg"
    assert location.url.username == "u"
    assert location.url.host == "h"
    assert location.url.port == 5432
    assert location.url.database == "db"
    assert "schema" not in location.url.query
    env = location.eventsourcing_env()
    assert env["PERSISTENCE_MODULE"] == "eventsourcing.postgres"
    assert env["POSTGRES_SCHEMA"] == "s"
    assert env["POSTGRES_DBNAME"] == "db"
    assert env["POSTGRES_HOST"] == "h"
    assert env["POSTGRES_PORT"] == "5432"
    assert env["POSTGRES_USER"] == "u"


def test_parse_postgresql_keeps_other_query_options_and_defaults_the_schema() -> None:
    location = StoreLocation.parse("postgresql+psycopg://u:pw@h/db?sslmode=require")
    assert location.schema is None
    assert location.url.query == {"sslmode": "require"}
    assert location.url.drivername == "postgresql+psycopg"
    assert location.eventsourcing_env()["POSTGRES_SCHEMA"] == "public"
    assert location.eventsourcing_env()["POSTGRES_PASSWORD"] == "pw"


@pytest.mark.parametrize(
    "url",
    [
        "mysql://u@h/db",
        "mysql+pymysql://u:p@h:3306/db",
        "oracle://u@h/db",
        "sqlite://",
        "sqlite:///:memory:",
    ],
)
def test_parse_rejects_unsupported_stores(url: str) -> None:
    with pytest.raises(UnsupportedDatabaseURL):
        StoreLocation.parse(url)
    assert issubclass(UnsupportedDatabaseURL, ValueError)


# --- If-Match ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "version"),
    [
        ('"3"', 3),
        ("3", 3),
        ('W/"3"', 3),
        ('"0"', 0),
        ('"123456789012345678"', 123456789012345678),
        (None, None),
        ("*", None),
        (" * ", None),
    ],
)
def test_expected_version_parses_etags(header: str | None, version: int | None) -> None:
    assert expected_version(header) == version


# The docstring and commit eac29ad make a malformed If-Match a failed precondition
# (412, RFC 9110), not a 400.
GARBAGE_IF_MATCH = [
    "",
    '""',
    "abc",
    '"abc"',
    'W/"x"',
    '"-1"',
    '"+3"',
    '"3.0"',
    '"1e3"',
    '"0x10"',
    '"3", "4"',
    '"1234567890123456789"',
]


@pytest.mark.parametrize("header", GARBAGE_IF_MATCH)
def test_expected_version_refuses_garbage_as_a_failed_precondition(header: str) -> None:
    with pytest.raises(Problem) as caught:
        expected_version(header)
    assert caught.value.status == 412
    assert caught.value.code == "stale-version"


@pytest.mark.parametrize("header", ['"\u00b2"', '"\u00b3"', '"1\u00b9"'])
def test_expected_version_refuses_superscript_digits(header: str) -> None:
    # Latin-1 header bytes 0xB2, 0xB3, 0xB9 decode to superscripts, which str.isdigit()
    # accepts but int() does not: this must be a Problem, not a ValueError (a 500).
    with pytest.raises(Problem) as caught:
        expected_version(header)
    assert caught.value.status == 412


ETAG_ISH = st.text(alphabet='0123456789"W/* -x\u00b2\u00b3\u00b9\u00bd', max_size=8)


@settings(max_examples=300)
@given(
    st.one_of(
        ETAG_ISH,
        ETAG_ISH.map(lambda s: f'"{s}"'),
        st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0xFF), max_size=24),
    )
)
def test_expected_version_answers_every_latin1_header(header: str) -> None:
    refused: Problem | None = None
    try:
        version = expected_version(header)
    except Problem as problem:
        refused = problem
    if refused is not None:
        assert refused.status == 412
    else:
        assert version is None or (type(version) is int and version >= 0)
