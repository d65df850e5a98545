"""A live site with an authorized line and a month of published slots, made the way the
integration tests make one (both services in-process on the given stores, the PC's
approval through its feed), for benchmarks of the scheduling requests to run against.

This reuses tests/integration's helpers rather than repeating them: a benchmark of the
scheduling path needs exactly what those tests establish, and keeping one way to make it
means a change to the flow changes both.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass

from mhg import tokenkeys
from tests.conftest import KEY_DIR, TEST_KEYS
from tests.integration.scheduling_helpers import (
    PATIENT,
    authorized_site,
    create_schedule,
    find,
    publish,
)
from tests.integration.services import service_pair
from tests.integration.template_feed import approve_template

# 08:00-18:00 every day in 20-minute slots, 20 clinicians: 30 slots a day, 80 places each
WEEKLY = [
    {"weekday": day, "start": "08:00", "end": "18:00"}
    for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
]
CAPACITY = 80
CLINICIANS = 20
STARTS_ON = "2027-01-04"
THROUGH = "2027-01-31"


__all__ = ["PATIENT", "Slots", "published_slots"]


@dataclass(frozen=True)
class Slots:
    site_id: str
    slot_ids: tuple[str, ...]


def published_slots(store_url: Callable[[str], str]) -> Slots:
    """Make the site, its line, a schedule and its slots in the stores `store_url` names
    (`mso_ops`, `pc_governance`); the services are stopped again before this returns."""
    for org, ring in TEST_KEYS.items():  # the keys the tests' tokens are signed with
        tokenkeys.save(ring, KEY_DIR / org)
    try:
        with service_pair(store_url) as pair:
            site_id = authorized_site(pair)
            template_id = approve_template(pair, max_patients_per_clinician_hour=12)
            schedule = create_schedule(
                pair,
                site_id,
                template_id=template_id,
                capacity=CAPACITY,
                clinicians=CLINICIANS,
                starts_on=STARTS_ON,
                weekly=WEEKLY,
            )
            publish(pair, schedule["id"], through=THROUGH)
            slots = find(pair, site=site_id, status="free")
    finally:
        shutil.rmtree(KEY_DIR, ignore_errors=True)
    return Slots(site_id, tuple(str(s["id"]) for s in slots))
