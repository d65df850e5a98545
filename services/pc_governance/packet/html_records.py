"""Corrective actions, authorizations, protocol and visit-template versions, credentials, seal."""

from __future__ import annotations

from typing import Any

from services.pc_governance.packet import html_parts as page
from services.pc_governance.packet.html_parts import record


def corrective_action(a: dict[str, Any]) -> str:
    return record(
        f"{a['title']} ({a['owner']})",
        page.fields(
            [
                ("Action", a["id"]),
                ("Description", a["description"]),
                ("Assignee", a["assignee"]),
                ("Source", a["source"]),
                ("Opened", f"{a['opened_at']} by {a['opened_by']}"),
                ("Due", a["due_on"]),
                ("Status at period end", a["status"]),
                ("Overdue at period end", a["overdue_at_period_end"]),
                ("Completed at", a["completed_at"]),
            ]
        )
        + "<h4>Evidence</h4>\n"
        + page.table(
            ["Added at", "By", "Party", "Evidence", "Document"],
            [
                [v["added_at"], v["added_by"], v["party"], v["text"], v["document_ref"]]
                for v in a["evidence"]
            ],
        )
        + "<h4>Verification of effect</h4>\n"
        + page.table(
            ["At", "By", "Effective", "Note"],
            [
                [v["verified_at"], v["verified_by"], v["effective"], v["note"]]
                for v in a["verifications"]
            ],
        ),
    )


def authorization(a: dict[str, Any]) -> str:
    return record(
        f"{a['kind']}: {a['site_name']}" + (f", {a['service_line']}" if a["service_line"] else ""),
        page.fields(
            [
                ("Authorization", a["id"]),
                ("Request", a["request_id"]),
                ("Requested at", a["requested_at"]),
                ("Status at period end", a["status"]),
                ("Effective date", a["effective_date"]),
            ]
        )
        + page.table(
            ["Recorded at", "Event", "Actor", "Decision", "Basis", "Reason / conditions"],
            [
                [
                    h["recorded_at"],
                    h["event"],
                    h["actor"],
                    h.get("decision_id"),
                    h.get("basis"),
                    [h.get("reason"), h.get("conditions"), h.get("protocol_refs")],
                ]
                for h in a["history"]
            ],
        ),
    )


def _held(span: str) -> list[str]:
    """The headings of a version's columns: its number, its status, when it held."""
    return ["Version", "Status at period end", span]


def _version(v: dict[str, Any]) -> list[Any]:
    """A version's number, its status at period end and when it held (open: it still does)."""
    return [v["version"], v["status"], f"{v['effective_from']} to {v['ended_on'] or 'open'}"]


def _approved(v: dict[str, Any]) -> str:
    return f"{v['approved_at']} by {v['approved_by']}"


def protocol_versions(items: list[dict[str, Any]]) -> str:
    return page.table(
        ["Protocol", *_held("In effect"), "Approved", "Review due", "Text SHA-256"],
        [
            [
                f"{p['title']} ({p['type']}; {', '.join(p['service_lines'])})",
                *_version(p),
                _approved(p),
                p["review_due"],
                p["body_sha256"],
            ]
            for p in items
        ],
    )


def visit_template_versions(items: list[dict[str, Any]]) -> str:
    return page.table(
        ["Template", *_held("In force"), "Limits", "Decision", "Basis", "Approved", "Retired"],
        [
            [
                f"{t['terms']['name']} ({t['terms']['service_line']}; sites: "
                f"{', '.join(t['terms']['site_ids'] or ['all'])})",
                *_version(t),
                _limits(t["terms"]),
                t["decision_id"],
                t["basis"],
                _approved(t),
                None
                if t["retirement"] is None
                else [t["retirement"][k] for k in ("ended_on", "reason", "decision_id", "basis")],
            ]
            for t in items
        ],
    )


def _limits(terms: dict[str, Any]) -> str:
    return (
        f"{terms['visit_minutes']}-minute visits, at most "
        f"{terms['max_patients_per_clinician_hour']} patients per clinician-hour and "
        f"{terms['max_clinician_hours_per_day']} clinician hours a day; "
        f"roles: {', '.join(terms['clinician_roles'])}"
    )


def clinician(c: dict[str, Any]) -> str:
    return record(
        f"{c['name']} ({c['role']}, NPI {c['npi']}): {c['status']}",
        page.table(
            [
                "Credential",
                "Number",
                "Issuer",
                "Expires",
                "Status",
                "Lapsed by period end",
                "Verified",
            ],
            [
                [
                    k["kind"],
                    k["number"],
                    k["issuer"],
                    k["expires_on"],
                    k["status"],
                    k["lapsed_by_period_end"],
                    [k["verified_on"], k["verified_by"]],
                ]
                for k in c["credentials"]
            ],
        ),
    )


def seal(value: dict[str, Any] | None, note: str | None) -> str:
    if value is None:
        return f'<p class="none">No seal: {page.e(note)}</p>\n'
    return page.fields((key, value[key]) for key in value) + (
        "<p>Save the seal as JSON and run <code>mhg audit verify --service pc-governance "
        "--against SEAL.json</code> on a copy of the log.</p>\n"
    )
