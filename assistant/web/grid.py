"""The map as a picture: a swimlane grid (stages as columns, lanes as rows) and the emotion curve.

Every item carries its path (`stages[2].pain_points[0]`) so a click can open its evidence and a
review finding can highlight its cell. Items resting on assumptions are marked; each cell shows
how many evidence records back it. All map and evidence text is escaped: it is user data.
"""

from __future__ import annotations

import html
from collections import defaultdict

from assistant.maps.models import JourneyMap
from assistant.review.models import Review

LANES: tuple[tuple[str, str], ...] = (
    ("touchpoints", "Touchpoints"),
    ("actions", "Actions"),
    ("thoughts", "Thoughts"),
    ("emotion", "Emotion"),
    ("pain_points", "Pain points"),
    ("opportunities", "Opportunities"),
    ("kpis", "KPIs"),
    ("owner", "Owner"),
)
SEVERITY_RANK = {"high": 0, "medium": 1, "low": 2}

CSS = """
.ja-map { overflow-x: auto; }
.ja-grid { border-collapse: collapse; width: 100%; font-size: 13px; table-layout: fixed; }
.ja-grid th, .ja-grid td { border: 1px solid #d0d7de; padding: 6px; vertical-align: top; }
.ja-grid th { background: #f3f4f6; }
.ja-grid th.ja-lane { width: 110px; text-align: left; }
.ja-item { margin: 0 0 4px 0; padding: 3px 5px; border-radius: 4px; background: #eef6ff; cursor: pointer; }
.ja-item.ja-assumption { background: #fff7e6; border: 1px dashed #d48806; }
.ja-item.ja-flag-high { box-shadow: inset 3px 0 0 #cf222e; }
.ja-item.ja-flag-medium { box-shadow: inset 3px 0 0 #d48806; }
.ja-item.ja-selected { outline: 2px solid #0969da; }
.ja-cell-count { color: #57606a; font-size: 11px; }
td.ja-highlight { background: #fff8c5; }
.ja-tag { font-size: 10px; color: #9a6700; }
.ja-legend { font-size: 12px; color: #57606a; margin: 4px 0; }
"""


def item_text(lane: str, item: object) -> str:
    """The text an item shows in the grid."""
    if lane == "emotion":
        return f"{item.score:+.2f} {item.label}"  # type: ignore[attr-defined]
    if lane == "kpis":
        value = f" = {item.value}" if item.value else ""  # type: ignore[attr-defined]
        return f"{item.name}{value}"  # type: ignore[attr-defined]
    return str(item.text)  # type: ignore[attr-defined]


def lane_items(journey_map: JourneyMap, stage_index: int, lane: str) -> list[tuple[str, object]]:
    """(path, item) of one cell."""
    stage = journey_map.stages[stage_index]
    base = f"stages[{stage_index}].{lane}"
    if lane in ("emotion", "owner"):
        value = getattr(stage, lane)
        return [(base, value)] if value is not None else []
    return [(f"{base}[{i}]", item) for i, item in enumerate(getattr(stage, lane))]


def find_item(journey_map: JourneyMap, path: str) -> object | None:
    """The item at a path (a persona trait, or a stage item), or None."""
    if path.startswith("persona.traits["):
        index = int(path.split("[", 1)[1].split("]", 1)[0])
        traits = journey_map.persona.traits
        return traits[index] if index < len(traits) else None
    for s_index in range(len(journey_map.stages)):
        for lane, _ in LANES:
            for item_path, item in lane_items(journey_map, s_index, lane):
                if path == item_path or path.startswith(item_path + "."):
                    return item
    return None


def _flags(review: Review | None) -> dict[str, str]:
    worst: dict[str, str] = {}
    for finding in review.findings if review else []:
        if finding.kind in ("weak_evidence", "stale"):
            continue
        path = finding.path.split(".part[")[0]
        if path not in worst or SEVERITY_RANK[finding.severity] < SEVERITY_RANK[worst[path]]:
            worst[path] = finding.severity
    return worst


