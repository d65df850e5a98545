"""The two public APIs as the demo seed uses them: as people of each organisation, over HTTP.

Every create carries an Idempotency-Key made from the seed's own name for the thing
(`demo:site:2`), so a second run gets the first run's answers instead of duplicates; a
step that changes a record first reads it and does nothing when it is done already.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import httpx

from mhg.auth import Role
from mhg_cli.token_command import development_token

Json = dict[str, Any]
T = TypeVar("T")

# Who does what in the demo, as each organisation would sign them in: a role and a name.
Person = tuple[Role, str]
ADMIN: Person = (Role.MSO_ADMIN, "ann")
SCHEDULER: Person = (Role.MSO_SCHEDULER, "sam")
BILLING: Person = (Role.MSO_BILLING, "bo")
DIRECTOR: Person = (Role.MEDICAL_DIRECTOR, "dr-lee")
PHYSICIAN: Person = (Role.PHYSICIAN, "dr-kim")
QUALITY: Person = (Role.PC_QUALITY, "qa-kim")
FEED_WAIT = 30.0


class DemoRefused(Exception):
    """A service answered a demo step with an error: the step, the status and the problem."""

    def __init__(self, method: str, path: str, response: httpx.Response) -> None:
        super().__init__(f"{method} {path}: {response.status_code} {response.text[:500]}")


@dataclass
class Service:
    """One service's API, spoken as a person of one of the organisations."""

    client: httpx.Client
    tokens: dict[Person, str] = field(default_factory=dict)

    def headers(self, who: Person, key: str | None) -> dict[str, str]:
        if who not in self.tokens:
            self.tokens[who] = development_token(*who)
        headers = {"Authorization": f"Bearer {self.tokens[who]}"}
        if key is not None:
            headers["Idempotency-Key"] = key
        return headers

    def _answer(self, method: str, path: str, response: httpx.Response) -> Json:
        if response.status_code >= 300:
            raise DemoRefused(method, path, response)
        body: Json = response.json() if response.content else {}
        return body

    def get(self, path: str, who: Person, **params: Any) -> Json:
        response = self.client.get(path, params=params, headers=self.headers(who, None))
        return self._answer("GET", path, response)

    def find(self, path: str, who: Person, **params: Any) -> Json | None:
        """The record at `path`, or None while it is not there (not arrived, not in force)."""
        response = self.client.get(path, params=params, headers=self.headers(who, None))
        return None if response.status_code in (404, 409) else self._answer("GET", path, response)

    def create(self, path: str, body: Json | None, who: Person, key: str) -> tuple[Json, bool]:
        """POST once under the seed's key: the answer, and whether an earlier run made it."""
        response = self.client.post(path, json=body, headers=self.headers(who, f"demo:{key}"))
        replayed = response.headers.get("Idempotent-Replayed") == "true"
        return self._answer("POST", path, response), replayed

    def post(self, path: str, body: Json | None, who: Person) -> Json:
        response = self.client.post(path, json=body, headers=self.headers(who, None))
        return self._answer("POST", path, response)

    def put(self, path: str, body: Json, who: Person) -> Json:
        response = self.client.put(path, json=body, headers=self.headers(who, None))
        return self._answer("PUT", path, response)


def wait_for(read: Callable[[], T | None], what: str, timeout: float = FEED_WAIT) -> T:
    """Poll `read` until it gives something: what crosses between the services comes
    through their feeds, within a second or two."""
    deadline = time.monotonic() + timeout
    while True:
        found = read()
        if found is not None:
            return found
        if time.monotonic() > deadline:
            msg = f"waited {timeout:.0f} s for {what}: are both services running?"
            raise TimeoutError(msg)
        time.sleep(0.2)


def rows(service: Service, path: str, who: Person, **params: Any) -> list[Json]:
    """Every row of a list, page after page."""
    found: list[Json] = []
    cursor: str | None = None
    while True:
        page = service.get(path, who, limit=200, **params, **({"cursor": cursor} if cursor else {}))
        found.extend(page["items"])
        cursor = page.get("next_cursor")
        if not cursor:
            return found
