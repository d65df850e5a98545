"""Both services in-process (TestClient), each following the other through its client."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from fastapi.testclient import TestClient

import services.mso_ops.app as mso_ops_app
import services.pc_governance.app as pc_governance_app
from mhg.runtime import ServiceRuntime
from mhg.settings import MsoOpsSettings, PcGovernanceSettings
from tests.conftest import SECRET, StoreUrl, key_files
from tests.integration.apps import ServiceApp
from tests.keys import MSO_KEY, MSO_SIGNING_SEED, PC_KEY, PC_SIGNING_SEED

__all__ = ["MSO_KEY", "PC_KEY", "Pair", "service_pair"]

# Built once per test process, started afresh on each test's store (see apps.py).
MSO_OPS: ServiceApp[MsoOpsSettings] = ServiceApp(mso_ops_app)
PC_GOVERNANCE: ServiceApp[PcGovernanceSettings] = ServiceApp(pc_governance_app)


@dataclass
class Pair:
    mso: TestClient
    pc: TestClient

    @property
    def mso_runtime(self) -> ServiceRuntime:
        runtime: ServiceRuntime = self.mso.app.state.runtime  # type: ignore[attr-defined]
        return runtime

    @property
    def pc_runtime(self) -> ServiceRuntime:
        runtime: ServiceRuntime = self.pc.app.state.runtime  # type: ignore[attr-defined]
        return runtime

    def sync(self) -> None:
        """Deliver every pending message both ways and bring every read model up to date."""
        for _ in range(3):
            self.pc_runtime.follower.catch_up()
            self.mso_runtime.follower.catch_up()
        self.mso_runtime.projections.catch_up()
        self.pc_runtime.projections.catch_up()


def mso_settings(store_url: StoreUrl, **overrides: Any) -> MsoOpsSettings:
    """MSO Operations on the test's store with its keys, background work off unless
    `overrides` turn it on."""
    quiet: dict[str, Any] = {"follow_peer": False, "run_projections": False, "seal": False}
    return MsoOpsSettings(
        database_url=store_url("mso_ops"),
        auth_secret=SECRET,
        signing_key=MSO_SIGNING_SEED,
        peer_public_keys=PC_KEY.public_text,
        run_chores=False,
        **key_files("mso"),
        **{**quiet, **overrides},
    )


def pc_settings(store_url: StoreUrl, **overrides: Any) -> PcGovernanceSettings:
    """PC Governance as `mso_settings` has MSO Operations."""
    quiet: dict[str, Any] = {"follow_peer": False, "run_projections": False, "seal": False}
    return PcGovernanceSettings(
        database_url=store_url("pc_governance"),
        auth_secret=SECRET,
        signing_key=PC_SIGNING_SEED,
        peer_public_keys=MSO_KEY.public_text,
        run_chores=False,
        **key_files("pc"),
        **{**quiet, **overrides},
    )


@contextmanager
def service_pair(store_url: StoreUrl) -> Iterator[Pair]:
    """Both services with background work off: tests decide when messages move and
    records are sealed."""
    mso_config, pc_config = mso_settings(store_url), pc_settings(store_url)
    with (
        MSO_OPS.started(mso_config) as mso,
        PC_GOVERNANCE.started(pc_config) as pc,
    ):
        pair = Pair(mso=mso, pc=pc)
        pair.mso_runtime.follower.client = pc
        pair.pc_runtime.follower.client = mso
        yield pair
