"""The meetings (attendance, agenda, motions, minutes, amendments) and the decision log, as HTML."""

from __future__ import annotations

from typing import Any

from services.pc_governance.packet import html_parts as page
from services.pc_governance.packet.html_parts import record


def meeting(m: dict[str, Any]) -> str:
    quorum = m["quorum"]
    parts = [
        page.fields(
            [
                ("Meeting", m["id"]),
                ("Status at period end", m["status"]),
                ("Chair", m["chair"]),
                (
                    "Quorum",
                    f"{quorum['min_present']} present"
                    + (
                        ", Medical Director required" if quorum["medical_director_required"] else ""
                    ),
                ),
                ("Quorum met", quorum["met"]),
                (
                    "Opened / adjourned / closed",
                    [m["opened_at"], m["adjourned_at"], m["closed_at"]],
                ),
            ]
        ),
        "<h4>Attendance</h4>\n",
        page.table(
            ["Name", "Role", "Present"],
            [[a["name"], a["role"], a["present"]] for a in m["attendance"]],
        ),
        "<h4>Agenda</h4>\n",
        page.table(
            ["Source", "Reference", "Item", "Disposition", "Decision / deferred to / note"],
            [
                [
                    f"{i['kind']} ({i['source']})",
                    i["reference"],
                    i["title"],
                    i["disposition"],
                    [i["decision_id"], i["deferred_to"], i["note"]],
                ]
                for i in m["agenda"]
            ],
        ),
        "<h4>Motions</h4>\n",
        page.table(
            ["Motion", "Moved by", "Votes", "Outcome", "Decision", "Decided at"],
            [
                [
                    x["text"],
                    x["moved_by"],
                    x["tally"],
                    x["outcome"],
                    x["decision_id"],
                    x["decided_at"],
                ]
                for x in m["motions"]
            ],
        ),
        "<h4>Minutes</h4>\n",
        _minutes(m["minutes"]),
    ]
    return record(f"Governance meeting {m['period']}, {m['scheduled_for']}", "".join(parts))


def _minutes(minutes: dict[str, Any] | None) -> str:
    if minutes is None:
        return '<p class="none">No minutes drafted.</p>\n'
    parts = [
        page.fields(
            [
                ("Status", minutes["status"]),
                ("Revision", minutes["revision"]),
                ("Drafted by", minutes["drafted_by"]),
                ("Approved by", minutes["approved_by"]),
                ("Approved at", minutes["approved_at"]),
            ]
        ),
        f'<pre class="minutes">{page.e(minutes["text"])}</pre>\n',
    ]
    for a in minutes["amendments"]:
        parts.append(
            f"<h4>Amendment {page.e(a['amendment_id'])}</h4>\n"
            + page.fields(
                [("By", a["amended_by"]), ("At", a["amended_at"]), ("Reason", a["reason"])]
            )
            + f'<pre class="amendment">{page.e(a["text"])}</pre>\n'
        )
    return "".join(parts)


def decision_log(items: list[dict[str, Any]]) -> str:
    return page.table(
        ["Decided at", "Decision", "Meeting", "Agenda item", "Motion", "Votes", "Recorded by"],
        [
            [
                d["decided_at"],
                d["decision_id"],
                d["meeting_period"],
                f"{d['agenda_item_kind']} {d['agenda_item_reference']}",
                d["text"],
                d["tally"],
                f"{d['recorded_by']['id']} ({d['recorded_by']['role']})",
            ]
            for d in items
        ],
    )
