"""What the integration tests share: both services on the test's store, and who is asking.

`pair` starts MSO Operations and PC Governance in-process on the test's `store_url`
(see tests/conftest.py: the storage contract on every backend, the rest on the fast
store). A module that needs another start (a clock, settings) defines its own `pair`.

The role headers are the usual person in each role; a test that needs a second person
in the same role, or one bound to sites, makes it with `auth`.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import StoreUrl, auth
from tests.integration.services import Pair, service_pair

ADMIN = auth("mso_admin", "ann")
SCHEDULER = auth("mso_scheduler", "sam")
DIRECTOR = auth("medical_director", "dr-lee")
AUDITOR = auth("auditor", "aud")


@pytest.fixture
def pair(store_url: StoreUrl) -> Iterator[Pair]:
    with service_pair(store_url) as services:
        yield services
