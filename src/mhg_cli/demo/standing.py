"""What the year stands on: the PC's clinicians and coding rules, the MSO's accounts and
the MSA fee schedule the PC countersigned."""

from __future__ import annotations

from datetime import date, timedelta
from functools import partial

from mhg_cli.demo.api import (
    ADMIN,
    BILLING,
    DIRECTOR,
    QUALITY,
    SCHEDULER,
    Json,
    Service,
    rows,
    wait_for,
)

MD_ACT = {"kind": "medical_director_act", "reference": "MD-ACT-DEMO-1"}
LINES = ("sports_clearance", "school_physical")
CLINICIANS = (
    ("2000000777", "Nia Park, NP", "np", "NP-777"),
    ("1234567893", "Theo Grant, PA", "pa", "PA-4412"),
)
ACCOUNTS = (
    ("Eastside Unified School District", "school_district", "Dana Reyes", "Athletic director"),
    ("Bayview Tigers athletics", "team", "Lee Ortiz", "Head coach"),
    ("Harbor Logistics", "employer", "Sam Patel", "HR manager"),
)


def clinicians(pc: Service, mso: Service, today: date) -> list[str]:
    """Two credentialed APPs at the PC, eligible at the MSO once the PC's feed brought them.
    The second one's license lapses within two months: an item for the meetings."""
    ids = []
    for index, (npi, name, role, number) in enumerate(CLINICIANS):
        body = {"npi": npi, "name": name, "role": role}
        clinician, replayed = pc.create("/clinicians", body, DIRECTOR, f"clinician:{index}")
        ids.append(str(clinician["id"]))
        if replayed:
            continue
        expires = today + timedelta(days=400 if index == 0 else 45)
        license_body = {"kind": "license", "number": number, "issuer": "CA DCA"}
        license_body |= {"issued_on": "2020-01-01", "expires_on": expires.isoformat()}
        path = f"/clinicians/{clinician['id']}/credentials"
        credential, _ = pc.create(path, license_body, QUALITY, f"credential:{index}")
        verify = {"source": "CA DCA BreEZe"}
        pc.post(f"{path}/{credential['id']}/verify", verify, DIRECTOR)
    wait_for(lambda: ids if _eligible(mso) >= set(ids) else None, "the clinicians to reach the MSO")
    return ids


def _eligible(mso: Service) -> set[str]:
    return {r["clinician_id"] for r in rows(mso, "/clinician-eligibility", SCHEDULER)}


def coding_rules(pc: Service, mso: Service, since: date) -> None:
    """The PC's coding rules and fee schedule for each line, in force from `since`."""
    for line in LINES:
        codes = [{"code": "99394", "description": "Preventive visit, 12-17", "fee_cents": 15000}]
        body = {"name": f"{line.replace('_', ' ').capitalize()} coding", "service_line": line}
        rules, replayed = pc.create("/coding-rules", body | {"codes": codes}, DIRECTOR, line)
        if not replayed:
            approval = {"effective_from": since.isoformat(), "basis": MD_ACT}
            pc.post(f"/coding-rules/{rules['id']}/versions/1/approve", approval, DIRECTOR)
        wait_for(partial(_in_force, mso, line, since), f"the {line} coding rules at the MSO")


def _in_force(mso: Service, line: str, on: date) -> Json | None:
    return mso.find("/coding-rules/in-force", BILLING, service_line=line, on=on.isoformat())


def accounts(mso: Service) -> list[str]:
    ids = []
    for index, (name, kind, contact, role) in enumerate(ACCOUNTS):
        person = {
            "name": contact,
            "role": role,
            "email": f"{contact.split()[0].lower()}@demo.example",
        }
        body: Json = {
            "name": name,
            "kind": kind,
            "contacts": [person],
            "service_lines": list(LINES),
        }
        account, _ = mso.create("/accounts", body, ADMIN, f"account:{index}")
        ids.append(str(account["id"]))
    return ids


def fee_schedule(mso: Service, pc: Service, since: date) -> None:
    """The MSA fee: a fixed monthly amount the MSO proposes and the PC countersigns."""
    body = {
        "effective_from": since.isoformat(),
        "kind": "fixed_monthly",
        "terms": {"monthly_amount": "15000.00"},
        "fmv_basis": {
            "assessed_by": "Valuation Partners LLC",
            "assessed_on": (since - timedelta(days=30)).isoformat(),
            "document_ref": "FMV-DEMO",
        },
    }
    version, _ = mso.create("/billing/fee-schedule/versions", body, BILLING, "fee-schedule:1")
    path = f"/msa/fee-schedule/versions/{version['number']}"
    at_pc = wait_for(lambda: pc.find(path, DIRECTOR), "the fee schedule to reach the PC")
    if at_pc["status"] == "proposed":
        pc.post(f"{path}/countersign", {"effective_from": since.isoformat()}, DIRECTOR)
