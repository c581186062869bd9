"""Render a journey map as Markdown (for `--out map.md`, the terminal and the app).

Map text carries customer quotes, which are untrusted: every piece of it is HTML-escaped, so a
quote holding markup shows as text wherever the Markdown is rendered.
"""

from __future__ import annotations

from html import escape

from assistant.maps.models import JourneyMap, Stage
from assistant.models import Claim

LANES = ("touchpoints", "actions", "thoughts", "emotion", "pain_points", "opportunities", "kpis", "owner")


def _cell_items(stage: Stage, lane: str) -> list[str]:
    if lane == "emotion":
        if stage.emotion is None:
            return []
        mark = "" if stage.emotion.basis == "data" else " ⚠ assumption"
        return [f"{stage.emotion.score:+.2f} {stage.emotion.label}{mark}"]
    value = getattr(stage, lane)
    items: list[Claim] = [value] if isinstance(value, Claim) else list(value or [])
    rendered = []
    for item in items:
        text = escape(item.text, quote=False).replace("|", "\\|").replace("\n", " ")
        if item.basis == "assumption":
            text += " ⚠ assumption"
        elif item.evidence:
            text += f" [{len(item.evidence)}]"
        rendered.append(text)
    return rendered


def to_markdown(journey_map: JourneyMap) -> str:
    """Return the map as Markdown: persona, a lanes-by-stages table, and the evidence list."""
    persona = journey_map.persona
    lines = [
        f"# {journey_map.title}",
        "",
        f"_Engine: {journey_map.engine} · version {journey_map.version}_",
        "",
    ]
    lines += [f"## Persona: {escape(persona.name)}", "", escape(persona.summary, quote=False), ""]
    for trait in persona.traits:
        flag = " ⚠ assumption" if trait.basis == "assumption" else ""
        lines.append(f"- **{trait.category}**: {escape(trait.text, quote=False)}{flag}")
    lines += ["", "## Journey", ""]
    lines.append("| lane | " + " | ".join(s.name for s in journey_map.stages) + " |")
    lines.append("|---" * (len(journey_map.stages) + 1) + "|")
    for lane in LANES:
        cells = ["<br>".join(_cell_items(stage, lane)) or "—" for stage in journey_map.stages]
        lines.append(f"| {lane.replace('_', ' ')} | " + " | ".join(cells) + " |")
    lines += ["", "## Evidence", ""]
    seen: set[tuple[str, str]] = set()
    for stage in journey_map.stages:
        for lane in LANES:
            value = getattr(stage, lane)
            items = [value] if value is not None and not isinstance(value, list) else list(value or [])
            for item in items:
                for citation in item.evidence:
                    key = (citation.evidence_id, citation.quote)
                    if key not in seen:
                        seen.add(key)
                        lines.append(
                            f"- `{citation.evidence_id[:12]}` ({stage.name}, {lane}): “{citation.quote}”"
                        )
    lines += comment_lines(journey_map)
    return "\n".join(lines) + "\n"


def comment_lines(journey_map: JourneyMap) -> list[str]:
    """The map's comments as Markdown list lines under a heading (none: no lines)."""
    if not journey_map.comments:
        return []
    lines = ["", "## Comments", ""]
    for comment in journey_map.comments:
        where = f"{comment.stage or 'persona'}, {comment.lane.replace('_', ' ')}"
        lines.append(f"- On “{comment.item}” ({where}): {comment.text} — {comment.by}, {comment.at:%Y-%m-%d}")
    return lines
