"""The map seen by one department: the stages it owns and every comment its people left.

With the stages' pains, opportunities and KPIs, so a team can take its part of the map away.
"""

from __future__ import annotations

import html

from assistant.maps.models import JourneyMap

ALL = "All departments"


def departments(journey_map: JourneyMap) -> list[str]:
    """The departments the map names: stage owners and commenters' departments, in map order."""
    names = [s.owner.text for s in journey_map.stages if s.owner is not None]
    names += [c.department for c in journey_map.comments if c.department]
    return list(dict.fromkeys(n.strip() for n in names if n.strip()))


def department_markdown(journey_map: JourneyMap, department: str | None) -> str:
    """What the department owns and what it said, as Markdown (text escaped)."""
    if not department or department == ALL:
        return ""
    esc = html.escape
    wanted = department.strip().lower()
    owned = [s for s in journey_map.stages if s.owner is not None and s.owner.text.strip().lower() == wanted]
    lines = [f"### {esc(department)}"]
    if not owned:
        lines.append("Owns no stage of this map.")
    for stage in owned:
        basis = " (assumption)" if stage.owner is not None and stage.owner.basis == "assumption" else ""
        lines.append(f"**{esc(stage.name.title())}** — owner{basis}")
        for pain in stage.pain_points:
            size = f" — {pain.frequency.count} records" if pain.frequency else ""
            lines.append(f"- Pain: {esc(pain.text)}{size}")
        for opportunity in stage.opportunities:
            lines.append(f"- Opportunity: {esc(opportunity.text)}")
        for kpi in stage.kpis:
            value = f" = {esc(kpi.value)}" if kpi.value else " (no value in the data)"
            lines.append(f"- KPI: {esc(kpi.name)}{value}")
    said = [c for c in journey_map.comments if c.department.strip().lower() == wanted]
    if said:
        lines.append(f"**Comments from {esc(department)}**")
        for comment in said:
            where = f"{comment.stage.title() or 'Persona'} · {comment.lane.replace('_', ' ')}"
            lines.append(f"- {esc(comment.text)} — on “{esc(comment.item[:80])}” ({esc(where)})")
    return "\n\n".join(lines) if len(lines) == 1 else "\n".join(lines)
