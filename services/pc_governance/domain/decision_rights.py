"""Who decides what (docs/decision-rights.md), as data the service enforces and publishes.

Under the corporate-practice-of-medicine doctrine the MSO never makes a clinical
decision: for every decision owned by the PC, only the PC roles listed may take it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DecisionRight:
    decision: str
    owner: str
    deciding_roles: tuple[str, ...]
    other_party_may: str


AUTHORIZE_SERVICE_LINE = "service_line_authorization"
QUALITY_OVERSIGHT = "quality_oversight_and_corrective_actions"
GOVERNANCE_MEETING = "governance_meeting"
SITE_GO_LIVE = "site_go_live"
MATERIAL_CHANGE = "material_operational_change"
PATIENT_VOLUME = "patient_volume_and_clinician_hours"
MSA_FEE_SCHEDULE = "msa_fee_schedule_countersignature"
MSA_INVOICE_ANSWER = "msa_fee_invoice_acceptance"
CODING_RULES = "coding_rules_and_fee_schedule"
MEDICAL_RECORDS = "medical_records_ownership"

# The kind of an MSO request -> the decision that answers it.
DECISION_FOR_REQUEST_KIND = {
    "service_line": AUTHORIZE_SERVICE_LINE,
    "site_go_live": SITE_GO_LIVE,
    "material_change": MATERIAL_CHANGE,
}

DECISION_RIGHTS: tuple[DecisionRight, ...] = (
    DecisionRight(
        "protocols_and_standing_orders",
        "pc",
        ("medical_director",),
        "read title, version and effective dates",
    ),
    DecisionRight(
        "supervision_structure", "pc", ("medical_director",), "read the rules it must staff to"
    ),
    DecisionRight(
        AUTHORIZE_SERVICE_LINE,
        "pc",
        ("medical_director",),
        "request it, with readiness evidence",
    ),
    DecisionRight(
        "site_go_live", "pc", ("medical_director",), "request it, with the readiness checklist"
    ),
    DecisionRight("material_operational_change", "pc", ("medical_director",), "propose it"),
    DecisionRight(
        "clinical_staffing_and_credentialing",
        "pc",
        ("medical_director",),
        "keep the non-clinical paperwork",
    ),
    DecisionRight(
        "test_menu_lab_and_clinical_supplies",
        "pc",
        ("medical_director",),
        "run the purchasing and logistics",
    ),
    DecisionRight(
        CODING_RULES,
        "pc",
        ("medical_director",),
        "apply them when billing: each claim cites the version it was coded under",
    ),
    DecisionRight(
        PATIENT_VOLUME,
        "pc",
        ("medical_director",),
        "schedule within PC-approved templates",
    ),
    DecisionRight(
        MEDICAL_RECORDS,
        "pc",
        ("medical_director",),
        "access logged, minimum necessary; release records under the policy in force",
    ),
    DecisionRight(
        QUALITY_OVERSIGHT,
        "pc",
        ("medical_director", "pc_quality"),
        "carry out the corrective actions assigned to it and report their progress",
    ),
    DecisionRight(
        GOVERNANCE_MEETING,
        "pc",
        ("medical_director",),
        "present its performance report and the items it asks the PC to decide",
    ),
    # The MSA has two sides: the MSO proposes the fee and issues the invoice; the PC (no
    # finance role exists at the PC, so its Medical Director) countersigns or declines each
    # fee schedule version and accepts or disputes each invoice.
    DecisionRight(
        MSA_FEE_SCHEDULE,
        "pc",
        ("medical_director",),
        "propose a version with its fair-market-value basis; invoice with it once countersigned",
    ),
    DecisionRight(
        MSA_INVOICE_ANSWER,
        "pc",
        ("medical_director",),
        "issue the monthly invoice and correct it; read the PC's answer",
    ),
    DecisionRight("scheduling_intake_and_shifts", "mso", ("mso_admin", "mso_scheduler"), "-"),
    DecisionRight("facilities_vendors_couriers_it", "mso", ("mso_admin",), "-"),
    DecisionRight("billing_operations_and_reporting", "mso", ("mso_admin", "mso_billing"), "-"),
    DecisionRight(
        "msa_fee_invoicing", "mso", ("mso_admin", "mso_billing"), "the PC accepts or disputes"
    ),
)

_BY_DECISION = {right.decision: right for right in DECISION_RIGHTS}


def deciding_roles(decision: str) -> tuple[str, ...]:
    return _BY_DECISION[decision].deciding_roles