def map_grid_html(journey_map: JourneyMap, review: Review | None = None, highlight: str | None = None) -> str:
    """The swimlane grid with the emotion curve under it."""
    esc = html.escape
    flags = _flags(review)
    highlight_cell = None
    if highlight:
        highlight_cell = (
            highlight.split(".part[")[0].rsplit("[", 1)[0] if highlight.endswith("]") else highlight
        )
    head = "".join(f"<th>{esc(s.name.title())}</th>" for s in journey_map.stages)
    rows = [f"<tr><th class='ja-lane'>Lane</th>{head}</tr>"]
    for lane, title in LANES:
        cells = []
        for s_index in range(len(journey_map.stages)):
            items = lane_items(journey_map, s_index, lane)
            evidence = {c.evidence_id for _, item in items for c in getattr(item, "evidence", [])}
            blocks = []
            for path, item in items:
                classes = ["ja-item"]
                assumption = getattr(item, "basis", "data") == "assumption"
                if assumption:
                    classes.append("ja-assumption")
                if path in flags:
                    classes.append(f"ja-flag-{flags[path]}")
                if highlight and (path == highlight or highlight.startswith(path + ".")):
                    classes.append("ja-selected")
                tag = " <span class='ja-tag'>assumption</span>" if assumption else ""
                blocks.append(
                    f"<div class='{' '.join(classes)}' data-path='{esc(path)}' title='{esc(path)}'>"
                    f"{esc(item_text(lane, item))}{tag}</div>"
                )
            cell_id = f"stages[{s_index}].{lane}"
            marked = " class='ja-highlight'" if highlight_cell == cell_id else ""
            count = f"<div class='ja-cell-count'>{len(evidence)} evidence</div>" if items else ""
            cells.append(f"<td{marked} data-cell='{esc(cell_id)}'>{''.join(blocks) or '—'}{count}</td>")
        rows.append(f"<tr><th class='ja-lane'>{title}</th>{''.join(cells)}</tr>")
    legend = (
        "<div class='ja-legend'>Blue items rest on cited data; dashed amber items are assumptions; "
        "a red or amber edge marks a review finding. Click an item to see its evidence.</div>"
    )
    return (
        f"<style>{CSS}</style><div class='ja-map'><h3>{esc(journey_map.title)} "
        f"<small>v{journey_map.version} · {esc(journey_map.engine)}</small></h3>"
        f"<p>{esc(journey_map.persona.name)}: {esc(journey_map.persona.summary)}</p>{legend}"
        # Stages keep a readable width; a wide map scrolls sideways instead of squeezing its text.
        f"<table class='ja-grid' style='min-width:{110 + 170 * len(journey_map.stages)}px'>"
        f"{''.join(rows)}</table>"
        f"{emotion_svg(journey_map)}</div>"
    )


def emotion_points(journey_map: JourneyMap) -> list[tuple[str, float | None, str]]:
    """(stage, score or None, label) across the stages."""
    return [
        (s.name, s.emotion.score if s.emotion else None, s.emotion.label if s.emotion else "")
        for s in journey_map.stages
    ]


def emotion_svg(journey_map: JourneyMap, width: int = 900, height: int = 180) -> str:
    """The emotion curve as an inline SVG chart (no script, no external assets)."""
    points = emotion_points(journey_map)
    if not points:
        return ""
    esc = html.escape
    left, right, top, bottom = 60, 20, 20, 40
    step = (width - left - right) / max(len(points) - 1, 1)

    def y(score: float) -> float:
        return top + (1 - (score + 1) / 2) * (height - top - bottom)

    coords = [(left + i * step, y(score)) for i, (_, score, _) in enumerate(points) if score is not None]
    parts = [
        f"<svg class='ja-emotion' role='img' aria-label='Emotion curve across the stages' "
        f"viewBox='0 0 {width} {height}' width='100%' xmlns='http://www.w3.org/2000/svg'>",
        f"<line x1='{left}' y1='{y(0):.1f}' x2='{width - right}' y2='{y(0):.1f}' "
        "stroke='#d0d7de' stroke-dasharray='4'/>",
        f"<text x='5' y='{y(1) + 4:.1f}' font-size='11'>+1</text>"
        f"<text x='5' y='{y(0) + 4:.1f}' font-size='11'>0</text>",
        f"<text x='5' y='{y(-1) + 4:.1f}' font-size='11'>−1</text>",
    ]
    if len(coords) > 1:
        line = " ".join(f"{a:.1f},{b:.1f}" for a, b in coords)
        parts.append(f"<polyline points='{line}' fill='none' stroke='#0969da' stroke-width='2.5'/>")
    for i, (name, score, label) in enumerate(points):
        x = left + i * step
        parts.append(
            f"<text x='{x:.1f}' y='{height - 12}' font-size='12' text-anchor='middle'>{esc(name)}</text>"
        )
        if score is not None:
            color = "#1a7f37" if score > 0.1 else "#cf222e" if score < -0.1 else "#57606a"
            parts.append(f"<circle cx='{x:.1f}' cy='{y(score):.1f}' r='5' fill='{color}'/>")
            parts.append(
                f"<text x='{x:.1f}' y='{y(score) - 9:.1f}' font-size='11' text-anchor='middle'>"
                f"{score:+.2f} {esc(label)}</text>"
            )
    parts.append("</svg>")
    return "".join(parts)


def evidence_counts(journey_map: JourneyMap) -> dict[str, int]:
    """Evidence records per cell path, for tests and exports."""
    counts: dict[str, set[str]] = defaultdict(set)
    for s_index in range(len(journey_map.stages)):
        for lane, _ in LANES:
            for _, item in lane_items(journey_map, s_index, lane):
                counts[f"stages[{s_index}].{lane}"] |= {c.evidence_id for c in getattr(item, "evidence", [])}
    return {k: len(v) for k, v in counts.items()}
