"""The audit packet as one self-contained HTML page that prints well.

No script, no external asset: a small stylesheet with print rules. Every value from
the packet is escaped where it is written, so no record can inject markup.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from services.pc_governance.packet import html_meetings, html_records, readiness
from services.pc_governance.packet.html_parts import e, fields, records

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


def _part(key: str, shown: Callable[[Any], str]) -> Callable[[Mapping[str, Any]], str]:
    """A section's content: the packet's part under `key`, as `shown` writes it."""
    return lambda packet: shown(packet[key])


def _each(
    key: str, none: str, each: Callable[[dict[str, Any]], str]
) -> Callable[[Mapping[str, Any]], str]:
    """A section of records: each of the packet's items under `key`, or the sentence `none`."""
    return lambda packet: records(packet[key], none, each)


def _seal(packet: Mapping[str, Any]) -> str:
    return html_records.seal(packet["seal"], packet["seal_note"])


# the packet's sections in order: anchor, heading, and how its content is written
SECTIONS: tuple[tuple[str, str, Callable[[Mapping[str, Any]], str]], ...] = (
    (
        "meetings",
        "Meetings and minutes",
        _each("meetings", "No meeting was scheduled in the period.", html_meetings.meeting),
    ),
    ("decision-log", "Decision log", _part("decision_log", html_meetings.decision_log)),
    (
        "corrective-actions",
        "Corrective actions",
        _each(
            "corrective_actions",
            "No corrective action was open in the period.",
            html_records.corrective_action,
        ),
    ),
    (
        "authorizations",
        "Authorizations",
        _each(
            "authorizations",
            "No authorization was in play in the period.",
            html_records.authorization,
        ),
    ),
    (
        "protocol-versions",
        "Protocol versions in effect",
        _part("protocol_versions", html_records.protocol_versions),
    ),
    (
        "visit-templates",
        "Visit template versions in force",
        _part("visit_template_versions", html_records.visit_template_versions),
    ),
    (
        "credentials",
        "Clinicians and credentials",
        _each(
            "clinicians",
            "No clinician was registered by the end of the period.",
            html_records.clinician,
        ),
    ),
    ("audit-readiness", "Audit readiness at period end", _part("audit_readiness", readiness.html)),
    ("seal", "Seal", _seal),
)


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
    parts = [section(anchor, heading, shown(packet)) for anchor, heading, shown in SECTIONS]
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{e(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        f"<header>\n<h1>{e(title)}</h1>\n{summary}</header>\n"
        + "".join(parts)
        + "</body>\n</html>\n"
    )
