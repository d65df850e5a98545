"""A month of operations at a live site, stated at the times it happened: visits with
their outcomes (some no-shows), surveys, claims (some denied), a clearance form and a lab
specimen through every step. Bookings are staff bookings at a stated time, as a site
enters its past visits; each is created once under the seed's key."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from mhg.auth import Role
from mhg_cli.demo.api import BILLING, SCHEDULER, Json, Service
from mhg_cli.demo.sites import LINE

PATIENTS = (
    ("Pat Doe", "2010-04-01"),
    ("Robin Lee", "2009-09-12"),
    ("Alex Kim", "2011-02-23"),
    ("Jordan Diaz", "2008-06-30"),
    ("Casey Wong", "2010-12-05"),
    ("Morgan Ruiz", "2009-03-17"),
)
PAYERS = ("Blue Shield of California", "Aetna", "Medi-Cal")


@dataclass(frozen=True)
class Month:
    """One month of the demo: its first day, its label and how it went."""

    first: date
    today: date
    no_show_share: float  # some months miss the 10 % target, so the KPIs have work to show

    @property
    def label(self) -> str:
        return f"{self.first:%Y-%m}"

    def at(self, day: int, hour: int, minute: int = 0) -> str:
        """A moment of the month: `hour` UTC is the morning or afternoon on the West Coast."""
        return datetime(
            self.first.year, self.first.month, day, hour, minute, tzinfo=UTC
        ).isoformat()

    def day(self, day: int, later: int = 0) -> str:
        """A day of the month, `later` days on, never after `today` (the last day a step may
        name then, at every site)."""
        return min(self.first.replace(day=day) + timedelta(days=later), self.today).isoformat()


def visits(
    mso: Service, site_id: str, month: Month, accounts: list[str], rng: random.Random
) -> list[tuple[str, int]]:
    """The month's visits at the site; the fulfilled ones, with their day of the month."""
    fulfilled = []
    for number in range(8 + rng.randrange(6)):
        day = 2 + (number * 2) % 25
        name, born = PATIENTS[rng.randrange(len(PATIENTS))]
        account = accounts[number % len(accounts)]
        body = {
            "site_id": site_id,
            "service_line": LINE,
            "start": month.at(day, 17 + number % 6),
            "patient": {"name": name, "date_of_birth": born, "contact": f"555-01{number:02d}"},
            "account_id": account,
        }
        key = f"visit:{site_id}:{month.label}:{number}"
        appointment, replayed = mso.create("/appointments", body, SCHEDULER, key)
        outcome = "no_show" if rng.random() < month.no_show_share else "fulfilled"
        score = 6 + rng.randrange(5)  # drawn on every run, so reruns draw the same year
        if not replayed:
            mso.post(f"/appointments/{appointment['id']}/outcome", {"outcome": outcome}, SCHEDULER)
            if outcome == "fulfilled" and number % 3 == 0:
                survey = {"appointment_id": appointment["id"], "score": score}
                mso.create("/surveys", survey, SCHEDULER, f"survey:{appointment['id']}")
        if outcome == "fulfilled":
            fulfilled.append((str(appointment["id"]), day))
    return fulfilled


def claims(
    mso: Service,
    site_id: str,
    month: Month,
    seen: list[tuple[str, int]],
    accounts: list[str],
    rng: random.Random,
) -> None:
    """A claim for each fulfilled visit; about one in eight denied, the rest paid."""
    for number, (appointment_id, day) in enumerate(seen):
        body = {
            "site_id": site_id,
            "service_line": LINE,
            "payer": PAYERS[number % len(PAYERS)],
            "claim_number": f"DEMO-{month.label}-{site_id[:4]}-{number:03d}",
            "billed_amount": "150.00",
            "service_date": month.day(day),
            "submitted_on": month.day(day, 2),
            "account_id": accounts[number % len(accounts)],
        }
        claim, replayed = mso.create("/billing/claims", body, BILLING, f"claim:{appointment_id}")
        denied = rng.random() < 0.125
        if replayed:
            continue
        path = f"/billing/claims/{claim['id']}"
        if denied:
            mso.post(f"{path}/denial", {"on": month.day(day, 12), "reason_code": "CO-16"}, BILLING)
        else:
            mso.post(f"{path}/payment", {"on": month.day(day, 20), "amount": "120.00"}, BILLING)


def form_and_specimen(mso: Service, site_id: str, month: Month, clinician_id: str) -> None:
    """A clearance form and a lab specimen, each through every step, the APP signing."""
    app = (Role.APP, clinician_id)  # a PC clinician records her own signature (ADR 0019)
    name, born = PATIENTS[0]
    form_body = {
        "site_id": site_id,
        "service_line": LINE,
        "kind": "sports_clearance",
        "requested_by": {"kind": "school", "name": "Eastside HS athletics"},
        "patient": {"name": name, "date_of_birth": born, "contact": "555-0100"},
        "due_on": month.day(12),
        "received_at": month.at(5, 17),
    }
    form, replayed = mso.create("/forms", form_body, SCHEDULER, f"form:{site_id}:{month.label}")
    if not replayed:
        path = f"/forms/{form['id']}"
        mso.post(f"{path}/prepare", {"at": month.at(5, 20)}, SCHEDULER)
        signature = {"clinician_id": clinician_id, "signed_at": month.at(6, 17)}
        mso.post(f"{path}/record-signature", signature, app)
        mso.post(f"{path}/deliver", {"method": "portal", "at": month.at(7, 17)}, SCHEDULER)
    pickup = {"site_id": site_id, "service_line": LINE, "reference": f"LAB-{month.label}"}
    pickup |= {"collected_at": month.at(5, 18, 30)}
    key = f"specimen:{site_id}:{month.label}"
    specimen, replayed = mso.create("/lab/specimens", pickup, SCHEDULER, key)
    if replayed:
        return
    manifest: Json = {"site_id": site_id, "courier_vendor": "Bay Courier", "lab": "Quest SF"}
    manifest |= {"specimen_ids": [specimen["id"]]}
    run, _ = mso.create("/lab/runs", manifest, SCHEDULER, f"run:{specimen['id']}")
    mso.post(f"/lab/runs/{run['id']}/depart", {"at": month.at(5, 19)}, SCHEDULER)
    mso.post(f"/lab/runs/{run['id']}/deliver", {"at": month.at(5, 21)}, SCHEDULER)
    path = f"/lab/specimens/{specimen['id']}"
    mso.post(f"{path}/receive-result", {"at": month.at(6, 16, 30)}, SCHEDULER)
    mso.post(f"{path}/release-result", {"clinician_id": clinician_id, "at": month.at(6, 18)}, app)


def operate(
    mso: Service, site_id: str, month: Month, accounts: list[str], clinician_id: str
) -> None:
    rng = random.Random(f"{site_id}:{month.label}")  # noqa: S311 - the same year on every run
    seen = visits(mso, site_id, month, accounts, rng)
    claims(mso, site_id, month, seen, accounts, rng)
    form_and_specimen(mso, site_id, month, clinician_id)
