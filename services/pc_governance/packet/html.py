"""The audit packet as one self-contained HTML page that prints well.

No script, no external asset: a small stylesheet with print rules. Every value from
the packet is escaped where it is written, so no record can inject markup.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from services.pc_governance.packet import html_meetings, html_records, readiness
from services.pc_governance.packet.html_parts import e, fields

STYLE = """
body { font: 11pt/1.4 Georgia, "Times New Roman", serif; color: #111; margin: 2em auto;
  max-width: 60em; padding: 0 1em; }
h1 { font-size: 18pt; margin-bottom: 0.2em; }
h2 { font-size: 14pt; border-bottom: 2px solid #333; margin-top: 1.6em; }
h3 { font-size: 12pt; margin: 1.2em 0 0.3em; }
h4 { font-size: 11pt; margin: 0.8em 0 0.2em; }
table { border-collapse: collapse; width: 100%; margin: 0.3em 0 0.8em; font-size: 9.5pt; }
th, td { border: 1px solid #999; padding: 2px 4px; text-align: left; vertical-align: top;
  overflow-wrap: anywhere; }
th { background: #eee; }
dl { display: grid; grid-template-columns: max-content auto; gap: 0 1em; margin: 0.3em 0; }
dt { font-weight: bold; }
dd { margin: 0; overflow-wrap: anywhere; }
pre { white-space: pre-wrap; font: 10pt/1.35 Georgia, serif; border-left: 3px solid #999;
  padding-left: 0.6em; }
.none { color: #555; font-style: italic; }
.mono { font-family: "Courier New", monospace; font-size: 9pt; }
@page { size: A4; margin: 16mm 14mm; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  h2 { break-after: avoid; page-break-after: avoid; }
  h3, h4 { break-after: avoid; page-break-after: avoid; }
  tr, article.record, dl { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  section { break-before: auto; }
}
"""


def section(anchor: str, title: str, content: str) -> str:
    return f'<section id="{e(anchor)}">\n<h2>{e(title)}</h2>\n{content}</section>\n'


def render(packet: Mapping[str, Any]) -> str:
    period = packet["period"]
    title = f"PC Governance audit packet, {period['from']} to {period['to']}"
    covers = packet["covers"]
    summary = fields(
        [
            ("Service", packet["service"]),
            ("Period", f"{period['from']} to {period['to']} (UTC days, inclusive)"),
            ("Period over", packet["period_closed"]),
            ("Records up to", covers["recorded_before"]),
            ("Log position covered", covers["through_position"]),
            ("Events read", covers["events"]),
            ("Generated at", packet["generated_at"]),
        ]
    )
    parts = [
        section("meetings", "Meetings and minutes", html_meetings.meetings(packet["meetings"])),
        section("decision-log", "Decision log", html_meetings.decision_log(packet["decision_log"])),
        section(
            "corrective-actions",
            "Corrective actions",
            html_records.corrective_actions(packet["corrective_actions"]),
        ),
        section(
            "authorizations",
            "Authorizations",
            html_records.authorizations(packet["authorizations"]),
        ),
        section(
            "protocol-versions",
            "Protocol versions in effect",
            html_records.protocol_versions(packet["protocol_versions"]),
        ),
        section(
            "visit-templates",
            "Visit template versions in force",
            html_records.visit_template_versions(packet["visit_template_versions"]),
        ),
        section(
            "credentials",
            "Clinicians and credentials",
            html_records.clinicians(packet["clinicians"]),
        ),
        section(
            "audit-readiness",
            "Audit readiness at period end",
            readiness.html(packet["audit_readiness"]),
        ),
        section("seal", "Seal", html_records.seal(packet["seal"], packet["seal_note"])),
    ]
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{e(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        f"<header>\n<h1>{e(title)}</h1>\n{summary}</header>\n"
        + "".join(parts)
        + "</body>\n</html>\n"
    )
