"""What a request does before its route's worker thread: its dependencies run on the event
loop (no thread hop each), and a token is verified there when its key is in memory."""

from __future__ import annotations

import inspect
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts

from mhg import tokenkeys
from mhg.auth import InvalidToken, Role, issue_token
from mhg.keysource import FileKeys
from mhg.tokenkeys import KeyRing, TokenKey
from mhg.trust import TrustedIssuer, Verifier, assertable
from services.mso_ops.app import create_app as mso_ops_app
from services.pc_governance.app import create_app as pc_governance_app

FIRST, SECOND = TokenKey.from_seed(b"3" * 32, "mso-1"), TokenKey.from_seed(b"4" * 32, "mso-2")


def _route(routes: list[APIRoute], method: str, path: str) -> APIRoute:
    return next(r for r in routes if r.path == path and method in r.methods)


def _dependencies(dependant: Dependant) -> Iterator[Dependant]:
    for dependency in dependant.dependencies:
        yield dependency
        yield from _dependencies(dependency)


def _in_a_thread(dependant: Dependant) -> list[str]:
    """The dependencies FastAPI would run in a worker thread (sync callables)."""
    names = []
    for dependency in _dependencies(dependant):
        call = dependency.call
        if call is None:
            continue
        runs = call if inspect.isroutine(call) else getattr(call, "__call__", call)  # noqa: B004
        if inspect.isclass(call) or not inspect.iscoroutinefunction(runs):
            names.append(getattr(call, "__name__", repr(call)))
    return names


@pytest.mark.parametrize("app", [mso_ops_app, pc_governance_app], ids=["mso-ops", "pc-governance"])
def test_no_routes_dependency_runs_in_a_worker_thread(app: Callable[[], FastAPI]) -> None:
    contexts = iter_route_contexts(app().routes)
    routes = [c.original_route for c in contexts if isinstance(c.original_route, APIRoute)]
    assert len(routes) > 50
    in_a_thread = {route.path: _in_a_thread(route.dependant) for route in routes}
    assert {path: names for path, names in in_a_thread.items() if names} == {}
    propose = _route(routes, "POST", "/sites") if app is mso_ops_app else None
    assert propose is None or len(list(_dependencies(propose.dependant))) >= 4
    assert propose is None or not inspect.iscoroutinefunction(propose.endpoint)  # one hop


def _token(key: TokenKey) -> str:
    return issue_token(
        key, issuer="urn:mhg:mso", audience="mso-ops", subject="ann", org="mso", role=Role.MSO_ADMIN
    )


@pytest.fixture
def keys(tmp_path: Path) -> FileKeys:
    tokenkeys.save(KeyRing((FIRST,)), tmp_path)
    return FileKeys(
        tmp_path / tokenkeys.TOKEN_KEYS, public=lambda text: KeyRing.from_json(text).public_jwks()
    )


def _verifier(keys: FileKeys) -> Verifier:
    own = TrustedIssuer(issuer="urn:mhg:mso", org="mso", roles=assertable("mso"))
    return Verifier("mso-ops", [(own, keys)])


def test_a_key_file_answers_from_memory_only_while_it_is_the_file_last_read(
    keys: FileKeys, tmp_path: Path
) -> None:
    verifier = _verifier(keys)
    assert keys.cached("mso-1") is None  # nothing read yet: the thread's `verify` reads it
    principal = verifier.verify(_token(FIRST))
    assert verifier.verify_from_memory(_token(FIRST)) == principal
    assert principal.subject == "ann"

    tokenkeys.save(KeyRing((SECOND,)), tmp_path)  # rotated, and the first key retired
    assert verifier.verify_from_memory(_token(FIRST)) is None  # changed: not from memory
    with pytest.raises(InvalidToken, match="'mso-1' is not one of the issuer's keys"):
        verifier.verify(_token(FIRST))
    assert verifier.verify_from_memory(_token(SECOND)) == principal
    assert keys.cached("mso-1") is None


def test_a_key_file_being_read_by_a_thread_is_not_waited_for(keys: FileKeys) -> None:
    keys.key("mso-1")
    assert keys.cached("mso-1") is not None
    held, release = threading.Event(), threading.Event()

    def reading() -> None:
        with keys._lock:
            held.set()
            release.wait(5)

    thread = threading.Thread(target=reading)
    thread.start()
    try:
        held.wait(5)
        assert keys.cached("mso-1") is None
    finally:
        release.set()
        thread.join()
    assert keys.cached("mso-1") is not None
